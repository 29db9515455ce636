// The glue between the data model and the SIP endpoint: committed changes
// reconfigure the endpoint live, Status values are live, and transports the
// endpoint cannot speak are refused before anything is committed.
#include "voice/sip_service_controller.hpp"

#include <gtest/gtest.h>

#include "../agent/io_loop.hpp"
#include "../agent/temp_folder.hpp"
#include "../agent/test_model.hpp"
#include "sip_test_peer.hpp"

namespace agent::voice {
namespace {

constexpr const char* kNetwork = "Device.Services.VoiceService.1.SIP.Network.1.";
constexpr const char* kClient = "Device.Services.VoiceService.1.SIP.Client.1.";

class SipServiceControllerTest : public ::testing::Test {
protected:
    SipServiceControllerTest() {
        EXPECT_TRUE(set({{std::string(kNetwork) + "UserAgentPort", std::to_string(free_port())},
                         {std::string(kNetwork) + "Enable", "false"}}));
        options.bind_address = boost::asio::ip::make_address("127.0.0.1");
        controller = std::make_unique<SipServiceController>(io, model, options);
        controller->start();
    }

    // The factory file makes VoiceService.1 with Network.1 (enabled) and
    // Client.1; VoiceService instances cannot be added over CWMP.
    static std::unique_ptr<datamodel::Model> open_model(const agent::testing::TempFolder& folder) {
        const auto factory =
            std::filesystem::path(PHONECWMP_DEFINITIONS_FILE).parent_path() / "phone-factory.xml";
        auto opened = datamodel::Model::open(agent::testing::phone_definitions(),
                                             folder.path() / "store.sqlite", factory);
        if (!opened) {
            throw std::runtime_error("cannot open the model: " + opened.error().message);
        }
        return std::move(*opened);
    }

    // A loopback port free for UDP and TCP alike: the test switches the
    // transport on the same UserAgentPort.
    static std::uint16_t free_port() {
        boost::asio::io_context scratch;
        const auto loopback = boost::asio::ip::make_address("127.0.0.1");
        for (int attempt = 0; attempt < 50; ++attempt) {
            boost::asio::ip::udp::socket udp(scratch, {loopback, 0});
            const auto port = udp.local_endpoint().port();
            boost::asio::ip::tcp::acceptor tcp(scratch);
            boost::system::error_code ec;
            tcp.open(boost::asio::ip::tcp::v4(), ec);
            tcp.set_option(boost::asio::socket_base::reuse_address(true), ec);
            tcp.bind({loopback, port}, ec);
            if (!ec) {
                return port;
            }
        }
        throw std::runtime_error("no loopback port free for both UDP and TCP");
    }

    phonecwmp::Expected<void, std::vector<datamodel::Error>> set(
        const std::vector<std::pair<std::string, std::string>>& values) {
        std::vector<datamodel::ValueWrite> writes;
        for (const auto& [path, value] : values) {
            writes.push_back({path, value, std::nullopt});
        }
        return model.set_values(writes);
    }

    agent::testing::TempFolder folder;
    std::unique_ptr<datamodel::Model> model_holder = open_model(folder);
    boost::asio::io_context io;
    datamodel::Model& model = *model_holder;
    SipServiceOptions options;
    std::unique_ptr<SipServiceController> controller;
};

TEST_F(SipServiceControllerTest, FollowsNetworkEnableAndPublishesStatus) {
    EXPECT_EQ(controller->endpoint().status(), sip::SipEndpoint::Status::Disabled);
    EXPECT_EQ(model.value(std::string(kNetwork) + "Status"), "Disabled");
    ASSERT_TRUE(set(
        {{std::string(kNetwork) + "Enable", "true"}, {std::string(kClient) + "Enable", "true"}}));
    EXPECT_EQ(controller->endpoint().status(), sip::SipEndpoint::Status::Up);
    EXPECT_EQ(model.value(std::string(kNetwork) + "Status"), "Up");
    EXPECT_EQ(model.value(std::string(kClient) + "Status"), "Up");

    sip::test::UdpPeer peer(io);
    peer.send(controller->endpoint().local_port(),
              sip::test::sip_request("OPTIONS", "c1", "ctl1", peer.port()));
    EXPECT_EQ(sip::test::status_of(peer.next()), 200);

    ASSERT_TRUE(set({{std::string(kClient) + "Enable", "false"}}));
    EXPECT_EQ(model.value(std::string(kClient) + "Status"), "Disabled");
}

TEST_F(SipServiceControllerTest, ATransportChangeRebindsAtOnce) {
    ASSERT_TRUE(set({{std::string(kNetwork) + "Enable", "true"}}));
    ASSERT_EQ(controller->endpoint().transport(), sip::TransportKind::Udp);
    ASSERT_TRUE(set({{std::string(kNetwork) + "UserAgentTransport", "TCP"}}));
    EXPECT_EQ(controller->endpoint().transport(), sip::TransportKind::Tcp);
    EXPECT_EQ(controller->endpoint().status(), sip::SipEndpoint::Status::Up);
    sip::test::TcpPeer peer(io, controller->endpoint().local_port());
    peer.send(sip::test::sip_request("OPTIONS", "c2", "ctl2", peer.port(), "TCP"));
    EXPECT_EQ(sip::test::status_of(peer.next()), 200);
}

TEST_F(SipServiceControllerTest, SctpIsRefusedBeforeAnythingChanges) {
    for (const char* name :
         {"UserAgentTransport", "ProxyServerTransport", "RegistrarServerTransport"}) {
        auto refused = set({{std::string(kNetwork) + name, "SCTP"}});
        ASSERT_FALSE(refused) << name;
        ASSERT_EQ(refused.error().size(), 1u);
        EXPECT_EQ(refused.error()[0].path, std::string(kNetwork) + name);
        EXPECT_NE(refused.error()[0].message.find("SCTP"), std::string::npos);
        EXPECT_EQ(model.value(std::string(kNetwork) + name), "UDP");
    }
}

TEST_F(SipServiceControllerTest, InboundCredentialsFallBackToTheLine) {
    ASSERT_TRUE(set({{std::string(kNetwork) + "InboundAuth", "Digest"},
                     {std::string(kClient) + "AuthUserName", "line-user"},
                     {std::string(kClient) + "AuthPassword", "line-secret"},
                     {"Device.Services.VoiceService.1.X_PHONECWMP_RestrictedAccessDomains",
                      " Proxy.Example.Test , b.example.test"}}));
    auto settings = controller->read_settings();
    EXPECT_EQ(settings.inbound_auth, sip::InboundAuthMode::Digest);
    EXPECT_EQ(settings.credentials.username, "line-user");
    EXPECT_EQ(settings.credentials.password, "line-secret");
    EXPECT_EQ(settings.restricted_domains,
              (std::vector<std::string>{"proxy.example.test", "b.example.test"}));
    ASSERT_TRUE(set({{std::string(kNetwork) + "InboundAuthUsername", "inbound"},
                     {std::string(kNetwork) + "InboundAuthPassword", "pw"}}));
    settings = controller->read_settings();
    EXPECT_EQ(settings.credentials.username, "inbound");
    EXPECT_EQ(settings.credentials.password, "pw");
}

}  // namespace
}  // namespace agent::voice
