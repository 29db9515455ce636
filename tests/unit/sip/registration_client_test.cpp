#include "sip/registration_client.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cwmp/http_digest.hpp"
#include "fake_registrar_flow.hpp"
#include "fake_transaction_timers.hpp"
#include "sip/message_parser.hpp"
#include "sip/message_serializer.hpp"
#include "sip/response_builder.hpp"

namespace agent::sip {
namespace {

using namespace std::chrono_literals;
using State = RegistrationClient::State;
using Failure = RegistrationClient::Failure;

SipMessage parsed(const std::string& wire) {
    auto message = parse_sip_message(wire, {}, Framing::Stream);
    EXPECT_TRUE(message.has_value()) << message.error().message << "\n" << wire;
    return *message;
}

RegistrationSettings line_settings() {
    RegistrationSettings settings;
    settings.enabled = true;
    settings.registrar = {"registrar.example", 5060, TransportKind::Udp};
    settings.register_uri = "sip:1000@example.com";
    settings.username = "1000";
    settings.password = "secret";
    settings.expires = 3600s;
    settings.retry_interval = 30s;
    return settings;
}

class RegistrationClientTest : public ::testing::Test {
protected:
    RegistrationClientTest() {
        client =
            std::make_unique<RegistrationClient>(timers, flow, RegistrationClientOptions{},
                                                 [this] { states.push_back(client->state()); });
    }

    // The last REGISTER sent.
    SipMessage last_request() {
        EXPECT_FALSE(flow.sent.empty());
        return parsed(flow.sent.back());
    }

    // Answers the last REGISTER with `code` and extra headers.
    void answer(int code, std::vector<std::pair<std::string, std::string>> headers = {}) {
        auto response = build_response(last_request(), code, {.reason_phrase = {}, .to_tag = "rt"});
        ASSERT_TRUE(response.has_value());
        for (auto& [name, value] : headers) {
            response->add_header(name, value);
        }
        auto wire = serialize_sip_message(*response);
        ASSERT_TRUE(wire.has_value());
        EXPECT_TRUE(client->on_response(parsed(*wire)));
    }

    std::pair<std::string, std::string> challenge(const std::string& nonce,
                                                  std::string algorithm = "MD5",
                                                  bool stale = false) {
        return {"WWW-Authenticate", "Digest realm=\"example.com\", nonce=\"" + nonce +
                                        "\", qop=\"auth\", algorithm=" + algorithm +
                                        (stale ? ", stale=true" : "")};
    }

    // Registers to Registered: challenge, credentialed retry, 200.
    void register_fully() {
        client->configure(line_settings());
        flow.complete_opens();
        answer(401, {challenge("n1")});
        answer(200, {{"Expires", "3600"}});
        ASSERT_EQ(client->state(), State::Registered);
    }

    test::FakeTransactionTimers timers;
    test::FakeRegistrarFlow flow;
    std::unique_ptr<RegistrationClient> client;
    std::vector<State> states;
};

TEST_F(RegistrationClientTest, ChallengeIsAnsweredOnceWithDigestThenRegistered) {
    client->configure(line_settings());
    EXPECT_EQ(client->state(), State::Registering);
    ASSERT_EQ(flow.targets.size(), 1u);
    EXPECT_EQ(flow.targets[0].host, "registrar.example");
    flow.complete_opens();
    ASSERT_EQ(flow.sent.size(), 1u);
    const auto first = last_request();
    EXPECT_EQ(first.request_line().method, "REGISTER");
    EXPECT_EQ(first.request_line().uri, "sip:example.com");
    EXPECT_EQ(first.header("Expires"), "3600");
    EXPECT_EQ(first.header("Contact"), "<sip:1000@192.0.2.10:5062>");
    EXPECT_FALSE(first.header("Authorization").has_value());

    answer(401, {challenge("n1", "MD5"), challenge("n2", "SHA-256")});
    ASSERT_EQ(flow.sent.size(), 2u);
    const auto second = last_request();
    EXPECT_EQ(second.header("Call-ID"), first.header("Call-ID"));
    EXPECT_EQ(second.header("CSeq"), "2 REGISTER");
    EXPECT_NE(second.header("Via"), first.header("Via"));  // a new branch
    const auto authorization = second.header("Authorization");
    ASSERT_TRUE(authorization.has_value());
    auto credentials = cwmp::digest::parse_credentials(*authorization);
    ASSERT_TRUE(credentials.has_value()) << credentials.error().message;
    // SHA-256 is preferred over MD5 when both are offered.
    EXPECT_EQ(credentials->algorithm, cwmp::digest::Algorithm::Sha256);
    EXPECT_EQ(credentials->nonce, "n2");
    EXPECT_EQ(credentials->qop, "auth");
    EXPECT_EQ(credentials->nc, "00000001");
    EXPECT_EQ(credentials->username, "1000");
    EXPECT_EQ(credentials->response,
              cwmp::digest::compute_response({.algorithm = cwmp::digest::Algorithm::Sha256,
                                              .username = "1000",
                                              .password = "secret",
                                              .realm = "example.com",
                                              .method = "REGISTER",
                                              .uri = credentials->uri,
                                              .nonce = "n2",
                                              .nc = credentials->nc,
                                              .cnonce = credentials->cnonce,
                                              .qop = "auth"}));

    answer(200, {{"Expires", "1800"}});
    EXPECT_EQ(client->state(), State::Registered);
    EXPECT_EQ(client->granted_expires(), 1800s);
    EXPECT_EQ(states, (std::vector<State>{State::Registering, State::Registered}));
}

TEST_F(RegistrationClientTest, WrongPasswordIsAnErrorRetriedWithBackoff) {
    client->configure(line_settings());
    flow.complete_opens();
    answer(401, {challenge("n1")});
    answer(401, {challenge("n3")});
    EXPECT_EQ(client->state(), State::Error);
    EXPECT_EQ(client->failure(), Failure::Registration);
    EXPECT_NE(client->last_error().find("refused the credentials"), std::string::npos);
    EXPECT_EQ(flow.sent.size(), 2u);

    // RegisterRetryInterval (30 s) first, then doubled.
    timers.advance(29s);
    EXPECT_EQ(flow.pending_opens(), 0u);
    timers.advance(1s);
    EXPECT_EQ(client->state(), State::Registering);
    flow.complete_opens();
    answer(401, {challenge("n4")});
    answer(401, {challenge("n5")});
    EXPECT_EQ(client->state(), State::Error);
    timers.advance(59s);
    EXPECT_EQ(flow.pending_opens(), 0u);
    timers.advance(1s);
    EXPECT_EQ(flow.pending_opens(), 1u);
}

TEST_F(RegistrationClientTest, StaleNonceIsAnsweredAgain) {
    client->configure(line_settings());
    flow.complete_opens();
    answer(401, {challenge("n1")});
    answer(401, {challenge("n2", "MD5", true)});
    EXPECT_EQ(client->state(), State::Registering);
    EXPECT_EQ(flow.sent.size(), 3u);
    answer(200);
    EXPECT_EQ(client->state(), State::Registered);
    EXPECT_EQ(client->granted_expires(), 3600s);  // the Expires we asked for
}

TEST_F(RegistrationClientTest, RefreshGoesOutBeforeExpiry) {
    register_fully();
    const auto sent = flow.sent.size();
    // 3600 s granted: refreshed 600 s before the end.
    timers.advance(2999s);
    EXPECT_EQ(flow.pending_opens(), 0u);
    timers.advance(1s);
    ASSERT_EQ(flow.pending_opens(), 1u);
    flow.complete_opens();
    ASSERT_EQ(flow.sent.size(), sent + 1);
    EXPECT_EQ(last_request().header("Expires"), "3600");
    // A short grant is refreshed half-way.
    answer(200, {{"Contact", "<sip:1000@192.0.2.10:5062>;expires=60"}});
    EXPECT_EQ(client->granted_expires(), 60s);
    timers.advance(29s);
    EXPECT_EQ(flow.pending_opens(), 0u);
    timers.advance(1s);
    EXPECT_EQ(flow.pending_opens(), 1u);
}

TEST_F(RegistrationClientTest, ChangedSettingsUnregisterFirstThenRegisterAnew) {
    register_fully();
    auto changed = line_settings();
    changed.registrar.host = "other.example";
    client->configure(changed);
    EXPECT_EQ(client->state(), State::Deregistering);
    ASSERT_EQ(flow.targets.back().host, "registrar.example");  // the old registrar
    flow.complete_opens();
    auto unregister = last_request();
    EXPECT_EQ(unregister.header("Expires"), "0");
    EXPECT_EQ(unregister.header("Contact"), "<sip:1000@192.0.2.10:5062>");
    // The un-REGISTER may be challenged too.
    answer(401, {challenge("n9")});
    EXPECT_TRUE(last_request().header("Authorization").has_value());
    EXPECT_EQ(last_request().header("Expires"), "0");
    answer(200);
    EXPECT_EQ(client->state(), State::Registering);
    ASSERT_EQ(flow.targets.back().host, "other.example");
    flow.complete_opens();
    EXPECT_EQ(last_request().header("Expires"), "3600");
    EXPECT_NE(last_request().header("Call-ID"), unregister.header("Call-ID"));
}

TEST_F(RegistrationClientTest, UnansweredUnregisterDoesNotHoldTheNewSettingsBack) {
    register_fully();
    auto changed = line_settings();
    changed.password = "new-secret";
    client->configure(changed);
    flow.complete_opens();
    EXPECT_EQ(last_request().header("Expires"), "0");
    timers.advance(32s);  // timer F
    EXPECT_EQ(client->state(), State::Registering);
    EXPECT_EQ(client->settings().password, "new-secret");
    flow.complete_opens();
    EXPECT_EQ(last_request().header("Expires"), "3600");
}

TEST_F(RegistrationClientTest, DisablingTheLineUnregistersAndStops) {
    register_fully();
    auto disabled = line_settings();
    disabled.enabled = false;
    client->configure(disabled);
    flow.complete_opens();
    EXPECT_EQ(last_request().header("Expires"), "0");
    answer(200);
    EXPECT_EQ(client->state(), State::Disabled);
    timers.advance(10000s);
    EXPECT_EQ(flow.pending_opens(), 0u);
}

TEST_F(RegistrationClientTest, IntervalTooBriefRaisesExpiresToMinExpires) {
    auto settings = line_settings();
    settings.expires = 30s;
    client->configure(settings);
    flow.complete_opens();
    answer(423, {{"Min-Expires", "120"}});
    EXPECT_EQ(last_request().header("Expires"), "120");
    answer(200);
    EXPECT_EQ(client->state(), State::Registered);
    EXPECT_EQ(client->granted_expires(), 120s);
    // 423 without a larger Min-Expires cannot be satisfied.
    timers.advance(60s);
    flow.complete_opens();
    answer(423, {{"Min-Expires", "60"}});
    EXPECT_EQ(client->state(), State::Error);
    EXPECT_EQ(client->failure(), Failure::Registration);
}

TEST_F(RegistrationClientTest, TimeoutAndUnreachableRegistrarAreNetworkErrors) {
    client->configure(line_settings());
    flow.complete_opens();
    timers.advance(32s);
    EXPECT_EQ(client->state(), State::Error);
    EXPECT_EQ(client->failure(), Failure::Network);
    EXPECT_NE(client->last_error().find("timer F"), std::string::npos);
    EXPECT_EQ(flow.sent.size(), 11u);  // UDP retransmissions

    timers.advance(30s);
    flow.complete_opens("TLS certificate of registrar.example refused: hostname mismatch");
    EXPECT_EQ(client->state(), State::Error);
    EXPECT_EQ(client->failure(), Failure::Network);
    EXPECT_NE(client->last_error().find("hostname mismatch"), std::string::npos);
}

TEST_F(RegistrationClientTest, MisconfigurationWaitsForAChange) {
    auto settings = line_settings();
    settings.registrar.host.clear();
    client->configure(settings);
    EXPECT_EQ(client->state(), State::Error);
    EXPECT_EQ(client->failure(), Failure::Misconfigured);
    timers.advance(3600s);
    EXPECT_EQ(flow.targets.size(), 0u);
    settings = line_settings();
    settings.register_uri = "sip:example.com";  // no user part
    settings.username.clear();
    client->configure(settings);
    EXPECT_EQ(client->failure(), Failure::Misconfigured);
    EXPECT_NE(client->last_error().find("no user part"), std::string::npos);
}

TEST_F(RegistrationClientTest, ForeignResponsesAreNotMatched) {
    client->configure(line_settings());
    flow.complete_opens();
    auto response = build_response(last_request(), 200, {});
    ASSERT_TRUE(response.has_value());
    response->remove_headers("Via");
    response->add_header("Via", "SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKforeign");
    EXPECT_FALSE(client->on_response(*response));
    EXPECT_EQ(client->state(), State::Registering);
}

TEST_F(RegistrationClientTest, TheObserverSeesEachTransactionOnceWhateverItsRetransmissions) {
    using Event = RegistrationClient::TransactionEvent;
    std::vector<Event> events;
    client->set_transaction_observer([&](Event event) { events.push_back(event); });
    client->configure(line_settings());
    EXPECT_TRUE(events.empty()) << "nothing is sent before the flow is open";
    flow.complete_opens();
    EXPECT_EQ(events, (std::vector<Event>{Event::Sent}));
    timers.advance(4s);  // retransmissions of the same transaction
    EXPECT_GT(flow.sent.size(), 1u);
    EXPECT_EQ(events, (std::vector<Event>{Event::Sent}));
    answer(100);
    answer(401, {challenge("n1")});
    // The challenge ends the transaction; the answer to it is a new one.
    EXPECT_EQ(events, (std::vector<Event>{Event::Sent, Event::Answered, Event::Answered,
                                          Event::Ended, Event::Sent}));
    events.clear();
    timers.advance(32s);  // timer F: unanswered
    EXPECT_EQ(events, (std::vector<Event>{Event::Ended}));
    EXPECT_EQ(client->failure(), Failure::Network);
}

TEST_F(RegistrationClientTest, RestartRegistersAfreshWithANewCallId) {
    register_fully();
    const auto before = last_request();
    flow.local.address = boost::asio::ip::make_address("198.51.100.7");
    client->restart();
    EXPECT_EQ(client->state(), State::Registering);
    flow.complete_opens();
    const auto after = last_request();
    EXPECT_EQ(after.header("Contact"), "<sip:1000@198.51.100.7:5062>");
    EXPECT_EQ(after.header("Expires"), "3600");
    EXPECT_NE(after.header("Call-ID"), before.header("Call-ID"));
}

TEST(AddressOfRecordTest, FillsInSchemeAndDomain) {
    RegistrationSettings settings = line_settings();
    settings.register_uri = "2000";
    EXPECT_EQ(format_sip_uri(*address_of_record(settings)), "sip:2000@registrar.example");
    settings.register_uri = "2000@example.org";
    EXPECT_EQ(format_sip_uri(*address_of_record(settings)), "sip:2000@example.org");
    settings.register_uri.clear();
    EXPECT_EQ(format_sip_uri(*address_of_record(settings)), "sip:1000@registrar.example");
    settings.username.clear();
    EXPECT_FALSE(address_of_record(settings).has_value());
}

TEST_F(RegistrationClientTest, AnOutboundProxyIsTheFirstHopWithALooseRoute) {
    auto settings = line_settings();
    settings.outbound_proxy = RegistrarTarget{"proxy.example", 5070, TransportKind::Tcp};
    client->configure(settings);
    ASSERT_EQ(flow.targets.size(), 1u);
    EXPECT_EQ(flow.targets[0].host, "proxy.example");
    EXPECT_EQ(flow.targets[0].port, 5070);
    flow.complete_opens();
    const auto request = last_request();
    EXPECT_EQ(request.request_line().uri, "sip:example.com") << "still the registrar's domain";
    EXPECT_EQ(request.header("Route"), "<sip:proxy.example:5070;transport=tcp;lr>");

    // Without the proxy the next binding goes to the registrar, unrouted.
    answer(200, {{"Expires", "3600"}});
    client->configure(line_settings());
    flow.complete_opens();
    answer(200);  // the un-REGISTER, still through the proxy
    flow.complete_opens();
    EXPECT_EQ(flow.targets.back().host, "registrar.example");
    EXPECT_FALSE(last_request().header("Route").has_value());
}

}  // namespace
}  // namespace agent::sip
