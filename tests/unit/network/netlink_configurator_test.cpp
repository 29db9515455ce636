// The real NetlinkConfigurator against the kernel, each test in a network
// namespace of its own: unshare(CLONE_NEWNET) moves this test process into a
// fresh namespace (with a veth pair named dummy0/peer0) that disappears with
// the process, so nothing is left
// behind even when a test fails or crashes. `ip -j` (iproute2) cross-checks
// what the kernel holds. Needs root; skips with a message otherwise.
#include "network/netlink_configurator.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace agent::network {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::make_address_v4;
using boost::asio::ip::make_address_v6;

// The output of a shell command (stdout only); bounded to 1 MiB.
std::string run(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) {
        return {};
    }
    std::string output;
    std::array<char, 4096> chunk{};
    while (output.size() < (1U << 20U)) {
        const auto got = fread(chunk.data(), 1, chunk.size(), pipe.get());
        if (got == 0) {
            break;
        }
        output.append(chunk.data(), got);
    }
    return output;
}

bool run_ok(const std::string& command) {
    return std::system(command.c_str()) == 0;
}

class NetlinkConfiguratorTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (geteuid() != 0) {
            GTEST_SKIP() << "needs root to create a network namespace (unshare CLONE_NEWNET)";
        }
        if (unshare(CLONE_NEWNET) != 0) {
            GTEST_SKIP() << "cannot create a network namespace: " << std::strerror(errno);
        }
        // A veth pair (the dummy driver is not always available); the peer
        // is up so that the phone's side gets a carrier.
        ASSERT_TRUE(run_ok("ip link add dummy0 type veth peer name peer0 && ip link set peer0 up"));
        // No duplicate address detection: the IPv6 address is usable at once.
        ASSERT_TRUE(run_ok("sysctl -q -w net.ipv6.conf.dummy0.accept_dad=0"));
        auto opened = NetlinkConfigurator::open("dummy0");
        ASSERT_TRUE(opened) << opened.error();
        configurator = std::move(*opened);
    }

    // "addr/prefix" of every address `ip` shows on dummy0.
    static std::vector<std::string> ip_addresses() {
        std::vector<std::string> found;
        const auto parsed =
            nlohmann::json::parse(run("ip -j addr show dev dummy0"), nullptr, false);
        if (!parsed.is_array()) {
            return found;
        }
        for (const auto& link : parsed) {
            for (const auto& info : link.value("addr_info", nlohmann::json::array())) {
                if (info.value("scope", "") == "link") {
                    continue;  // the kernel's own fe80::
                }
                found.push_back(info.value("local", "") + "/" +
                                std::to_string(info.value("prefixlen", 0)));
            }
        }
        return found;
    }

    // The gateways of the default routes `ip` shows on dummy0 (v4 and v6).
    static std::vector<std::string> ip_default_gateways() {
        std::vector<std::string> found;
        for (const char* family : {"-4", "-6"}) {
            const auto parsed = nlohmann::json::parse(
                run(std::string("ip -j ") + family + " route show default dev dummy0"), nullptr,
                false);
            if (!parsed.is_array()) {
                continue;
            }
            for (const auto& route : parsed) {
                found.push_back(route.value("gateway", "") + " " + route.value("protocol", ""));
            }
        }
        return found;
    }

    static InterfaceAddress address(const char* ip, std::uint8_t prefix) {
        return {make_address(ip), prefix};
    }

    std::unique_ptr<NetlinkConfigurator> configurator;
};

TEST_F(NetlinkConfiguratorTest, AppliesAddressesAndDefaultRoutesAndReadsThemBack) {
    DesiredConfiguration desired;
    desired.link_up = true;
    desired.addresses = {address("192.0.2.10", 24), address("2001:db8::10", 64)};
    desired.ipv4_gateway = make_address_v4("192.0.2.1");
    desired.ipv6_gateway = make_address_v6("2001:db8::1");

    auto applied = configurator->apply(desired);

    ASSERT_TRUE(applied) << applied.error();
    EXPECT_EQ(ip_addresses(), (std::vector<std::string>{"192.0.2.10/24", "2001:db8::10/64"}));
    EXPECT_EQ(ip_default_gateways(),
              (std::vector<std::string>{"192.0.2.1 static", "2001:db8::1 static"}));
    auto state = configurator->read_state();
    ASSERT_TRUE(state) << state.error();
    EXPECT_TRUE(state->link_up);
    EXPECT_NE(
        std::find(state->addresses.begin(), state->addresses.end(), address("192.0.2.10", 24)),
        state->addresses.end());
    EXPECT_NE(
        std::find(state->addresses.begin(), state->addresses.end(), address("2001:db8::10", 64)),
        state->addresses.end());
}

TEST_F(NetlinkConfiguratorTest, ReconciliationRemovesOnlyWhatItAdded) {
    ASSERT_TRUE(run_ok("ip link set dummy0 up && ip addr add 198.51.100.7/24 dev dummy0"));
    DesiredConfiguration first;
    first.link_up = true;
    first.addresses = {address("192.0.2.10", 24)};
    first.ipv4_gateway = make_address_v4("192.0.2.1");
    ASSERT_TRUE(configurator->apply(first));

    DesiredConfiguration second;
    second.link_up = true;
    second.addresses = {address("203.0.113.20", 25)};
    second.ipv4_gateway = make_address_v4("203.0.113.1");
    auto switched = configurator->apply(second);

    ASSERT_TRUE(switched) << switched.error();
    EXPECT_EQ(ip_addresses(), (std::vector<std::string>{"198.51.100.7/24", "203.0.113.20/25"}));
    EXPECT_EQ(ip_default_gateways(), std::vector<std::string>{"203.0.113.1 static"});

    DesiredConfiguration nothing;
    nothing.link_up = true;
    ASSERT_TRUE(configurator->apply(nothing));
    EXPECT_EQ(ip_addresses(), std::vector<std::string>{"198.51.100.7/24"});
    EXPECT_TRUE(ip_default_gateways().empty());
}

TEST_F(NetlinkConfiguratorTest, AnExistingWantedAddressIsAdoptedAndLaterRemoved) {
    ASSERT_TRUE(run_ok("ip addr add 192.0.2.10/24 dev dummy0"));
    DesiredConfiguration desired;
    desired.link_up = true;
    desired.addresses = {address("192.0.2.10", 24)};
    ASSERT_TRUE(configurator->apply(desired));
    desired.addresses.clear();
    ASSERT_TRUE(configurator->apply(desired));
    EXPECT_TRUE(ip_addresses().empty());
}

TEST_F(NetlinkConfiguratorTest, AnEarlierRunsConfigurationIsAdoptedByTheNextOne) {
    DesiredConfiguration desired;
    desired.link_up = true;
    desired.addresses = {address("192.0.2.10", 24)};
    desired.ipv4_gateway = make_address_v4("192.0.2.1");
    ASSERT_TRUE(configurator->apply(desired));

    auto restarted = NetlinkConfigurator::open("dummy0");
    ASSERT_TRUE(restarted) << restarted.error();
    auto again = (*restarted)->apply(desired);
    ASSERT_TRUE(again) << again.error();
    ASSERT_TRUE((*restarted)->apply(DesiredConfiguration{true, {}, {}, {}}));
    EXPECT_TRUE(ip_addresses().empty());
    EXPECT_TRUE(ip_default_gateways().empty());
}

TEST_F(NetlinkConfiguratorTest, AnotherDefaultRouteIsNotReplaced) {
    ASSERT_TRUE(
        run_ok("ip link set dummy0 up && ip addr add 192.0.2.5/24 dev dummy0 && "
               "ip route add default via 192.0.2.254"));
    DesiredConfiguration desired;
    desired.link_up = true;
    desired.addresses = {address("192.0.2.10", 24)};
    desired.ipv4_gateway = make_address_v4("192.0.2.1");
    auto applied = configurator->apply(desired);
    ASSERT_FALSE(applied);
    EXPECT_NE(applied.error().find("another default route is in the way"), std::string::npos)
        << applied.error();
    // Protocol "boot" (ip route's default), which `ip -j` leaves out.
    EXPECT_EQ(ip_default_gateways(), std::vector<std::string>{"192.0.2.254 "});
}

TEST_F(NetlinkConfiguratorTest, LinkDownRemovesTheAgentsConfiguration) {
    DesiredConfiguration desired;
    desired.link_up = true;
    desired.addresses = {address("192.0.2.10", 24)};
    ASSERT_TRUE(configurator->apply(desired));
    ASSERT_TRUE(configurator->apply(DesiredConfiguration{}));
    auto state = configurator->read_state();
    ASSERT_TRUE(state) << state.error();
    EXPECT_FALSE(state->link_up);
    EXPECT_TRUE(ip_addresses().empty());
}

TEST_F(NetlinkConfiguratorTest, ErrorsNameTheOperationAndTheReason) {
    DesiredConfiguration unreachable;
    unreachable.link_up = true;
    unreachable.addresses = {address("192.0.2.10", 24)};
    unreachable.ipv4_gateway = make_address_v4("198.51.100.1");  // not on any subnet
    auto applied = configurator->apply(unreachable);
    ASSERT_FALSE(applied);
    EXPECT_NE(applied.error().find("add default route via 198.51.100.1 on dummy0: "),
              std::string::npos)
        << applied.error();

    auto missing = NetlinkConfigurator::open("nosuch0");
    ASSERT_TRUE(missing);
    auto state = (*missing)->read_state();
    ASSERT_FALSE(state);
    EXPECT_NE(state.error().find("look up interface nosuch0: "), std::string::npos)
        << state.error();
    EXPECT_FALSE(NetlinkConfigurator::open("a-name-far-too-long-for-linux"));
}

}  // namespace
}  // namespace agent::network
