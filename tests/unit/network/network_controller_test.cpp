#include "network/network_controller.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "test_model.hpp"

namespace agent::network {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::make_address_v4;

constexpr const char* kV4 = "Device.IP.Interface.1.IPv4Address.1.";
constexpr const char* kRoute = "Device.Routing.Router.1.IPv4Forwarding.1.";
constexpr const char* kDhcp = "Device.DHCPv4.Client.1.Enable";

// Records every reconciliation; the kernel state it reports is what was
// applied last, unless told to fail.
class FakeConfigurator final : public InterfaceConfigurator {
public:
    phonecwmp::Expected<void, std::string> apply(const DesiredConfiguration& desired) override {
        calls.push_back(desired);
        if (fail) {
            return phonecwmp::Unexpected<std::string>("add address: Permission denied");
        }
        current = desired;
        return {};
    }
    phonecwmp::Expected<InterfaceState, std::string> read_state() override {
        return InterfaceState{current.link_up, current.link_up, current.addresses};
    }
    const std::string& interface_name() const override { return name; }

    std::vector<DesiredConfiguration> calls;
    DesiredConfiguration current;
    bool fail = false;
    std::string name = "veth-test";
};

class NetworkControllerTest : public ::testing::Test {
protected:
    using Pairs = std::initializer_list<std::pair<std::string, std::string>>;
    static std::vector<datamodel::ValueWrite> writes(Pairs pairs) {
        std::vector<datamodel::ValueWrite> out;
        for (const auto& [path, value] : pairs) {
            out.push_back({path, value, std::nullopt});
        }
        return out;
    }
    auto spv(Pairs pairs) { return model.set_values(writes(pairs)); }

    NetworkControllerTest() {
        add("Device.IP.Interface.");
        add("Device.IP.Interface.1.IPv4Address.");
        add("Device.DHCPv4.Client.");
        add("Device.DHCPv6.Client.");
        add("Device.Routing.Router.");
        add("Device.Routing.Router.1.IPv4Forwarding.");
        internal({{"Device.IP.Interface.1.Enable", "true"},
                  {"Device.IP.Interface.1.IPv4Enable", "true"},
                  {std::string(kV4) + "Enable", "true"},
                  {std::string(kRoute) + "Enable", "true"},
                  {"Device.DNS.Client.Enable", "true"},
                  {kDhcp, "false"}});
    }

    void add(const std::string& table) {
        auto added = model.add_object(table);
        ASSERT_TRUE(added) << table << ": " << added.error().message;
    }
    void internal(Pairs pairs) {
        auto written = model.set_internal(writes(pairs));
        ASSERT_TRUE(written) << written.error().front().message;
    }
    std::string value(const std::string& path) { return model.value(path).value_or("(none)"); }

    static InterfaceAddress address(const char* ip, std::uint8_t prefix) {
        return {make_address(ip), prefix};
    }

    datamodel::Model model{agent::testing::phone_definitions()};
    FakeConfigurator configurator;
    DnsServersFollower dns{model};
    NetworkController controller{model, configurator, dns};
};

TEST_F(NetworkControllerTest, StaticAddressMaskAndGatewayOfOneSpvAreOneApply) {
    controller.start();
    ASSERT_EQ(configurator.calls.size(), 1u);  // the start: link up, nothing static yet
    EXPECT_TRUE(configurator.calls[0].link_up);
    EXPECT_TRUE(configurator.calls[0].addresses.empty());

    auto set = spv({{std::string(kV4) + "IPAddress", "192.0.2.10"},
                    {std::string(kV4) + "SubnetMask", "255.255.255.0"},
                    {std::string(kRoute) + "GatewayIPAddress", "192.0.2.1"}});
    ASSERT_TRUE(set) << set.error().front().message;

    ASSERT_EQ(configurator.calls.size(), 2u);
    const auto& applied = configurator.calls.back();
    ASSERT_EQ(applied.addresses.size(), 1u);
    EXPECT_EQ(applied.addresses[0], address("192.0.2.10", 24));
    ASSERT_TRUE(applied.ipv4_gateway);
    EXPECT_EQ(applied.ipv4_gateway->to_string(), "192.0.2.1");
    EXPECT_EQ(value(std::string(kV4) + "AddressingType"), "Static");
    EXPECT_EQ(value(std::string(kV4) + "Status"), "Enabled");
    EXPECT_EQ(value("Device.IP.Interface.1.Status"), "Up");
    EXPECT_EQ(value("Device.IP.Interface.1.Name"), "veth-test");
}

TEST_F(NetworkControllerTest, InvalidMaskFaultsBeforeAnythingChanges) {
    controller.start();
    ASSERT_TRUE(spv({{std::string(kV4) + "IPAddress", "192.0.2.10"},
                     {std::string(kV4) + "SubnetMask", "255.255.255.0"}}));
    const auto calls = configurator.calls.size();

    auto set = spv({{std::string(kV4) + "IPAddress", "192.0.2.20"},
                    {std::string(kV4) + "SubnetMask", "255.0.255.0"}});

    ASSERT_FALSE(set);
    ASSERT_EQ(set.error().size(), 1u);
    EXPECT_EQ(set.error()[0].code, datamodel::ErrorCode::InvalidValue);
    EXPECT_EQ(set.error()[0].path, std::string(kV4) + "SubnetMask");
    EXPECT_NE(set.error()[0].message.find("255.0.255.0"), std::string::npos);
    EXPECT_EQ(configurator.calls.size(), calls);
    EXPECT_EQ(value(std::string(kV4) + "IPAddress"), "192.0.2.10");
}

TEST_F(NetworkControllerTest, BroadcastAddressAndForeignGatewayFault) {
    controller.start();
    auto broadcast = spv({{std::string(kV4) + "IPAddress", "192.0.2.255"},
                          {std::string(kV4) + "SubnetMask", "255.255.255.0"}});
    ASSERT_FALSE(broadcast);
    EXPECT_EQ(broadcast.error()[0].path, std::string(kV4) + "IPAddress");

    auto gateway = spv({{std::string(kV4) + "IPAddress", "192.0.2.10"},
                        {std::string(kV4) + "SubnetMask", "255.255.255.0"},
                        {std::string(kRoute) + "GatewayIPAddress", "198.51.100.1"}});
    ASSERT_FALSE(gateway);
    EXPECT_EQ(gateway.error()[0].path, std::string(kRoute) + "GatewayIPAddress");
    EXPECT_EQ(configurator.calls.size(), 1u);
}

TEST_F(NetworkControllerTest, AddressWithoutMaskFaults) {
    controller.start();
    auto set = spv({{std::string(kV4) + "IPAddress", "192.0.2.10"}});
    ASSERT_FALSE(set);
    EXPECT_EQ(set.error()[0].path, std::string(kV4) + "SubnetMask");
}

TEST_F(NetworkControllerTest, StaticValuesAreCheckedOnlyWhenStaticIsChosen) {
    internal({{kDhcp, "true"}});
    controller.start();
    // Under DHCP the address is the lease's: a written one is not checked,
    // and the published value (no lease: empty) replaces it.
    EXPECT_TRUE(spv({{std::string(kV4) + "IPAddress", "192.0.2.10"}}));
    EXPECT_EQ(value(std::string(kV4) + "IPAddress"), "");

    auto to_static = spv({{kDhcp, "false"},
                          {std::string(kV4) + "IPAddress", "192.0.2.10"},
                          {std::string(kV4) + "SubnetMask", "255.255.0.255"}});
    ASSERT_FALSE(to_static);
    EXPECT_EQ(to_static.error()[0].path, std::string(kV4) + "SubnetMask");
    EXPECT_EQ(value(kDhcp), "true");
    EXPECT_EQ(configurator.calls.size(), 1u);
}

TEST_F(NetworkControllerTest, DhcpLeaseThenStaticThenDhcpAgain) {
    internal({{kDhcp, "true"}});
    controller.start();
    EXPECT_EQ(value(std::string(kV4) + "AddressingType"), "DHCP");
    EXPECT_EQ(value(std::string(kV4) + "Status"), "Disabled");  // no lease yet

    controller.apply_lease(
        Ipv4Lease{address("10.9.0.50", 24), make_address_v4("10.9.0.1"), {"10.9.0.53"}});
    ASSERT_EQ(configurator.calls.size(), 2u);
    EXPECT_EQ(configurator.calls.back().addresses[0], address("10.9.0.50", 24));
    EXPECT_EQ(configurator.calls.back().ipv4_gateway->to_string(), "10.9.0.1");
    EXPECT_EQ(value(std::string(kV4) + "IPAddress"), "10.9.0.50");
    EXPECT_EQ(value(std::string(kV4) + "SubnetMask"), "255.255.255.0");
    EXPECT_EQ(value(std::string(kV4) + "Status"), "Enabled");
    EXPECT_EQ(dns.servers(), std::vector<std::string>{"10.9.0.53"});

    // One SPV switches to static with new values: one apply, lease gone.
    auto to_static = spv({{kDhcp, "false"},
                          {std::string(kV4) + "IPAddress", "192.0.2.10"},
                          {std::string(kV4) + "SubnetMask", "255.255.255.0"},
                          {std::string(kRoute) + "GatewayIPAddress", "192.0.2.1"}});
    ASSERT_TRUE(to_static) << to_static.error().front().message;
    ASSERT_EQ(configurator.calls.size(), 3u);
    EXPECT_EQ(configurator.calls.back().addresses,
              std::vector<InterfaceAddress>{address("192.0.2.10", 24)});
    EXPECT_EQ(value(std::string(kV4) + "AddressingType"), "Static");
    EXPECT_TRUE(dns.servers().empty());  // the lease's server went with it

    ASSERT_TRUE(spv({{kDhcp, "true"}}));
    ASSERT_EQ(configurator.calls.size(), 4u);
    EXPECT_TRUE(configurator.calls.back().addresses.empty());  // waits for a new lease
    EXPECT_EQ(value(std::string(kV4) + "AddressingType"), "DHCP");

    controller.apply_lease(Ipv4Lease{address("10.9.0.77", 24), std::nullopt, {}});
    ASSERT_EQ(configurator.calls.size(), 5u);
    EXPECT_EQ(configurator.calls.back().addresses[0], address("10.9.0.77", 24));
    EXPECT_FALSE(configurator.calls.back().ipv4_gateway);

    controller.lease_lost();
    EXPECT_TRUE(configurator.calls.back().addresses.empty());
    EXPECT_EQ(value(std::string(kV4) + "IPAddress"), "");
}

TEST_F(NetworkControllerTest, StateIsPublishedEvenWhenNothingIsToConfigure) {
    internal({{kDhcp, "true"}});
    controller.start();
    // E.g. an instance the ACS has just added, at its default.
    internal({{std::string(kV4) + "AddressingType", "Static"}});
    EXPECT_EQ(configurator.calls.size(), 1u);
    EXPECT_EQ(value(std::string(kV4) + "AddressingType"), "DHCP");
}

TEST_F(NetworkControllerTest, LeaseIsIgnoredWhileDhcpIsOff) {
    controller.start();
    controller.apply_lease(Ipv4Lease{address("10.9.0.50", 24), std::nullopt, {}});
    EXPECT_EQ(configurator.calls.size(), 1u);
    // Nor is it remembered for when DHCP comes on.
    ASSERT_TRUE(spv({{kDhcp, "true"}}));
    EXPECT_TRUE(configurator.calls.back().addresses.empty());
}

TEST_F(NetworkControllerTest, UnrelatedOrUnchangedCommitsApplyNothing) {
    controller.start();
    ASSERT_TRUE(spv({{"Device.ManagementServer.PeriodicInformInterval", "600"}}));
    ASSERT_TRUE(spv({{std::string(kRoute) + "GatewayIPAddress", ""}}));
    EXPECT_EQ(configurator.calls.size(), 1u);
}

TEST_F(NetworkControllerTest, InterfaceDisabledTakesTheLinkDown) {
    controller.start();
    ASSERT_TRUE(spv({{std::string(kV4) + "IPAddress", "192.0.2.10"},
                     {std::string(kV4) + "SubnetMask", "255.255.255.0"}}));
    ASSERT_TRUE(spv({{"Device.IP.Interface.1.Enable", "false"}}));
    EXPECT_FALSE(configurator.calls.back().link_up);
    EXPECT_EQ(value("Device.IP.Interface.1.Status"), "Down");
}

TEST_F(NetworkControllerTest, FailedApplyIsShownAndRetriedOnTheNextChange) {
    configurator.fail = true;
    controller.start();
    auto set = spv({{std::string(kV4) + "IPAddress", "192.0.2.10"},
                    {std::string(kV4) + "SubnetMask", "255.255.255.0"}});
    ASSERT_TRUE(set);  // the values are valid; the kernel refused them
    EXPECT_EQ(value(std::string(kV4) + "Status"), "Error_Misconfigured");

    configurator.fail = false;
    ASSERT_TRUE(spv({{std::string(kRoute) + "GatewayIPAddress", "192.0.2.1"}}));
    EXPECT_EQ(configurator.calls.size(), 3u);
    EXPECT_EQ(value(std::string(kV4) + "Status"), "Enabled");
}

TEST_F(NetworkControllerTest, ConfiguredDnsServersWinOverTheLease) {
    internal({{kDhcp, "true"}});
    controller.start();
    controller.apply_lease(Ipv4Lease{address("10.9.0.50", 24), std::nullopt, {"10.9.0.53"}});
    ASSERT_TRUE(model.add_object("Device.DNS.Client.Server."));
    ASSERT_TRUE(spv({{"Device.DNS.Client.Server.1.DNSServer", "192.0.2.53"},
                     {"Device.DNS.Client.Server.1.Enable", "true"}}));
    EXPECT_EQ(dns.servers(), std::vector<std::string>{"192.0.2.53"});
    ASSERT_TRUE(spv({{"Device.DNS.Client.Server.1.Enable", "false"}}));
    EXPECT_EQ(dns.servers(), std::vector<std::string>{"10.9.0.53"});
}

}  // namespace
}  // namespace agent::network
