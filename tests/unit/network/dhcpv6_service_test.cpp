// The DHCPv6 service between the real client state machine (fake transport,
// manual clock, the test playing the server), the phone's data model and
// the NetworkController with a fake configurator.
#include "dhcp_service/dhcpv6_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "dhcp/dhcpv6_duid.hpp"
#include "dhcp/dhcpv6_vendor_options.hpp"
#include "dhcp/vendor_options.hpp"
#include "dhcp_service/acs_url_origin.hpp"
#include "dhcp_service/dhcpv4_publication.hpp"
#include "dhcpv6_client_fakes.hpp"
#include "test_model.hpp"

namespace agent::dhcp_service {
namespace {

using dhcp::address_v6;
using dhcp::Bytes;
using dhcp::Dhcpv6Message;
using dhcp::Dhcpv6MessageType;
using dhcp_test::FakeV6Transport;
using dhcp_test::ManualEnvironment;
using std::chrono::milliseconds;
namespace opt = dhcp::dhcpv6_option;

const Bytes kClientDuid = dhcp::make_duid_ll({0x02, 0, 0, 0, 0, 0x07});
const Bytes kServerDuid = dhcp::make_duid_ll({0x02, 0, 0, 0, 0, 0xaa});
const address_v6 kAddress = boost::asio::ip::make_address_v6("fd00:233::10");
const address_v6 kDns = boost::asio::ip::make_address_v6("fd00:233::1");
constexpr const char* kClient = "Device.DHCPv6.Client.1.";
constexpr const char* kUrl = "Device.ManagementServer.URL";
const std::string kAcsUrl = "http://[fd00:233::1]:7547/";

class FakeConfigurator final : public network::InterfaceConfigurator {
public:
    phonecwmp::Expected<void, std::string> apply(
        const network::DesiredConfiguration& desired) override {
        current = desired;
        return {};
    }
    phonecwmp::Expected<network::InterfaceState, std::string> read_state() override {
        return network::InterfaceState{current.link_up, current.link_up, current.addresses};
    }
    const std::string& interface_name() const override { return name; }
    bool has_address(address_v6 address) const {
        for (const auto& a : current.addresses) {
            if (a.address == boost::asio::ip::address(address)) return true;
        }
        return false;
    }

    network::DesiredConfiguration current;
    std::string name = "veth-test";
};

void put_u32(Bytes& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(value >> shift));
}

// An ADVERTISE (preference 255: taken at once) or REPLY with one address,
// a DNS server and the ACS in option 17 enterprise 3561.
Bytes server_message(Dhcpv6MessageType type, std::uint32_t transaction_id) {
    Dhcpv6Message message;
    message.type = type;
    message.transaction_id = transaction_id;
    message.options.push_back({opt::kClientId, kClientDuid});
    message.options.push_back({opt::kServerId, kServerDuid});
    if (type == Dhcpv6MessageType::Advertise) message.options.push_back({opt::kPreference, {255}});
    Bytes iaaddr;
    const auto bytes = kAddress.to_bytes();
    iaaddr.insert(iaaddr.end(), bytes.begin(), bytes.end());
    put_u32(iaaddr, 3600);
    put_u32(iaaddr, 7200);
    auto nested = dhcp::encode_dhcpv6_options({{opt::kIaAddress, iaaddr}});
    if (!nested) throw std::logic_error(nested.error().message);
    Bytes ia;
    put_u32(ia, 1);
    put_u32(ia, 1800);
    put_u32(ia, 2880);
    ia.insert(ia.end(), nested->begin(), nested->end());
    message.options.push_back({opt::kIaNa, ia});
    const auto dns = kDns.to_bytes();
    message.options.push_back({opt::kDnsServers, Bytes(dns.begin(), dns.end())});
    auto vendor = dhcp::encode_dhcpv6_vendor_options(dhcp::Dhcpv6VendorOptions{
        dhcp::kBroadbandForumEnterprise, {{1, Bytes(kAcsUrl.begin(), kAcsUrl.end())}}});
    if (!vendor) throw std::logic_error(vendor.error().message);
    message.options.push_back({opt::kVendorOptions, *vendor});
    auto encoded = dhcp::encode_dhcpv6(message);
    if (!encoded) throw std::logic_error(encoded.error().message);
    return *encoded;
}

class Dhcpv6ServiceTest : public ::testing::Test {
protected:
    Dhcpv6ServiceTest() {
        std::random_device random;
        directory = std::filesystem::temp_directory_path() /
                    ("dhcpv6_service_test_" + std::to_string(random()));
        std::filesystem::create_directories(directory);
        auto opened = datamodel::Model::open(agent::testing::phone_definitions(),
                                             directory / "store.sqlite", PHONECWMP_FACTORY_FILE);
        if (!opened) throw std::runtime_error(opened.error().message);
        model = std::move(*opened);
        // IPv6 only: the DHCPv4 client (factory: enabled) has no service here.
        auto written = model->set_internal({{"Device.DHCPv4.Client.1.Enable", "false", {}}});
        if (!written) throw std::runtime_error(written.error().front().message);
        dns.emplace(*model);
        network.emplace(*model, configurator, *dns);
        network->start();
        service.emplace(*model, *network, transport, environment, kClientDuid);
    }
    ~Dhcpv6ServiceTest() override {
        service.reset();
        std::error_code ignored;
        std::filesystem::remove_all(directory, ignored);
    }

    void spv(const std::string& path, const std::string& value) {
        auto written = model->set_values({{path, value, std::nullopt}});
        ASSERT_TRUE(written) << written.error().front().message;
    }
    std::string value(const std::string& path) { return model->value(path).value_or("(none)"); }
    const Dhcpv6Message& last_sent() const { return transport.sent.back().message; }

    // SOLICIT → ADVERTISE → REQUEST → REPLY.
    void bind() {
        environment.advance(milliseconds(1000));  // SOL_MAX_DELAY at most
        ASSERT_FALSE(transport.sent.empty());
        ASSERT_EQ(last_sent().type, Dhcpv6MessageType::Solicit);
        transport.deliver(server_message(Dhcpv6MessageType::Advertise, last_sent().transaction_id));
        ASSERT_EQ(last_sent().type, Dhcpv6MessageType::Request);
        transport.deliver(server_message(Dhcpv6MessageType::Reply, last_sent().transaction_id));
        ASSERT_EQ(service->client()->state(), dhcp::Dhcpv6ClientState::Bound);
    }

    std::filesystem::path directory;
    std::unique_ptr<datamodel::Model> model;
    FakeConfigurator configurator;
    std::optional<network::DnsServersFollower> dns;
    std::optional<network::NetworkController> network;
    ManualEnvironment environment;
    FakeV6Transport transport{environment};
    std::optional<Dhcpv6Service> service;
};

TEST_F(Dhcpv6ServiceTest, LeaseIsAppliedAndDiscoversTheAcsFromOption17) {
    service->start();
    EXPECT_EQ(value(std::string(kClient) + "Status"), "Enabled");
    EXPECT_EQ(value(std::string(kClient) + "DUID"), to_hex(kClientDuid));
    bind();
    EXPECT_TRUE(configurator.has_address(kAddress));
    EXPECT_EQ(dns->servers(), std::vector<std::string>{"fd00:233::1"});
    EXPECT_EQ(value(kUrl), kAcsUrl);
    EXPECT_EQ(model->meta(kDiscoveredAcsUrlKey), kAcsUrl);
}

TEST_F(Dhcpv6ServiceTest, UrlSetByTheAcsWins) {
    service->start();
    spv(kUrl, "https://acs.operator.example/cwmp");
    bind();
    EXPECT_EQ(value(kUrl), "https://acs.operator.example/cwmp");
}

TEST_F(Dhcpv6ServiceTest, DisablingReleasesTheLease) {
    service->start();
    bind();
    spv(std::string(kClient) + "Enable", "false");
    EXPECT_EQ(last_sent().type, Dhcpv6MessageType::Release);
    EXPECT_FALSE(service->running());
    EXPECT_FALSE(configurator.has_address(kAddress));
    EXPECT_EQ(value(std::string(kClient) + "Status"), "Disabled");
}

}  // namespace
}  // namespace agent::dhcp_service
