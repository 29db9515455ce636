// The DHCPv4 service between the real client state machine (driven through
// a fake transport and a manual clock, the test playing the server), the
// data model loaded from the phone's definitions and factory file, and the
// NetworkController with a fake configurator.
#include "dhcp_service/dhcpv4_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "dhcp/dhcpv4_codec.hpp"
#include "dhcp/vendor_options.hpp"
#include "dhcp_service/acs_url_origin.hpp"
#include "dhcpv4_client_fakes.hpp"
#include "test_model.hpp"

namespace agent::dhcp_service {
namespace {

using dhcp::address_v4;
using dhcp::Bytes;
using dhcp::Dhcpv4Message;
using dhcp::Dhcpv4MessageType;
using dhcp_test::FakeTransport;
using dhcp_test::ManualEnvironment;
using std::chrono::seconds;
namespace opt = dhcp::dhcpv4_option;

const std::array<std::uint8_t, 6> kHardware{0x02, 0, 0, 0, 0, 0x07};
const address_v4 kServer = boost::asio::ip::make_address_v4("10.231.0.1");
const address_v4 kAddress = boost::asio::ip::make_address_v4("10.231.0.100");
const address_v4 kOtherAddress = boost::asio::ip::make_address_v4("10.231.0.101");
constexpr const char* kClient = "Device.DHCPv4.Client.1.";
constexpr const char* kUrl = "Device.ManagementServer.URL";

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
    bool has_address(address_v4 address) const {
        for (const auto& a : current.addresses) {
            if (a.address == boost::asio::ip::address(address)) return true;
        }
        return false;
    }

    network::DesiredConfiguration current;
    std::string name = "veth-test";
};

class RecordingSip final : public SipReregistrationSink {
public:
    void network_reinitialised() override { ++reregistrations; }
    int reregistrations = 0;
};

Bytes u32_bytes(std::uint32_t value) {
    return {static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
            static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
}

Bytes text_bytes(const std::string& text) {
    return Bytes(text.begin(), text.end());
}

// What the test server puts in its offers and acks.
struct ServerOptions {
    address_v4 address = kAddress;
    std::string acs_url = "http://acs.example.net:7547/";
    std::string provisioning_code = "PC-1";
    bool gateway_identity = true;
};

Dhcpv4Message server_reply(Dhcpv4MessageType type, std::uint32_t xid, const ServerOptions& o) {
    Dhcpv4Message message;
    message.op = dhcp::kBootReply;
    message.xid = xid;
    std::copy(kHardware.begin(), kHardware.end(), message.chaddr.begin());
    message.set(opt::kMessageType, {static_cast<std::uint8_t>(type)});
    message.set(opt::kServerIdentifier, u32_bytes(kServer.to_uint()));
    if (type == Dhcpv4MessageType::Nak) return message;
    message.yiaddr = o.address;
    message.set(opt::kSubnetMask, u32_bytes(0xffffff00));
    message.set(opt::kLeaseTime, u32_bytes(3600));
    message.set(opt::kRouters, u32_bytes(kServer.to_uint()));
    message.set(opt::kDomainNameServers, u32_bytes(kServer.to_uint()));
    if (!o.acs_url.empty()) {
        message.set(opt::kVendorSpecific,
                    dhcp::encode_vendor_suboptions({{1, text_bytes(o.acs_url)},
                                                    {2, text_bytes(o.provisioning_code)},
                                                    {3, text_bytes("30")}}));
    }
    if (o.gateway_identity) {
        auto encoded = dhcp::encode_vendor_identifying_option(
            {{dhcp::kBroadbandForumEnterprise,
              {{4, text_bytes("00D09E")}, {5, text_bytes("GW-42")}, {6, text_bytes("HGW")}}}});
        if (!encoded) throw std::logic_error(encoded.error().message);
        message.set(opt::kVendorIdentifyingSpecific, *encoded);
    }
    return message;
}

std::optional<Dhcpv4MessageType> type_of(const Dhcpv4Message& message) {
    auto code = message.message_type_code();
    if (!code) return std::nullopt;
    return static_cast<Dhcpv4MessageType>(*code);
}

class Dhcpv4ServiceTest : public ::testing::Test {
protected:
    Dhcpv4ServiceTest() {
        std::random_device random;
        directory = std::filesystem::temp_directory_path() /
                    ("dhcpv4_service_test_" + std::to_string(random()));
        std::filesystem::create_directories(directory);
        auto opened = datamodel::Model::open(agent::testing::phone_definitions(),
                                             directory / "store.sqlite", PHONECWMP_FACTORY_FILE);
        if (!opened) throw std::runtime_error(opened.error().message);
        model = std::move(*opened);
        internal({{"Device.DeviceInfo.SerialNumber", "SN0042"},
                  {"Device.DeviceInfo.ManufacturerOUI", "00A0B1"},
                  {"Device.DeviceInfo.ProductClass", "DeskPhone"}});
        dns.emplace(*model);
        network.emplace(*model, configurator, *dns);
        network->start();
        service.emplace(*model, *network, transport, environment, kHardware);
        service->set_sip_reregistration(&sip);
    }
    ~Dhcpv4ServiceTest() override {
        service.reset();
        std::error_code ignored;
        std::filesystem::remove_all(directory, ignored);
    }

    void internal(std::initializer_list<std::pair<std::string, std::string>> pairs) {
        std::vector<datamodel::ValueWrite> writes;
        for (const auto& [path, value] : pairs) writes.push_back({path, value, std::nullopt});
        auto written = model->set_internal(writes);
        ASSERT_TRUE(written) << written.error().front().message;
    }
    void spv(const std::string& path, const std::string& value) {
        auto written = model->set_values({{path, value, std::nullopt}});
        ASSERT_TRUE(written) << written.error().front().message;
    }
    std::string value(const std::string& path) { return model->value(path).value_or("(none)"); }
    std::string client(const std::string& name) { return value(std::string(kClient) + name); }
    const Dhcpv4Message& last_sent() const { return transport.sent.back().message; }

    void answer(Dhcpv4MessageType type, const ServerOptions& options) {
        auto encoded = dhcp::encode_dhcpv4(server_reply(type, last_sent().xid, options));
        ASSERT_TRUE(encoded) << encoded.error().message;
        transport.deliver(*encoded);
    }

    // DISCOVER → OFFER → REQUEST → ACK.
    void bind(const ServerOptions& options = {}) {
        ASSERT_FALSE(transport.sent.empty());
        ASSERT_EQ(type_of(last_sent()), Dhcpv4MessageType::Discover);
        answer(Dhcpv4MessageType::Offer, options);
        ASSERT_EQ(type_of(last_sent()), Dhcpv4MessageType::Request);
        answer(Dhcpv4MessageType::Ack, options);
        ASSERT_EQ(service->client()->state(), dhcp::Dhcpv4ClientState::Bound);
    }

    std::filesystem::path directory;
    std::unique_ptr<datamodel::Model> model;
    FakeConfigurator configurator;
    std::optional<network::DnsServersFollower> dns;
    std::optional<network::NetworkController> network;
    ManualEnvironment environment;
    FakeTransport transport{environment};
    RecordingSip sip;
    std::optional<Dhcpv4Service> service;
};

TEST_F(Dhcpv4ServiceTest, DiscoverCarriesTheIdentityOfTheDataModel) {
    service->start();
    ASSERT_EQ(transport.sent.size(), 1u);
    const Dhcpv4Message& discover = last_sent();
    ASSERT_NE(discover.find(opt::kVendorClassIdentifier), nullptr);
    EXPECT_EQ(*discover.find(opt::kVendorClassIdentifier), text_bytes("dslforum.org"));
    // Factory ReqOption rows, in Order.
    ASSERT_NE(discover.find(opt::kParameterRequestList), nullptr);
    EXPECT_EQ(*discover.find(opt::kParameterRequestList),
              (Bytes{1, 2, 3, 6, 15, 42, 43, 66, 125, 150, 159, 160}));
    const Bytes* identity = discover.find(opt::kVendorIdentifyingSpecific);
    ASSERT_NE(identity, nullptr);
    auto blocks = dhcp::decode_vendor_identifying_option(*identity);
    ASSERT_TRUE(blocks);
    ASSERT_EQ(blocks->size(), 1u);
    EXPECT_EQ((*blocks)[0].enterprise, dhcp::kBroadbandForumEnterprise);
    const auto* serial = dhcp::find_vendor_suboption((*blocks)[0].suboptions, 2);
    ASSERT_NE(serial, nullptr);
    EXPECT_EQ(serial->data, text_bytes("SN0042"));
    const auto* product = dhcp::find_vendor_suboption((*blocks)[0].suboptions, 3);
    ASSERT_NE(product, nullptr);
    EXPECT_EQ(product->data, text_bytes("DeskPhone"));
    EXPECT_EQ(client("Status"), "Enabled");
    EXPECT_EQ(client("DHCPStatus"), "Selecting");
}

TEST_F(Dhcpv4ServiceTest, SentAndRequestedOptionRowsShapeTheDiscover) {
    auto row = model->add_object(std::string(kClient) + "SentOption.");
    ASSERT_TRUE(row) << row.error().message;
    const std::string sent = std::string(kClient) + "SentOption." + std::to_string(*row) + ".";
    spv(sent + "Tag", "61");
    spv(sent + "Value", "ff00000001");
    spv(sent + "Enable", "true");
    // ReqOption.2 (tag 2) off, ReqOption.1 (tag 1) moved last.
    spv(std::string(kClient) + "ReqOption.2.Enable", "false");
    spv(std::string(kClient) + "ReqOption.1.Order", "99");
    service->start();
    ASSERT_EQ(transport.sent.size(), 1u);
    const Dhcpv4Message& discover = last_sent();
    ASSERT_NE(discover.find(opt::kClientIdentifier), nullptr);
    EXPECT_EQ(*discover.find(opt::kClientIdentifier), (Bytes{0xff, 0, 0, 0, 1}));
    ASSERT_NE(discover.find(opt::kParameterRequestList), nullptr);
    EXPECT_EQ(*discover.find(opt::kParameterRequestList),
              (Bytes{3, 6, 15, 42, 43, 66, 125, 150, 159, 160, 1}));
}

TEST_F(Dhcpv4ServiceTest, RememberedLeaseIsConfirmedByInitReboot) {
    ASSERT_TRUE(model->set_meta(kRememberedAddressKey, "10.231.0.100"));
    service->start();
    ASSERT_EQ(transport.sent.size(), 1u);
    EXPECT_EQ(type_of(last_sent()), Dhcpv4MessageType::Request);
    ASSERT_NE(last_sent().find(opt::kRequestedAddress), nullptr);
    EXPECT_EQ(*last_sent().find(opt::kRequestedAddress), u32_bytes(kAddress.to_uint()));
}

TEST_F(Dhcpv4ServiceTest, LeaseIsAppliedPublishedAndDiscoversTheAcs) {
    service->start();
    bind();
    EXPECT_TRUE(configurator.has_address(kAddress));
    EXPECT_EQ(client("IPAddress"), "10.231.0.100");
    EXPECT_EQ(client("SubnetMask"), "255.255.255.0");
    EXPECT_EQ(client("IPRouters"), "10.231.0.1");
    EXPECT_EQ(client("DNSServers"), "10.231.0.1");
    EXPECT_EQ(client("DHCPServer"), "10.231.0.1");
    EXPECT_EQ(client("DHCPStatus"), "Bound");
    EXPECT_EQ(client("LeaseTimeRemaining"), "3600");
    environment.advance(seconds(100));
    EXPECT_EQ(client("LeaseTimeRemaining"), "3500");
    // ReqOption.4 is tag 6 (DNS), ReqOption.7 tag 43; tag 2 was not sent.
    EXPECT_EQ(client("ReqOption.4.Value"), "0ae70001");
    EXPECT_EQ(client("ReqOption.2.Value"), "");
    EXPECT_EQ(client("ReqOption.7.Value").substr(0, 4), "011c");  // sub-option 1, 28 bytes
    EXPECT_EQ(dns->servers(), std::vector<std::string>{"10.231.0.1"});

    EXPECT_EQ(value(kUrl), "http://acs.example.net:7547/");
    EXPECT_EQ(value("Device.DeviceInfo.ProvisioningCode"), "PC-1");
    EXPECT_EQ(value("Device.ManagementServer.CWMPRetryMinimumWaitInterval"), "30");
    EXPECT_EQ(value("Device.GatewayInfo.ManufacturerOUI"), "00D09E");
    EXPECT_EQ(value("Device.GatewayInfo.SerialNumber"), "GW-42");
    EXPECT_EQ(value("Device.GatewayInfo.ProductClass"), "HGW");
    EXPECT_EQ(model->meta(kRememberedAddressKey), "10.231.0.100");
    EXPECT_EQ(sip.reregistrations, 0);
}

TEST_F(Dhcpv4ServiceTest, LeaseDnsServersAreUsedUnlessServersAreConfigured) {
    service->start();
    bind();
    EXPECT_EQ(network::DnsServersFollower::effective_servers(*model),
              std::vector<std::string>{"10.231.0.1"});
    auto row = model->add_object("Device.DNS.Client.Server.");
    ASSERT_TRUE(row) << row.error().message;
    const std::string server = "Device.DNS.Client.Server." + std::to_string(*row) + ".";
    spv(server + "DNSServer", "192.0.2.53");
    spv(server + "Enable", "true");
    EXPECT_EQ(network::DnsServersFollower::effective_servers(*model),
              std::vector<std::string>{"192.0.2.53"});
    EXPECT_EQ(dns->servers(), std::vector<std::string>{"192.0.2.53"});
    spv(server + "Enable", "false");
    EXPECT_EQ(network::DnsServersFollower::effective_servers(*model),
              std::vector<std::string>{"10.231.0.1"});
    EXPECT_EQ(dns->servers(), std::vector<std::string>{"10.231.0.1"});
}

TEST_F(Dhcpv4ServiceTest, UrlSetByTheAcsIsNeverReplacedByDiscovery) {
    service->start();
    spv(kUrl, "https://acs.operator.example/cwmp");
    bind();
    EXPECT_EQ(value(kUrl), "https://acs.operator.example/cwmp");
    // Discovery did not own the URL: its other values are not taken either.
    EXPECT_EQ(value("Device.DeviceInfo.ProvisioningCode"), "");
    EXPECT_EQ(value("Device.GatewayInfo.SerialNumber"), "GW-42");
}

TEST_F(Dhcpv4ServiceTest, AcsChangingADiscoveredUrlTakesItOver) {
    service->start();
    bind();
    ASSERT_EQ(value(kUrl), "http://acs.example.net:7547/");
    spv(kUrl, "https://acs.operator.example/cwmp");
    EXPECT_FALSE(model->meta(kDiscoveredAcsUrlKey));
    // At T1 the lease is renewed; the server names yet another ACS.
    environment.advance(seconds(1800));
    ASSERT_EQ(type_of(last_sent()), Dhcpv4MessageType::Request);
    answer(Dhcpv4MessageType::Ack, {.acs_url = "http://other-acs.example.net/"});
    EXPECT_EQ(service->client()->state(), dhcp::Dhcpv4ClientState::Bound);
    EXPECT_EQ(value(kUrl), "https://acs.operator.example/cwmp");
}

TEST_F(Dhcpv4ServiceTest, LocallyConfiguredUrlWins) {
    internal({{kUrl, "http://configured.example/"}});
    service->start();
    bind();
    EXPECT_EQ(value(kUrl), "http://configured.example/");
}

TEST_F(Dhcpv4ServiceTest, DiscoveredUrlFollowsTheNextDiscovery) {
    service->start();
    bind();
    environment.advance(seconds(1800));
    ASSERT_EQ(type_of(last_sent()), Dhcpv4MessageType::Request);
    answer(Dhcpv4MessageType::Ack,
           {.acs_url = "http://other-acs.example.net/", .provisioning_code = "PC-2"});
    EXPECT_EQ(value(kUrl), "http://other-acs.example.net/");
    EXPECT_EQ(value("Device.DeviceInfo.ProvisioningCode"), "PC-2");
    EXPECT_EQ(model->meta(kDiscoveredAcsUrlKey), "http://other-acs.example.net/");
}

TEST_F(Dhcpv4ServiceTest, FactoryResetGivesTheUrlBackToDiscovery) {
    service->start();
    spv(kUrl, "https://acs.operator.example/cwmp");
    ASSERT_TRUE(model->factory_reset());
    EXPECT_TRUE(discovery_may_set_acs_url(*model));
}

TEST_F(Dhcpv4ServiceTest, DisablingReleasesAndClearsEnablingStartsAgain) {
    service->start();
    bind();
    spv(std::string(kClient) + "Enable", "false");
    ASSERT_FALSE(transport.sent.empty());
    EXPECT_EQ(type_of(last_sent()), Dhcpv4MessageType::Release);
    EXPECT_FALSE(service->running());
    EXPECT_EQ(client("Status"), "Disabled");
    EXPECT_EQ(client("IPAddress"), "");
    EXPECT_EQ(client("ReqOption.4.Value"), "");
    EXPECT_EQ(client("LeaseTimeRemaining"), "0");
    EXPECT_FALSE(configurator.has_address(kAddress));
    EXPECT_FALSE(model->meta(kRememberedAddressKey));

    const auto sent = transport.sent.size();
    spv(std::string(kClient) + "Enable", "true");
    ASSERT_EQ(transport.sent.size(), sent + 1);
    EXPECT_EQ(client("Status"), "Enabled");
    bind();
    EXPECT_TRUE(configurator.has_address(kAddress));
}

TEST_F(Dhcpv4ServiceTest, RenewParameterRenewsAndReadsFalse) {
    service->start();
    bind();
    const auto sent = transport.sent.size();
    spv(std::string(kClient) + "Renew", "true");
    ASSERT_EQ(transport.sent.size(), sent + 1);
    EXPECT_EQ(type_of(last_sent()), Dhcpv4MessageType::Request);
    EXPECT_EQ(client("DHCPStatus"), "Renewing");
    EXPECT_EQ(client("Renew"), "false");
}

TEST_F(Dhcpv4ServiceTest, SilentSipProxyRenewsOnlyPastTheTimeout) {
    service->start();
    bind();
    const auto sent = transport.sent.size();
    service->proxy_unresponsive(seconds(600));  // 0 = off
    EXPECT_EQ(transport.sent.size(), sent);

    spv(std::string(kClient) + "X_PHONECWMP_SIPTimeoutRenewal", "30");
    service->proxy_unresponsive(seconds(29));
    EXPECT_EQ(transport.sent.size(), sent);
    service->proxy_unresponsive(seconds(30));
    ASSERT_EQ(transport.sent.size(), sent + 1);
    EXPECT_EQ(type_of(last_sent()), Dhcpv4MessageType::Request);
    EXPECT_FALSE(transport.sent.back().broadcast);  // RENEWING: unicast to the server
    // Renewing already: a second report does not start another exchange.
    service->proxy_unresponsive(seconds(31));
    EXPECT_EQ(transport.sent.size(), sent + 1);

    // Same address back: nothing else happens.
    answer(Dhcpv4MessageType::Ack, {});
    EXPECT_EQ(service->client()->state(), dhcp::Dhcpv4ClientState::Bound);
    EXPECT_EQ(sip.reregistrations, 0);
    EXPECT_TRUE(configurator.has_address(kAddress));
}

TEST_F(Dhcpv4ServiceTest, NakAfterSipTimeoutReinitialisesNetworkAndSip) {
    service->start();
    bind();
    spv(std::string(kClient) + "X_PHONECWMP_SIPTimeoutRenewal", "10");
    service->proxy_unresponsive(seconds(12));
    ASSERT_EQ(type_of(last_sent()), Dhcpv4MessageType::Request);
    answer(Dhcpv4MessageType::Nak, {});
    EXPECT_FALSE(configurator.has_address(kAddress));
    EXPECT_EQ(client("IPAddress"), "");
    EXPECT_EQ(sip.reregistrations, 0);  // not before there is an address again

    environment.advance(seconds(15));
    bind({.address = kOtherAddress});
    EXPECT_TRUE(configurator.has_address(kOtherAddress));
    EXPECT_EQ(client("IPAddress"), "10.231.0.101");
    EXPECT_EQ(sip.reregistrations, 1);
}

TEST_F(Dhcpv4ServiceTest, RenewalWithAnotherAddressReinitialisesSip) {
    service->start();
    bind();
    environment.advance(seconds(1800));
    ASSERT_EQ(type_of(last_sent()), Dhcpv4MessageType::Request);
    answer(Dhcpv4MessageType::Ack, {.address = kOtherAddress});
    EXPECT_TRUE(configurator.has_address(kOtherAddress));
    EXPECT_FALSE(configurator.has_address(kAddress));
    EXPECT_EQ(sip.reregistrations, 1);
}

}  // namespace
}  // namespace agent::dhcp_service
