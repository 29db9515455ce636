// The connection-request server over real loopback sockets: Digest with
// libcurl and by hand (SHA-256 and MD5), replay, methods, paths, rate
// limit, bounds on headers, bodies, connections and idle time, the
// published URL, IPv6.
#include "connection_request/connection_request_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>

#include "connection_request/request_path.hpp"
#include "connection_request_test_client.hpp"
#include "io_loop.hpp"
#include "log_capture.hpp"
#include "test_model.hpp"

namespace agent::connection_request {
namespace {

using namespace std::chrono_literals;
using testing::curl_digest_get;
using testing::digest_get;
using testing::get_request;
using testing::header_values;
using testing::request_once;
using testing::status_of;
using testing::while_serving;

constexpr const char* kUsername = "Device.ManagementServer.ConnectionRequestUsername";
constexpr const char* kPassword = "Device.ManagementServer.ConnectionRequestPassword";
constexpr const char* kUrl = "Device.ManagementServer.ConnectionRequestURL";

class ConnectionRequestServerTest : public ::testing::Test {
protected:
    boost::asio::io_context io;
    datamodel::Model model{agent::testing::phone_definitions()};
    int requests = 0;
    std::unique_ptr<ConnectionRequestServer> server;

    ConnectionRequestServerTest() { set({{kUsername, "acs"}, {kPassword, "s3cret"}}); }

    void set(std::vector<std::pair<std::string, std::string>> values) {
        std::vector<datamodel::ValueWrite> writes;
        for (auto& [path, value] : values) writes.push_back({path, value, std::nullopt});
        ASSERT_TRUE(model.set_internal(writes).has_value());
    }

    ServerSettings loopback_settings() {
        ServerSettings settings;
        settings.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
        return settings;
    }

    void start(ServerSettings settings) {
        server = std::make_unique<ConnectionRequestServer>(io, model, std::move(settings),
                                                           [this] { ++requests; });
        auto started = server->start();
        ASSERT_TRUE(started) << started.error();
    }

    boost::asio::ip::tcp::endpoint endpoint() const { return server->local_endpoint(); }

    // A connection (from `source` when given) once the server has taken it
    // in, `open` connections in all; -1 (and a failed expectation) if not.
    int held_connection(std::size_t open, const char* source = nullptr) {
        const int fd = agent::testing::connect_to(endpoint(), source);
        EXPECT_GE(fd, 0);
        EXPECT_TRUE(
            agent::testing::run_until(io, [&] { return server->open_connections() == open; }));
        return fd;
    }
    std::string url() const { return model.value(kUrl).value_or(""); }
};

TEST_F(ConnectionRequestServerTest, PublishesAUrlWithARandomPathKeptInTheStore) {
    start(loopback_settings());
    const auto port = std::to_string(endpoint().port());
    EXPECT_EQ(url(), "http://127.0.0.1:" + port + server->path());
    EXPECT_EQ(server->path().size(), 23u);
    EXPECT_EQ(model.meta(kPathMetaKey), server->path());
    const std::string first_path = server->path();
    server.reset();
    start(loopback_settings());
    EXPECT_EQ(server->path(), first_path);
}

TEST_F(ConnectionRequestServerTest, LibcurlDigestIsAcceptedWithAnEmpty200ThenTheCallbackRuns) {
    start(loopback_settings());
    const long status =
        while_serving(io, [url = url()] { return curl_digest_get(url, "acs", "s3cret"); });
    EXPECT_EQ(status, 200);
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return requests == 1; }));
    EXPECT_EQ(server->statistics().accepted, 1u);
    EXPECT_EQ(server->statistics().challenged, 1u);
}

TEST_F(ConnectionRequestServerTest, WrongPasswordOrUserGets401AndNoCallback) {
    start(loopback_settings());
    EXPECT_EQ(while_serving(io, [url = url()] { return curl_digest_get(url, "acs", "wrong"); }),
              401);
    EXPECT_EQ(while_serving(io, [url = url()] { return curl_digest_get(url, "other", "s3cret"); }),
              401);
    ASSERT_TRUE(agent::testing::run_for(io, 100ms));
    EXPECT_EQ(requests, 0);
    EXPECT_EQ(server->statistics().accepted, 0u);
}

TEST_F(ConnectionRequestServerTest, ChallengesOfferSha256AndMd5AndBothAreAccepted) {
    start(loopback_settings());
    for (auto algorithm : {cwmp::digest::Algorithm::Sha256, cwmp::digest::Algorithm::Md5}) {
        auto result = while_serving(io, [&, path = server->path(), at = endpoint()] {
            return digest_get(at, path, "acs", "s3cret", algorithm);
        });
        EXPECT_EQ(status_of(result.challenge_response), 401);
        const auto challenges = header_values(result.challenge_response, "WWW-Authenticate");
        ASSERT_EQ(challenges.size(), 2u) << result.challenge_response;
        EXPECT_NE(challenges[0].find("algorithm=SHA-256"), std::string::npos);
        EXPECT_NE(challenges[1].find("algorithm=MD5"), std::string::npos);
        EXPECT_NE(challenges[0].find("qop=\"auth\""), std::string::npos);
        EXPECT_EQ(status_of(result.final_response), 200)
            << cwmp::digest::algorithm_name(algorithm) << "\n"
            << result.final_response;
        EXPECT_EQ(header_values(result.final_response, "Content-Length"),
                  std::vector<std::string>{"0"});
    }
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return requests == 2; }));
}

TEST_F(ConnectionRequestServerTest, ReplayedCredentialsAreRefused) {
    start(loopback_settings());
    auto first = while_serving(io, [path = server->path(), at = endpoint()] {
        return digest_get(at, path, "acs", "s3cret", cwmp::digest::Algorithm::Sha256);
    });
    ASSERT_EQ(status_of(first.final_response), 200);
    const std::string replay =
        get_request(server->path(), "Authorization: " + first.authorization + "\r\n");
    const auto again = while_serving(io, [&, at = endpoint()] { return request_once(at, replay); });
    EXPECT_EQ(status_of(again), 401) << again;
    ASSERT_TRUE(agent::testing::run_for(io, 100ms));
    EXPECT_EQ(requests, 1);
}

TEST_F(ConnectionRequestServerTest, OnlyGetOnThePathIsServed) {
    start(loopback_settings());
    const auto path = server->path();
    auto post = while_serving(io, [&, at = endpoint()] {
        return request_once(at,
                            "POST " + path + " HTTP/1.1\r\nHost: cpe\r\nContent-Length: 0\r\n\r\n");
    });
    EXPECT_EQ(status_of(post), 405) << post;
    EXPECT_EQ(header_values(post, "Allow"), std::vector<std::string>{"GET"});
    auto other = while_serving(
        io, [&, at = endpoint()] { return request_once(at, get_request("/elsewhere")); });
    EXPECT_EQ(status_of(other), 404) << other;
    auto basic = while_serving(io, [&, at = endpoint()] {
        return request_once(at, get_request(path, "Authorization: Basic YWNzOnMzY3JldA==\r\n"));
    });
    EXPECT_EQ(status_of(basic), 401) << basic;
    EXPECT_EQ(requests, 0);
}

TEST_F(ConnectionRequestServerTest, EmptyPasswordRefusesEverything) {
    set({{kPassword, ""}});
    start(loopback_settings());
    EXPECT_EQ(while_serving(io, [url = url()] { return curl_digest_get(url, "acs", ""); }), 403);
    EXPECT_EQ(server->statistics().refused, 1u);
    EXPECT_EQ(requests, 0);
}

TEST_F(ConnectionRequestServerTest, DisabledByHttpConnectionRequestEnable) {
    set({{"Device.ManagementServer.HTTPConnectionRequestEnable", "false"}});
    start(loopback_settings());
    EXPECT_EQ(while_serving(io, [url = url()] { return curl_digest_get(url, "acs", "s3cret"); }),
              403);
    EXPECT_EQ(requests, 0);
}

TEST_F(ConnectionRequestServerTest, OverTheRateLimitGets503WithoutRetryAfter) {
    auto settings = loopback_settings();
    settings.rate.burst_per_source = 2;
    settings.rate.refill_per_source = std::chrono::hours(1);
    start(settings);
    const auto request = get_request(server->path());
    std::vector<std::string> answers;
    for (int i = 0; i < 3; ++i) {
        answers.push_back(
            while_serving(io, [&, at = endpoint()] { return request_once(at, request); }));
    }
    EXPECT_EQ(status_of(answers[0]), 401);
    EXPECT_EQ(status_of(answers[1]), 401);
    EXPECT_EQ(status_of(answers[2]), 503) << answers[2];
    EXPECT_TRUE(header_values(answers[2], "Retry-After").empty());
    EXPECT_EQ(server->statistics().rate_limited, 1u);
}

TEST_F(ConnectionRequestServerTest, AFloodFromOneSourceLeavesTheRateOfAnotherUntouched) {
    auto settings = loopback_settings();
    settings.rate.burst_per_source = 2;
    settings.rate.refill_per_source = std::chrono::hours(1);
    start(settings);
    const auto request = get_request(server->path());
    std::vector<int> flooder;
    for (int i = 0; i < 5; ++i) {
        flooder.push_back(status_of(while_serving(
            io, [&, at = endpoint()] { return request_once(at, request, "127.0.0.2"); })));
    }
    EXPECT_EQ(flooder, (std::vector<int>{401, 401, 503, 503, 503}));
    // The ACS, from another address, still has its own burst: its Digest
    // exchange (two requests) succeeds.
    EXPECT_EQ(while_serving(io, [url = url()] { return curl_digest_get(url, "acs", "s3cret"); }),
              200);
    EXPECT_EQ(server->statistics().rate_limited, 3u);
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return requests == 1; }));
}

TEST_F(ConnectionRequestServerTest, RefusalsOverTheRateAreLoggedOncePerIntervalWithTheirCount) {
    agent::testing::LogCapture log;
    auto settings = loopback_settings();
    settings.rate.burst_per_source = 1;
    settings.rate.refill_per_source = std::chrono::hours(1);
    start(settings);
    const auto request = get_request(server->path());
    for (int i = 0; i < 6; ++i) {
        while_serving(io, [&, at = endpoint()] { return request_once(at, request, "127.0.0.2"); });
    }
    EXPECT_EQ(server->statistics().rate_limited, 5u);
    // The first refusal is logged; the next four only counted, within 10 s.
    EXPECT_EQ(log.count("over the rate limit -> 503"), 1u) << log.text();
    EXPECT_TRUE(log.contains("connection request from 127.0.0.2:")) << log.text();
}

TEST_F(ConnectionRequestServerTest, TheSharedRateBoundsManySourcesTogether) {
    auto settings = loopback_settings();
    settings.rate.burst_per_source = 2;
    settings.rate.burst_total = 3;
    settings.rate.refill_per_source = std::chrono::hours(1);
    settings.rate.refill_total = std::chrono::hours(1);
    start(settings);
    const auto request = get_request(server->path());
    std::vector<int> statuses;
    for (const char* source : {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}) {
        statuses.push_back(status_of(
            while_serving(io, [&, at = endpoint()] { return request_once(at, request, source); })));
    }
    EXPECT_EQ(statuses, (std::vector<int>{401, 401, 401, 503}));
}

TEST_F(ConnectionRequestServerTest, OversizedHeaderGets431AndABodyGets413) {
    auto settings = loopback_settings();
    settings.connection.max_header_bytes = 1024;
    start(settings);
    const auto path = server->path();
    auto big = while_serving(io, [&, at = endpoint()] {
        return request_once(at, get_request(path, "X-Filler: " + std::string(2000, 'x') + "\r\n"));
    });
    EXPECT_EQ(status_of(big), 431) << big;
    auto body = while_serving(io, [&, at = endpoint()] {
        return request_once(
            at, "GET " + path + " HTTP/1.1\r\nHost: cpe\r\nContent-Length: 5\r\n\r\nhello");
    });
    EXPECT_EQ(status_of(body), 413) << body;
    auto garbage =
        while_serving(io, [&, at = endpoint()] { return request_once(at, "NOT HTTP\r\n\r\n"); });
    EXPECT_EQ(status_of(garbage), 400) << garbage;
}

TEST_F(ConnectionRequestServerTest, ConnectionsOverTheLimitAreClosedAtOnce) {
    auto settings = loopback_settings();
    settings.max_connections = 1;
    start(settings);
    const int first = held_connection(1);
    EXPECT_TRUE(
        while_serving(io, [at = endpoint()] { return agent::testing::closed_at_once(at); }));
    EXPECT_EQ(server->statistics().connections_shed, 1u);
    ::close(first);
}

TEST_F(ConnectionRequestServerTest, AHoarderLosesItsOldestConnectionToAnotherSource) {
    auto settings = loopback_settings();
    settings.max_connections = 2;
    start(settings);
    // A slowloris from 127.0.0.2 holds every connection...
    const int oldest = held_connection(1, "127.0.0.2");
    const int newer = held_connection(2, "127.0.0.2");
    // ...so its next one is shed, as before...
    EXPECT_TRUE(while_serving(
        io, [at = endpoint()] { return agent::testing::closed_at_once(at, "127.0.0.2"); }));
    EXPECT_EQ(server->statistics().connections_shed, 1u);
    // ...but the ACS, from elsewhere, takes the hoarder's oldest and is served.
    EXPECT_EQ(while_serving(io, [url = url()] { return curl_digest_get(url, "acs", "s3cret"); }),
              200);
    EXPECT_EQ(server->statistics().connections_evicted, 1u);
    EXPECT_TRUE(while_serving(io, [oldest] { return agent::testing::closed_by_peer(oldest); }));
    // The newer one is untouched: a request on it is still answered.
    const auto answer = while_serving(io, [newer, request = get_request(server->path())] {
        return agent::testing::request_on(newer, request);
    });
    EXPECT_EQ(status_of(answer), 401) << answer;
    ::close(oldest);
    ::close(newer);
}

TEST_F(ConnectionRequestServerTest, OnATieAConnectionThatSentNothingGoesBeforeTheAcsMidExchange) {
    auto settings = loopback_settings();
    settings.max_connections = 2;
    start(settings);
    // The ACS's connection, the older one, is in the middle of its Digest
    // exchange: it has had its 401 and keeps the connection for the answer.
    const int acs = agent::testing::connect_to(endpoint());
    ASSERT_GE(acs, 0);
    const auto challenge = while_serving(io, [acs, request = get_request(server->path())] {
        return agent::testing::request_on(acs, request);
    });
    ASSERT_EQ(status_of(challenge), 401) << challenge;
    const int idle = held_connection(2, "127.0.0.2");
    // A third host: both others hold one each; the one that sent nothing goes.
    const int third = agent::testing::connect_to(endpoint(), "127.0.0.3");
    ASSERT_GE(third, 0);
    EXPECT_TRUE(while_serving(io, [idle] { return agent::testing::closed_by_peer(idle); }));
    EXPECT_EQ(server->statistics().connections_evicted, 1u);
    const auto answer = while_serving(io, [acs, request = get_request(server->path())] {
        return agent::testing::request_on(acs, request);
    });
    EXPECT_EQ(status_of(answer), 401) << "the ACS's connection is still served: " << answer;
    ::close(acs);
    ::close(idle);
    ::close(third);
}

TEST_F(ConnectionRequestServerTest, AConnectionResetBeforeItIsAcceptedTakesNoOnesPlace) {
    auto settings = loopback_settings();
    settings.max_connections = 1;
    start(settings);
    const int held = held_connection(1, "127.0.0.2");
    // Connected and reset (SO_LINGER 0) while the server is not running:
    // it is accepted afterwards with no peer address left.
    const int gone = agent::testing::connect_to(endpoint(), "127.0.0.3");
    ASSERT_GE(gone, 0);
    const linger reset{1, 0};
    ::setsockopt(gone, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::close(gone);
    ASSERT_TRUE(
        agent::testing::run_until(io, [&] { return server->statistics().connections_shed == 1; }));
    EXPECT_EQ(server->statistics().connections_evicted, 0u);
    EXPECT_EQ(server->open_connections(), 1u);
    ::close(held);
}

TEST_F(ConnectionRequestServerTest, IdleConnectionsAreClosed) {
    auto settings = loopback_settings();
    settings.connection.idle_timeout = 200ms;
    start(settings);
    const bool closed = while_serving(io, [at = endpoint()] {
        const int fd = agent::testing::connect_to(at);
        if (fd < 0) return false;
        const bool result = agent::testing::closed_by_peer(fd);
        ::close(fd);
        return result;
    });
    EXPECT_TRUE(closed);
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return server->open_connections() == 0; }));
}

TEST_F(ConnectionRequestServerTest, ServesIpv6) {
    auto settings = loopback_settings();
    settings.listen = {boost::asio::ip::make_address("::1"), 0};
    server = std::make_unique<ConnectionRequestServer>(io, model, settings, [this] { ++requests; });
    if (auto started = server->start(); !started) {
        GTEST_SKIP() << "no IPv6 loopback here: " << started.error();
    }
    EXPECT_EQ(url(), "http://[::1]:" + std::to_string(endpoint().port()) + server->path());
    EXPECT_EQ(while_serving(io, [url = url()] { return curl_digest_get(url, "acs", "s3cret"); }),
              200);
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return requests == 1; }));
}

TEST_F(ConnectionRequestServerTest, UnspecifiedListenAddressPublishesTheAddressTowardsTheAcs) {
    auto settings = loopback_settings();
    settings.listen = {boost::asio::ip::make_address("0.0.0.0"), 0};
    start(settings);
    ASSERT_TRUE(agent::testing::run_for(io, 50ms));
    EXPECT_EQ(url(), "") << "no ACS yet: nothing to publish";
    set({{"Device.ManagementServer.URL", "http://127.0.0.1:7547/acs"}});
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return !url().empty(); }));
    EXPECT_EQ(url(), "http://127.0.0.1:" + std::to_string(endpoint().port()) + server->path());
}

TEST_F(ConnectionRequestServerTest, AnAcsHostNameIsResolvedWithoutBlocking) {
    set({{"Device.ManagementServer.URL", "http://localhost:7547/acs"}});
    auto settings = loopback_settings();
    settings.listen = {boost::asio::ip::make_address("0.0.0.0"), 0};
    start(settings);
    EXPECT_EQ(url(), "") << "published only once the lookup has answered";
    ASSERT_TRUE(agent::testing::run_until(io, [&] { return !url().empty(); }));
    EXPECT_EQ(url(), "http://127.0.0.1:" + std::to_string(endpoint().port()) + server->path());
}

TEST_F(ConnectionRequestServerTest, StoppedServerClosesItsConnections) {
    start(loopback_settings());
    const int fd = held_connection(1);
    server->stop();
    const bool closed = while_serving(io, [fd] { return agent::testing::closed_by_peer(fd); });
    EXPECT_TRUE(closed);
    ::close(fd);
}

}  // namespace
}  // namespace agent::connection_request
