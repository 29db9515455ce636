// The whole agent (session engine, retry schedule, event queue, libcurl
// channel) against purpose-built misbehaving ACSes on 127.0.0.1: wrong
// password, dropped connection, garbage, HTTP errors, an ACS that is down
// for a while, bad TLS certificates. Retry waits are the shortest the data
// model allows (CWMPRetryMinimumWaitInterval 1 s, multiplier 1000: every
// wait exactly 1 s), so every test ends within seconds; all loops are bounded.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent.hpp"
#include "cwmp/event_codes.hpp"
#include "http/curl_multi_client.hpp"
#include "http_test_server.hpp"
#include "http_test_tls.hpp"
#include "io_loop.hpp"
#include "log_capture.hpp"
#include "temp_folder.hpp"
#include "test_model.hpp"

namespace agent {
namespace {

using namespace std::chrono_literals;
using http::test::make_reply;
using http::test::RecordedRequest;
using http::test::Reply;
using http::test::TestHttpServer;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> kBootEvents{"0 BOOTSTRAP", "1 BOOT"};

// Routes spdlog's default logger into memory for the test's lifetime.
struct InformSeen {
    std::size_t connection = 0;
    std::vector<std::string> events;
    std::uint32_t retry_count = 0;
    Clock::time_point at;
};

// A minimal CWMP ACS: InformResponse to every Inform (with a session
// cookie), 204 to the empty POST. `misbehave` answers first while set; its
// nullopt means "answer normally".
class CwmpTestAcs {
public:
    explicit CwmpTestAcs(cwmp::Codec& codec) : codec_(codec) {}

    std::function<std::optional<Reply>(const RecordedRequest&, bool is_inform)> misbehave;
    std::vector<InformSeen> informs;  // every well-formed Inform received
    std::size_t sessions_ended = 0;   // 204s sent
    std::vector<Clock::time_point> first_request_on_connection;

    std::optional<Reply> operator()(const RecordedRequest& request) {
        if (request.connection >= first_request_on_connection.size()) {
            first_request_on_connection.resize(request.connection + 1, Clock::now());
        }
        std::optional<cwmp::Decoded> inform;
        if (!request.body.empty()) {
            auto decoded = codec_.decode(request.body);
            if (decoded && std::holds_alternative<cwmp::Inform>(decoded->envelope.body)) {
                inform = std::move(*decoded);
            }
        }
        if (misbehave) {
            if (auto reply = misbehave(request, inform.has_value())) {
                return reply;
            }
        }
        if (inform) {
            const auto& message = std::get<cwmp::Inform>(inform->envelope.body);
            InformSeen seen{request.connection, {}, message.retry_count, Clock::now()};
            for (const auto& event : message.event) {
                seen.events.push_back(event.event_code);
            }
            informs.push_back(std::move(seen));
            cwmp::Envelope answer{{}, cwmp::InformResponse{1}};
            answer.header.id = inform->envelope.header.id;
            Reply reply =
                make_reply(200, codec_.encode(answer, inform->ns), "text/xml; charset=\"utf-8\"");
            reply.set("Set-Cookie", "acs-session=s" + std::to_string(informs.size()) + "; Path=/");
            return reply;
        }
        if (request.body.empty()) {
            ++sessions_ended;
            return make_reply(204);
        }
        return make_reply(400, "unexpected message", "text/plain");
    }

private:
    cwmp::Codec& codec_;
};

class SessionNegativeTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened =
            datamodel::Model::open(testing::phone_definitions(), folder.path() / "store.sqlite");
        ASSERT_TRUE(opened) << opened.error().message;
        model = std::move(*opened);
    }

    void start_agent(const std::string& url, http::ChannelSettings channel = {},
                     std::vector<std::pair<std::string, std::string>> values = {}) {
        values.emplace_back("Device.ManagementServer.URL", url);
        values.emplace_back("Device.ManagementServer.CWMPRetryMinimumWaitInterval", "1");
        values.emplace_back("Device.ManagementServer.CWMPRetryIntervalMultiplier", "1000");
        std::vector<datamodel::ValueWrite> writes;
        for (auto& [path, value] : values) {
            writes.push_back({path, value, std::nullopt});
        }
        ASSERT_TRUE(model->set_internal(writes).has_value());
        agent = std::make_unique<Agent>(io, *model, http, *codec);
        agent->set_channel_settings(std::move(channel));
        started = Clock::now();
        agent->start();
    }

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 15s) {
        return testing::run_until(io, done, limit);
    }

    static std::size_t requests_on(const TestHttpServer& server, std::size_t connection) {
        std::size_t count = 0;
        for (const auto& request : server.requests()) {
            count += request.connection == connection ? 1 : 0;
        }
        return count;
    }

    testing::LogCapture log;
    testing::TempFolder folder;
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
        boost::asio::make_work_guard(io);
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    CwmpTestAcs acs{*codec};
    std::unique_ptr<datamodel::Model> model;
    http::CurlMultiClient http{io};
    std::unique_ptr<Agent> agent;  // destroyed before the client: its channels first
    Clock::time_point started;
};

// ---- the session itself ------------------------------------------------------------

TEST_F(SessionNegativeTest, SessionRunsOnOneConnectionWithDigestCookiesAndSoapHeaders) {
    TestHttpServer server(io, [this](const RecordedRequest& request) -> std::optional<Reply> {
        const auto authorization = request.header("Authorization");
        if (!authorization || authorization->find("username=\"cpe\"") == std::string::npos) {
            Reply challenge = make_reply(401);
            challenge.set("WWW-Authenticate",
                          "Digest realm=\"acs\", qop=\"auth\", nonce=\"n1\", algorithm=MD5");
            return challenge;
        }
        return acs(request);
    });
    start_agent(server.url(), {},
                {{"Device.ManagementServer.Username", "cpe"},
                 {"Device.ManagementServer.Password", "secret"}});

    ASSERT_TRUE(run_until([&] { return acs.sessions_ended == 1; })) << log.text();

    EXPECT_EQ(server.connections(), 1u) << "the 401 retry and the session share one connection";
    ASSERT_EQ(acs.informs.size(), 1u);
    EXPECT_EQ(acs.informs[0].events, kBootEvents);
    const auto& requests = server.requests();
    ASSERT_EQ(requests.size(), 3u) << "Inform, Inform with Digest, empty POST";
    EXPECT_FALSE(requests[0].header("Authorization").has_value());
    EXPECT_EQ(requests[0].header("Content-Type"), "text/xml; charset=\"utf-8\"");
    EXPECT_TRUE(requests[0].header("SOAPAction").has_value());
    EXPECT_EQ(requests[1].header("Authorization")->rfind("Digest ", 0), 0u);
    EXPECT_TRUE(requests[2].body.empty());
    EXPECT_EQ(requests[2].header("Cookie"), "acs-session=s1") << "the ACS's cookie is echoed";
}

TEST_F(SessionNegativeTest, WrongPasswordFailsEachAttemptAfterTwoRequestsAndIsRetriedLater) {
    TestHttpServer server(io, [](const RecordedRequest&) -> std::optional<Reply> {
        Reply challenge = make_reply(401);
        challenge.set("WWW-Authenticate",
                      "Digest realm=\"acs\", qop=\"auth\", nonce=\"n1\", algorithm=MD5");
        return challenge;
    });
    start_agent(server.url(), {},
                {{"Device.ManagementServer.Username", "cpe"},
                 {"Device.ManagementServer.Password", "wrong"}});

    ASSERT_TRUE(run_until([&] { return agent->failed_sessions() >= 3; })) << log.text();

    // One connection per attempt, two requests each: the plain one and the
    // one answering the challenge. No third try within an attempt.
    ASSERT_GE(server.connections(), 3u);
    for (std::size_t attempt = 0; attempt < 3; ++attempt) {
        EXPECT_EQ(requests_on(server, attempt), 2u) << "attempt " << attempt;
    }
    EXPECT_LE(server.requests().size(), 2 * server.connections());
    EXPECT_TRUE(log.contains("refused our credentials (HTTP 401)")) << log.text();
    EXPECT_TRUE(log.contains("session retry #2 in 1.0 s")) << log.text();
}

TEST_F(SessionNegativeTest, AcsHangingUpAfterTheInformResponseLeavesTheEventsDelivered) {
    acs.misbehave = [](const RecordedRequest& request, bool) -> std::optional<Reply> {
        if (request.body.empty()) {
            return http::test::hang_up();
        }
        return std::nullopt;
    };
    TestHttpServer server(io, std::ref(acs));
    start_agent(server.url());

    ASSERT_TRUE(run_until([&] { return log.contains("session: failed"); })) << log.text();
    EXPECT_TRUE(log.contains("the ACS closed the session's connection")) << log.text();
    EXPECT_EQ(server.hung_up(), 1u);
    EXPECT_EQ(server.connections(), 1u) << "no second connection within the session";
    acs.misbehave = nullptr;
    agent->raise(cwmp::event::kConnectionRequest);
    ASSERT_TRUE(run_until([&] { return acs.sessions_ended == 1; })) << log.text();

    ASSERT_EQ(acs.informs.size(), 2u) << log.text();
    EXPECT_EQ(acs.informs[0].events, kBootEvents);
    EXPECT_EQ(acs.informs[1].events, std::vector<std::string>{"6 CONNECTION REQUEST"})
        << "BOOTSTRAP and BOOT were delivered by the InformResponse";
    // TR-069 A.3.3.1: RetryCount is zero if and only if the previous session
    // completed successfully; this one failed after its InformResponse.
    EXPECT_EQ(acs.informs[1].retry_count, 1u);
    EXPECT_TRUE(run_until([&] { return agent->failed_sessions() == 0; }))
        << "the successful session resets the count";
}

// ---- garbage and HTTP errors in answer to the Inform ------------------------------

struct BadAnswer {
    const char* name;
    std::function<Reply()> reply;
    const char* logged;  // what the session's failure line must say
};

class SessionBadAnswerTest : public SessionNegativeTest,
                             public ::testing::WithParamInterface<BadAnswer> {};

TEST_P(SessionBadAnswerTest, FailsTheSessionAndTheRetryDeliversTheSameEvents) {
    int bad_answers_left = 1;
    acs.misbehave = [&](const RecordedRequest&, bool is_inform) -> std::optional<Reply> {
        if (is_inform && bad_answers_left > 0) {
            --bad_answers_left;
            return GetParam().reply();
        }
        return std::nullopt;
    };
    TestHttpServer server(io, std::ref(acs));
    http::ChannelSettings channel;
    channel.max_response_bytes = 64 * 1024;
    start_agent(server.url(), channel);

    ASSERT_TRUE(run_until([&] { return acs.sessions_ended == 1; })) << log.text();

    EXPECT_TRUE(log.contains(GetParam().logged)) << log.text();
    // Reset once the agent has finished the successful retry (the ACS counts
    // the session ended a moment before the agent does).
    EXPECT_TRUE(run_until([&] { return agent->failed_sessions() == 0; })) << log.text();
    ASSERT_EQ(acs.informs.size(), 1u);  // the first Inform got the bad answer
    EXPECT_EQ(acs.informs[0].events, kBootEvents) << "nothing lost";
    EXPECT_EQ(acs.informs[0].retry_count, 1u);
    EXPECT_EQ(server.connections(), 2u);
}

INSTANTIATE_TEST_SUITE_P(
    Answers, SessionBadAnswerTest,
    ::testing::Values(
        BadAnswer{"NonSoap200",
                  [] { return make_reply(200, "<html><body>hello</body></html>", "text/html"); },
                  "cannot decode the Inform's answer"},
        BadAnswer{"TruncatedXml",
                  [] {
                      return make_reply(200,
                                        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/"
                                        "soap/envelope/\"><soap:Body><cwmp:InformRes",
                                        "text/xml");
                  },
                  "cannot decode the Inform's answer"},
        BadAnswer{"BodyOverTheLimit",
                  [] { return make_reply(200, std::string(1024 * 1024, '<'), "text/xml"); },
                  "response larger than 65536 bytes"},
        BadAnswer{"Http500", [] { return make_reply(500); }, "HTTP 500 and no envelope"},
        BadAnswer{"Http503", [] { return make_reply(503, "busy", "text/plain"); },
                  "with HTTP 503"}),
    [](const ::testing::TestParamInfo<BadAnswer>& answer) {
        return std::string(answer.param.name);
    });

// ---- an ACS that is down for a while ----------------------------------------------

TEST_F(SessionNegativeTest, AcsDownForAWhileGetsTheBootEventsOnceUpAfterTheRetrySchedule) {
    unsigned short port = 0;
    {
        boost::asio::ip::tcp::acceptor reserve(io, {boost::asio::ip::address_v4::loopback(), 0});
        port = reserve.local_endpoint().port();
    }  // closed: the ACS is down
    start_agent("http://127.0.0.1:" + std::to_string(port) + "/acs");

    ASSERT_TRUE(run_until([&] { return agent->failed_sessions() >= 2; })) << log.text();
    const std::uint32_t failed_while_down = agent->failed_sessions();
    TestHttpServer server(io, std::ref(acs), http::test::ServerOptions{std::nullopt, {}, port});
    ASSERT_TRUE(run_until([&] { return acs.sessions_ended == 1; })) << log.text();

    ASSERT_EQ(acs.informs.size(), 1u);
    EXPECT_EQ(acs.informs[0].events, kBootEvents) << "nothing lost while the ACS was down";
    EXPECT_GE(acs.informs[0].retry_count, failed_while_down);
    // Each failure was followed by the schedule's wait (exactly 1 s here).
    EXPECT_TRUE(log.contains("session retry #1 in 1.0 s")) << log.text();
    EXPECT_TRUE(log.contains("session retry #2 in 1.0 s")) << log.text();
    EXPECT_GE(acs.informs[0].at - started, std::chrono::seconds(acs.informs[0].retry_count));
    EXPECT_TRUE(run_until([&] { return agent->failed_sessions() == 0; }))
        << "the session that succeeded resets the count";
}

// ---- TLS ---------------------------------------------------------------------------

class SessionTlsTest : public SessionNegativeTest {
protected:
    http::test::TestCa ca;
    http::test::PemFile ca_file{ca.certificate_pem()};

    http::ChannelSettings trusting_the_ca() const {
        http::ChannelSettings settings;
        settings.ca_file = ca_file.path();
        return settings;
    }
};

TEST_F(SessionTlsTest, ExpiredAcsCertificateFailsEverySessionWithoutSendingAnything) {
    http::test::CertificateRequest expired;
    expired.not_before = -std::chrono::hours(48);
    expired.not_after = -std::chrono::hours(1);
    TestHttpServer server(io, std::ref(acs), http::test::ServerOptions{ca.issue(expired), {}, 0});
    start_agent(server.url(), trusting_the_ca());

    ASSERT_TRUE(run_until([&] { return agent->failed_sessions() >= 2; })) << log.text();

    EXPECT_TRUE(server.requests().empty());
    EXPECT_TRUE(acs.informs.empty());
    EXPECT_TRUE(log.contains("TLS: ACS certificate expired")) << log.text();
    EXPECT_TRUE(log.contains("session retry #1")) << log.text();
    EXPECT_FALSE(log.contains("http://")) << "never falls back to plain HTTP";
}

TEST_F(SessionTlsTest, WrongHostAcsCertificateFailsTheSession) {
    http::test::CertificateRequest other_host;
    other_host.subject_alt_name = "DNS:acs.example.test";
    TestHttpServer server(io, std::ref(acs),
                          http::test::ServerOptions{ca.issue(other_host), {}, 0});
    start_agent(server.url(), trusting_the_ca());

    ASSERT_TRUE(run_until([&] { return agent->failed_sessions() >= 1; })) << log.text();

    EXPECT_TRUE(server.requests().empty());
    EXPECT_TRUE(log.contains("TLS: ACS certificate for the wrong host")) << log.text();
}

TEST_F(SessionTlsTest, UnknownCaAcsCertificateFailsTheSession) {
    const http::test::TestCa stranger("another CA");
    TestHttpServer server(io, std::ref(acs), http::test::ServerOptions{stranger.issue({}), {}, 0});
    start_agent(server.url(), trusting_the_ca());

    ASSERT_TRUE(run_until([&] { return agent->failed_sessions() >= 1; })) << log.text();

    EXPECT_TRUE(server.requests().empty());
    EXPECT_TRUE(log.contains("TLS: ACS certificate from an unknown CA")) << log.text();
}

TEST_F(SessionTlsTest, RightCaAndHostCompleteTheSessionWithAClientCertificate) {
    const http::test::TestCa cpe_ca("CPE CA");
    http::test::CertificateRequest client;
    client.client = true;
    const auto identity = cpe_ca.issue(client);
    const http::test::PemFile certificate(identity.certificate_pem);
    const http::test::PemFile key(identity.key_pem);
    TestHttpServer server(io, std::ref(acs),
                          http::test::ServerOptions{ca.issue({}), cpe_ca.certificate_pem(), 0});
    http::ChannelSettings settings = trusting_the_ca();
    settings.client_certificate = certificate.path();
    settings.client_key = key.path();
    start_agent(server.url(), settings);

    ASSERT_TRUE(run_until([&] { return acs.sessions_ended == 1; })) << log.text();

    ASSERT_EQ(acs.informs.size(), 1u);
    EXPECT_EQ(acs.informs[0].events, kBootEvents);
    EXPECT_EQ(server.connections(), 1u);
}

TEST_F(SessionTlsTest, AcsRequiringAClientCertificateFailsTheSessionWithoutOne) {
    const http::test::TestCa cpe_ca("CPE CA");
    TestHttpServer server(io, std::ref(acs),
                          http::test::ServerOptions{ca.issue({}), cpe_ca.certificate_pem(), 0});
    start_agent(server.url(), trusting_the_ca());

    ASSERT_TRUE(run_until([&] { return agent->failed_sessions() >= 1; })) << log.text();

    EXPECT_TRUE(server.requests().empty());
    EXPECT_TRUE(log.contains("client certificate")) << log.text();
}

}  // namespace
}  // namespace agent
