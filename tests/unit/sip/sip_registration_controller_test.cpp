// Registration driven from the data model: the line's TR-104 parameters
// reach the REGISTER, SIP.Client.1.Status follows the registration, and a
// committed change of the registrar un-REGISTERs at the old one and
// registers at the new one at once (the SPV succeeds, nothing restarts).
#include <gtest/gtest.h>

#include <boost/asio/ip/udp.hpp>
#include <vector>

#include "../agent/io_loop.hpp"
#include "../agent/temp_folder.hpp"
#include "../agent/test_model.hpp"
#include "sip/message_serializer.hpp"
#include "sip/response_builder.hpp"
#include "sip/via.hpp"
#include "sip_test_peer.hpp"
#include "voice/sip_service_controller.hpp"

namespace agent::voice {
namespace {

constexpr const char* kNetwork = "Device.Services.VoiceService.1.SIP.Network.1.";
constexpr const char* kClient = "Device.Services.VoiceService.1.SIP.Client.1.";

class SipRegistrationControllerTest : public ::testing::Test {
protected:
    SipRegistrationControllerTest() {
        auto opened = datamodel::Model::open(
            agent::testing::phone_definitions(), folder.path() / "store.sqlite",
            std::filesystem::path(PHONECWMP_DEFINITIONS_FILE).parent_path() / "phone-factory.xml");
        if (!opened) {
            throw std::runtime_error("cannot open the model: " + opened.error().message);
        }
        model = std::move(*opened);
        // UserAgentPort 0 means 5060, which parallel tests would share: ask
        // the system for a free UDP port instead.
        std::uint16_t port = 0;
        {
            boost::asio::ip::udp::socket probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
            port = probe.local_endpoint().port();
        }
        EXPECT_TRUE(
            set({{std::string(kNetwork) + "UserAgentPort", std::to_string(port)},
                 {std::string(kNetwork) + "Enable", "true"},
                 {std::string(kNetwork) + "RegistrarServer", "127.0.0.1"},
                 {std::string(kNetwork) + "RegistrarServerPort", std::to_string(first.port())},
                 {std::string(kNetwork) + "RegisterExpires", "300"},
                 {std::string(kClient) + "Enable", "true"},
                 {std::string(kClient) + "RegisterURI", "sip:1000@example.com"},
                 {std::string(kClient) + "AuthUserName", "1000"},
                 {std::string(kClient) + "AuthPassword", "secret"}}));
        SipServiceOptions options;
        options.bind_address = boost::asio::ip::make_address("127.0.0.1");
        options.user_agent.user_agent = "phonecwmp-test/1.0";
        controller = std::make_unique<SipServiceController>(io, *model, options);
        controller->start();
    }

    bool set(const std::vector<std::pair<std::string, std::string>>& values) {
        std::vector<datamodel::ValueWrite> writes;
        for (const auto& [path, value] : values) {
            writes.push_back({path, value, std::nullopt});
        }
        return model->set_values(writes).has_value();
    }

    std::string status() { return model->value(std::string(kClient) + "Status").value_or(""); }

    // Receives one REGISTER at `registrar` and answers it with `code`.
    std::optional<sip::SipMessage> answer(sip::test::UdpPeer& registrar, int code) {
        auto request = registrar.next();
        if (!request || !request->is_request()) {
            return std::nullopt;
        }
        auto response = sip::build_response(*request, code, {.reason_phrase = {}, .to_tag = "r"});
        auto via = sip::parse_via(*request->header("Via"));
        if (!response || !via || !via->port) {
            return std::nullopt;
        }
        response->add_header("Expires", std::string(*request->header("Expires")));
        registrar.send(*via->port, *sip::serialize_sip_message(*response));
        return request;
    }

    agent::testing::TempFolder folder;
    boost::asio::io_context io;
    sip::test::UdpPeer first{io};
    sip::test::UdpPeer second{io};
    std::unique_ptr<datamodel::Model> model;
    std::unique_ptr<SipServiceController> controller;
};

TEST_F(SipRegistrationControllerTest, StatusFollowsTheRegistrationAndAChangeReRegisters) {
    EXPECT_EQ(status(), "Registering");
    auto registered = answer(first, 200);
    ASSERT_TRUE(registered.has_value());
    EXPECT_EQ(registered->header("Expires"), "300");
    EXPECT_EQ(registered->header("To"), "<sip:1000@example.com>");
    EXPECT_EQ(registered->header("User-Agent"), "phonecwmp-test/1.0");
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));

    ASSERT_TRUE(
        set({{std::string(kNetwork) + "RegistrarServerPort", std::to_string(second.port())}}));
    auto removed = answer(first, 200);
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->header("Expires"), "0");
    EXPECT_EQ(removed->header("Call-ID"), registered->header("Call-ID"));
    auto moved = answer(second, 200);
    ASSERT_TRUE(moved.has_value());
    EXPECT_EQ(moved->header("Expires"), "300");
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));

    ASSERT_TRUE(set({{std::string(kClient) + "Enable", "false"}}));
    auto disabled = answer(second, 200);
    ASSERT_TRUE(disabled.has_value());
    EXPECT_EQ(disabled->header("Expires"), "0");
    EXPECT_EQ(status(), "Disabled");
}

TEST_F(SipRegistrationControllerTest, RefusedRegistrationIsErrorRegistration) {
    ASSERT_TRUE(answer(first, 403).has_value());
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Error_Registration"; }));
}

TEST_F(SipRegistrationControllerTest, ShutdownUnregistersBeforeItIsDone) {
    ASSERT_TRUE(answer(first, 200).has_value());
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));
    bool done = false;
    controller->shutdown(std::chrono::seconds(10), [&] { done = true; });
    EXPECT_FALSE(done) << "waits for the registrar";
    auto removed = answer(first, 200);
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->header("Expires"), "0");
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return done; }));

    // A change committed while stopping does not register again.
    ASSERT_TRUE(set({{std::string(kNetwork) + "RegisterExpires", "600"}}));
    EXPECT_TRUE(agent::testing::run_for(io, std::chrono::milliseconds(200)));
    EXPECT_FALSE(first.next(std::chrono::milliseconds(300)).has_value());
}

TEST_F(SipRegistrationControllerTest, ShutdownStopsWaitingForASilentRegistrar) {
    ASSERT_TRUE(answer(first, 200).has_value());
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));
    bool done = false;
    controller->shutdown(std::chrono::seconds(1), [&] { done = true; });
    auto removed = first.next();  // received, never answered
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->header("Expires"), "0");
    EXPECT_TRUE(agent::testing::run_until(io, [&] { return done; }));
}

TEST_F(SipRegistrationControllerTest, ShutdownWithoutABindingIsImmediate) {
    // The first REGISTER is still unanswered: nothing to remove.
    bool done = false;
    controller->shutdown(std::chrono::seconds(10), [&] { done = true; });
    EXPECT_TRUE(done);
}

TEST_F(SipRegistrationControllerTest, TheOutboundProxyReceivesTheRegisterWithARoute) {
    ASSERT_TRUE(answer(first, 200).has_value());
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));
    ASSERT_TRUE(
        set({{std::string(kNetwork) + "OutboundProxy", "127.0.0.1"},
             {std::string(kNetwork) + "OutboundProxyPort", std::to_string(second.port())}}));
    auto removed = answer(first, 200);
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->header("Expires"), "0");
    auto routed = answer(second, 200);
    ASSERT_TRUE(routed.has_value());
    EXPECT_EQ(routed->request_line().uri, "sip:example.com");
    EXPECT_EQ(routed->header("Route"), "<sip:127.0.0.1:" + std::to_string(second.port()) + ";lr>");
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));
}

class RecordingTimeoutSink final : public dhcp_service::SipProxyTimeoutSink {
public:
    void proxy_unresponsive(std::chrono::seconds silent_for) override {
        reports.push_back(silent_for);
    }
    std::vector<std::chrono::seconds> reports;
};

TEST_F(SipRegistrationControllerTest, ANewAddressRegistersAfresh) {
    auto registered = answer(first, 200);
    ASSERT_TRUE(registered.has_value());
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));

    controller->network_reinitialised();
    auto again = answer(first, 200);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->header("Expires"), "300");
    EXPECT_NE(again->header("Call-ID"), registered->header("Call-ID")) << "a fresh binding";
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));
}

TEST_F(SipRegistrationControllerTest, ASilentRegistrarIsReportedToTheDhcpClient) {
    ASSERT_TRUE(answer(first, 200).has_value());
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));
    RecordingTimeoutSink dhcp;
    ASSERT_TRUE(set({{"Device.DHCPv4.Client.1.X_PHONECWMP_SIPTimeoutRenewal", "1"}}));
    controller->watch_registrar_silence(dhcp);
    controller->network_reinitialised();
    auto unanswered = first.next();
    ASSERT_TRUE(unanswered.has_value());
    EXPECT_EQ(unanswered->header("Expires"), "300");
    // A bounded wait, not a timing check: the report is due after 1 s.
    ASSERT_TRUE(agent::testing::run_until(
        io, [&] { return !dhcp.reports.empty(); }, std::chrono::seconds(10)));
    EXPECT_EQ(dhcp.reports.size(), 1u);
    EXPECT_GE(dhcp.reports[0], std::chrono::seconds(1));
}

TEST_F(SipRegistrationControllerTest, AnAnsweringRegistrarIsNotReported) {
    ASSERT_TRUE(answer(first, 200).has_value());
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));
    RecordingTimeoutSink dhcp;
    ASSERT_TRUE(set({{"Device.DHCPv4.Client.1.X_PHONECWMP_SIPTimeoutRenewal", "1"}}));
    controller->watch_registrar_silence(dhcp);
    controller->network_reinitialised();
    ASSERT_TRUE(answer(first, 200).has_value());
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return status() == "Up"; }));
    EXPECT_TRUE(agent::testing::run_for(io, std::chrono::milliseconds(1500)));
    EXPECT_TRUE(dhcp.reports.empty());
}

}  // namespace
}  // namespace agent::voice
