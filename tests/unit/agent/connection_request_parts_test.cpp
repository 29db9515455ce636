// The small parts of the connection-request server: --cr-listen parsing,
// the random path, the rate limiter, the request authenticator's decisions.
#include <gtest/gtest.h>

#include <set>

#include "connection_request/listen_address.hpp"
#include "connection_request/rate_limiter.hpp"
#include "connection_request/request_authenticator.hpp"
#include "connection_request/request_path.hpp"
#include "connection_request/request_source.hpp"
#include "connection_request/source_rate_limiter.hpp"
#include "test_model.hpp"

namespace agent::connection_request {
namespace {

using namespace std::chrono_literals;

TEST(ListenAddress, ParsesIpv4AndBracketedIpv6) {
    auto v4 = parse_listen_address("0.0.0.0:7547");
    ASSERT_TRUE(v4) << v4.error();
    EXPECT_TRUE(v4->address.is_v4());
    EXPECT_TRUE(v4->address.is_unspecified());
    EXPECT_EQ(v4->port, 7547);
    auto v6 = parse_listen_address("[::1]:0");
    ASSERT_TRUE(v6) << v6.error();
    EXPECT_TRUE(v6->address.is_v6());
    EXPECT_EQ(v6->port, 0);
    EXPECT_EQ(url_host(v6->address), "[::1]");
    EXPECT_EQ(url_host(v4->address), "0.0.0.0");
}

TEST(ListenAddress, RefusesWhatIsNotHostColonPort) {
    for (const char* text :
         {"", "7547", "::1:7547", "[127.0.0.1]:1", "host.example:7547",
          "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:7x", ":7547", "[]:1"}) {
        auto parsed = parse_listen_address(text);
        EXPECT_FALSE(parsed) << text;
        if (!parsed) {
            EXPECT_NE(parsed.error().find("expected HOST:PORT"), std::string::npos);
        }
    }
}

TEST(RequestPath, IsRandomUrlSafeAnd128Bits) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const auto path = random_path();
        ASSERT_EQ(path.size(), 23u);
        EXPECT_EQ(path[0], '/');
        EXPECT_EQ(path.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 1),
                  std::string::npos)
            << path;
        seen.insert(path);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST(RequestPath, StoredOnceAndAMalformedStoredPathIsReplaced) {
    datamodel::Model model{agent::testing::phone_definitions()};
    auto first = load_or_create_path(model);
    ASSERT_TRUE(first) << first.error();
    auto again = load_or_create_path(model);
    ASSERT_TRUE(again);
    EXPECT_EQ(*first, *again);
    ASSERT_TRUE(model.set_meta(kPathMetaKey, "/short"));
    auto replaced = load_or_create_path(model);
    ASSERT_TRUE(replaced);
    EXPECT_NE(*replaced, "/short");
    EXPECT_EQ(model.meta(kPathMetaKey), *replaced);
}

TEST(RateLimiter, BurstThenOnePerInterval) {
    RateLimiter limiter(3, 1s);
    const auto t0 = RateLimiter::Clock::time_point(100h);
    EXPECT_TRUE(limiter.try_take(t0));
    EXPECT_TRUE(limiter.try_take(t0));
    EXPECT_TRUE(limiter.try_take(t0));
    EXPECT_FALSE(limiter.try_take(t0));
    EXPECT_FALSE(limiter.try_take(t0 + 999ms));
    EXPECT_TRUE(limiter.try_take(t0 + 1s));
    EXPECT_FALSE(limiter.try_take(t0 + 1500ms));
    // The half second already earned counts towards the next token.
    EXPECT_TRUE(limiter.try_take(t0 + 2s));
    // A long pause refills to the burst, not beyond.
    const auto later = t0 + 1h;
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.try_take(later)) << i;
    EXPECT_FALSE(limiter.try_take(later));
}

TEST(RateLimiter, CanTakeTakesNothing) {
    RateLimiter limiter(1, 1h);
    const auto t0 = RateLimiter::Clock::time_point(100h);
    EXPECT_TRUE(limiter.can_take(t0));
    EXPECT_TRUE(limiter.can_take(t0));
    EXPECT_TRUE(limiter.try_take(t0));
    EXPECT_FALSE(limiter.can_take(t0));
}

RequestSource source(const char* address) {
    return RequestSource(boost::asio::ip::make_address(address));
}

TEST(RequestSource, IsTheIpv4AddressOrTheIpv6Slash64) {
    EXPECT_EQ(source("192.0.2.7").to_string(), "192.0.2.7");
    EXPECT_NE(source("192.0.2.7"), source("192.0.2.8"));
    // Every address of a /64 is one source: a host picks them at will.
    EXPECT_EQ(source("2001:db8:1:2::1"), source("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    EXPECT_EQ(source("2001:db8:1:2:aaaa::1").to_string(), "2001:db8:1:2::/64");
    EXPECT_NE(source("2001:db8:1:2::1"), source("2001:db8:1:3::1"));
    // A dual-stack listener sees IPv4 clients as IPv4-mapped addresses.
    EXPECT_EQ(source("::ffff:192.0.2.7"), source("192.0.2.7"));
    EXPECT_NE(source("::ffff:192.0.2.7"), source("::ffff:192.0.2.8"));
}

// A burst and refill interval per source, the same for all sources together,
// and the size of the table of sources.
SourceRateLimiter make_limiter(std::size_t per_source, std::chrono::milliseconds source_refill,
                               std::size_t total, std::chrono::milliseconds total_refill,
                               std::size_t max_sources) {
    return SourceRateLimiter({per_source, source_refill, total, total_refill, max_sources});
}

TEST(SourceRateLimiter, OneSourceOverItsLimitLeavesTheOthersTheirs) {
    auto limiter = make_limiter(2, 1000ms, 10, 100ms, 8);
    const auto t0 = SourceRateLimiter::Clock::time_point(100h);
    EXPECT_TRUE(limiter.try_take(source("192.0.2.1"), t0));
    EXPECT_TRUE(limiter.try_take(source("192.0.2.1"), t0));
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.try_take(source("192.0.2.1"), t0));
    EXPECT_TRUE(limiter.try_take(source("192.0.2.2"), t0));
    EXPECT_TRUE(limiter.try_take(source("192.0.2.2"), t0));
    EXPECT_FALSE(limiter.try_take(source("192.0.2.2"), t0));
    // Each refills at its own rate.
    EXPECT_TRUE(limiter.try_take(source("192.0.2.1"), t0 + 1s));
    EXPECT_FALSE(limiter.try_take(source("192.0.2.1"), t0 + 1s));
}

TEST(SourceRateLimiter, TheSharedBucketBoundsAllSourcesTogether) {
    auto limiter = make_limiter(5, 1000ms, 3, 500ms, 8);
    const auto t0 = SourceRateLimiter::Clock::time_point(100h);
    EXPECT_TRUE(limiter.try_take(source("192.0.2.1"), t0));
    EXPECT_TRUE(limiter.try_take(source("192.0.2.2"), t0));
    EXPECT_TRUE(limiter.try_take(source("192.0.2.3"), t0));
    EXPECT_FALSE(limiter.try_take(source("192.0.2.4"), t0));
    EXPECT_TRUE(limiter.try_take(source("192.0.2.4"), t0 + 500ms));
}

TEST(SourceRateLimiter, ARefusedSourceDoesNotDrainTheSharedBucket) {
    auto limiter = make_limiter(1, 1h, 2, 1h, 8);
    const auto t0 = SourceRateLimiter::Clock::time_point(100h);
    EXPECT_TRUE(limiter.try_take(source("192.0.2.1"), t0));
    for (int i = 0; i < 50; ++i) EXPECT_FALSE(limiter.try_take(source("192.0.2.1"), t0));
    EXPECT_TRUE(limiter.try_take(source("192.0.2.2"), t0));
    // And a refusal by the shared bucket leaves the source's own token.
    EXPECT_FALSE(limiter.try_take(source("192.0.2.3"), t0));
    auto shared_first = make_limiter(1, 1h, 1, 1s, 8);
    EXPECT_TRUE(shared_first.try_take(source("192.0.2.1"), t0));
    EXPECT_FALSE(shared_first.try_take(source("192.0.2.2"), t0));
    EXPECT_TRUE(shared_first.try_take(source("192.0.2.2"), t0 + 1s));
}

TEST(SourceRateLimiter, TheTableOfSourcesIsBoundedAndDropsTheStalest) {
    auto limiter = make_limiter(1, 1h, 1000, 1ms, 3);
    const auto t0 = SourceRateLimiter::Clock::time_point(100h);
    EXPECT_TRUE(limiter.try_take(source("192.0.2.1"), t0));
    EXPECT_TRUE(limiter.try_take(source("192.0.2.2"), t0 + 1s));
    EXPECT_TRUE(limiter.try_take(source("192.0.2.3"), t0 + 2s));
    EXPECT_FALSE(limiter.try_take(source("192.0.2.1"), t0 + 3s));  // seen again: now the freshest
    EXPECT_TRUE(limiter.try_take(source("192.0.2.4"), t0 + 4s));   // drops .2, the stalest
    EXPECT_EQ(limiter.tracked_sources(), 3u);
    EXPECT_FALSE(limiter.try_take(source("192.0.2.1"), t0 + 5s));  // still tracked, still empty
    EXPECT_TRUE(limiter.try_take(source("192.0.2.2"), t0 + 6s));   // forgotten: a fresh bucket
    for (int i = 0; i < 1000; ++i) {
        limiter.try_take(RequestSource(boost::asio::ip::address_v4(0x0A000000u + i)), t0 + 7s);
    }
    EXPECT_EQ(limiter.tracked_sources(), 3u);
}

class AuthenticatorTest : public ::testing::Test {
protected:
    datamodel::Model model{agent::testing::phone_definitions()};

    void set(const char* path, const char* value) {
        ASSERT_TRUE(model.set_internal({{path, value, std::nullopt}}).has_value());
    }
};

TEST_F(AuthenticatorTest, ChallengesThenAcceptsThenSeesTheReplay) {
    set("Device.ManagementServer.ConnectionRequestUsername", "acs");
    set("Device.ManagementServer.ConnectionRequestPassword", "pw");
    RequestAuthenticator authenticator(model, 60s, 16);
    auto first = authenticator.check("GET", "/p", std::nullopt);
    ASSERT_EQ(first.kind, AuthDecision::Kind::Challenge);
    ASSERT_EQ(first.challenges.size(), 2u);
    auto challenge = cwmp::digest::parse_challenge(first.challenges[1]);
    ASSERT_TRUE(challenge);
    EXPECT_EQ(challenge->realm, kRealm);
    auto credentials =
        cwmp::digest::answer_challenge(*challenge, "acs", "pw", "GET", "/p", 1, "c1");
    ASSERT_TRUE(credentials);
    const auto header = cwmp::digest::format_credentials(*credentials);
    EXPECT_EQ(authenticator.check("GET", "/p", header).kind, AuthDecision::Kind::Accept);
    auto replay = authenticator.check("GET", "/p", header);
    EXPECT_EQ(replay.kind, AuthDecision::Kind::Challenge);
    EXPECT_NE(replay.reason.find("replay"), std::string::npos) << replay.reason;

    // The password is read at each request: a change applies at once.
    set("Device.ManagementServer.ConnectionRequestPassword", "new");
    auto next = cwmp::digest::answer_challenge(*challenge, "acs", "pw", "GET", "/p", 2, "c1");
    ASSERT_TRUE(next);
    auto refused = authenticator.check("GET", "/p", cwmp::digest::format_credentials(*next));
    EXPECT_EQ(refused.kind, AuthDecision::Kind::Challenge);
    EXPECT_NE(refused.reason.find("wrong response"), std::string::npos) << refused.reason;
}

TEST_F(AuthenticatorTest, MalformedOrNonDigestCredentialsAreChallengedWithTheReason) {
    set("Device.ManagementServer.ConnectionRequestPassword", "pw");
    RequestAuthenticator authenticator(model, 60s, 16);
    auto basic = authenticator.check("GET", "/p", std::string_view("Basic YTpi"));
    EXPECT_EQ(basic.kind, AuthDecision::Kind::Challenge);
    EXPECT_NE(basic.reason.find("not Digest"), std::string::npos);
    auto broken = authenticator.check("GET", "/p", std::string_view("Digest username=\"x"));
    EXPECT_EQ(broken.kind, AuthDecision::Kind::Challenge);
    EXPECT_NE(broken.reason.find("malformed"), std::string::npos) << broken.reason;
}

TEST_F(AuthenticatorTest, EmptyPasswordRefuses) {
    RequestAuthenticator authenticator(model, 60s, 16);
    auto decision = authenticator.check("GET", "/p", std::nullopt);
    EXPECT_EQ(decision.kind, AuthDecision::Kind::Refuse);
    EXPECT_NE(decision.reason.find("ConnectionRequestPassword is empty"), std::string::npos);
}

}  // namespace
}  // namespace agent::connection_request
