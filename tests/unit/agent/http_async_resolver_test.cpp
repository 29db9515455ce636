// net::AsyncResolver (c-ares on the io_context) against an in-process DNS
// responder on 127.0.0.1.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http_test_dns_responder.hpp"
#include "io_loop.hpp"
#include "net/async_resolver.hpp"

namespace agent::net {
namespace {

using namespace std::chrono_literals;
using http::test::TestDnsResponder;

class AsyncResolverTest : public ::testing::Test {
protected:
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
        return testing::run_until(io, done, limit);
    }
    void run_for(std::chrono::milliseconds span) { ASSERT_TRUE(testing::run_for(io, span)); }

    ResolveResult resolve_and_wait(AsyncResolver& resolver, const std::string& host,
                                   std::chrono::milliseconds limit = 5s) {
        std::optional<ResolveResult> result;
        resolver.resolve(host, limit, [&result](ResolveResult r) { result = std::move(r); });
        if (!run_until([&result] { return result.has_value(); })) {
            return phonecwmp::Unexpected(ResolveError{"test: no answer within 10 s"});
        }
        return std::move(*result);
    }

    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
        boost::asio::make_work_guard(io);
    const boost::asio::ip::address_v4 kAcs = boost::asio::ip::make_address_v4("127.0.0.1");
};

TEST(AsyncResolverParse, ServerForms) {
    const auto plain = AsyncResolver::parse_server("192.0.2.53");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->address().to_string(), "192.0.2.53");
    EXPECT_EQ(plain->port(), 53);

    const auto with_port = AsyncResolver::parse_server("192.0.2.53:5353");
    ASSERT_TRUE(with_port);
    EXPECT_EQ(with_port->port(), 5353);

    const auto v6 = AsyncResolver::parse_server("2001:db8::53");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->address().to_string(), "2001:db8::53");
    EXPECT_EQ(v6->port(), 53);

    const auto v6_port = AsyncResolver::parse_server("[2001:db8::53]:5353");
    ASSERT_TRUE(v6_port);
    EXPECT_EQ(v6_port->address().to_string(), "2001:db8::53");
    EXPECT_EQ(v6_port->port(), 5353);

    for (const char* bad :
         {"", "dns.example.com", "192.0.2.53:", "192.0.2.53:0", "192.0.2.53:70000",
          "192.0.2.53:53x", "[2001:db8::53", "[2001:db8::53]x", "fe80::1%eth0", "300.1.1.1"}) {
        const auto parsed = AsyncResolver::parse_server(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_NE(parsed.error().message.find(std::string("\"") + bad + "\""), std::string::npos)
            << parsed.error().message;
    }
}

TEST_F(AsyncResolverTest, BadServerListChangesNothing) {
    TestDnsResponder dns(io, {{"acs.test", kAcs}});
    AsyncResolver resolver(io);
    ASSERT_TRUE(resolver.set_servers({dns.server()}));

    EXPECT_FALSE(resolver.set_servers({dns.server(), "not-an-address"}));

    const auto result = resolve_and_wait(resolver, "acs.test");
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_GE(dns.queries(), 1u);
}

// The SIP restricted access domains are cached for the records' TTL (issue
// 7): the resolver passes the answer's TTL on, and a literal gets kLiteralTtl.
TEST_F(AsyncResolverTest, ReportsTheRecordsTtl) {
    TestDnsResponder dns(io, {{"proxy.test", kAcs}}, TestDnsResponder::Mode::Answer, 1234);
    AsyncResolver resolver(io);
    ASSERT_TRUE(resolver.set_servers({dns.server()}));

    std::optional<TimedResolveResult> timed;
    resolver.resolve_with_ttl("proxy.test", std::chrono::seconds(5),
                              [&](TimedResolveResult result) { timed = std::move(result); });
    ASSERT_TRUE(run_until([&] { return timed.has_value(); }));
    ASSERT_TRUE(*timed) << (*timed).error().message;
    ASSERT_EQ((*timed)->addresses.size(), 1u);
    EXPECT_EQ((*timed)->ttl, std::chrono::seconds(1234));

    std::optional<TimedResolveResult> literal;
    resolver.resolve_with_ttl("192.0.2.7", std::chrono::seconds(5),
                              [&](TimedResolveResult result) { literal = std::move(result); });
    ASSERT_TRUE(run_until([&] { return literal.has_value(); }));
    ASSERT_TRUE(*literal);
    EXPECT_EQ((*literal)->ttl, kLiteralTtl);
}

TEST_F(AsyncResolverTest, ResolvesARecordThroughTheConfiguredServer) {
    TestDnsResponder dns(io, {{"acs.test", kAcs}});
    AsyncResolver resolver(io);
    ASSERT_TRUE(resolver.set_servers({dns.server()}));

    const auto result = resolve_and_wait(resolver, "ACS.test");

    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(result->size(), 1u);
    EXPECT_EQ((*result)[0], boost::asio::ip::address(kAcs));
    EXPECT_GE(dns.queries(), 1u);
}

TEST_F(AsyncResolverTest, IpLiteralIsItsOwnAnswerWithoutAQuery) {
    TestDnsResponder dns(io, {});
    AsyncResolver resolver(io);
    ASSERT_TRUE(resolver.set_servers({dns.server()}));

    const auto v4 = resolve_and_wait(resolver, "192.0.2.7");
    const auto v6 = resolve_and_wait(resolver, "2001:db8::7");

    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->at(0).to_string(), "192.0.2.7");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->at(0).to_string(), "2001:db8::7");
    EXPECT_EQ(dns.queries(), 0u);
}

TEST_F(AsyncResolverTest, HandlerNeverRunsInsideResolve) {
    AsyncResolver resolver(io);
    bool called = false;
    resolver.resolve("192.0.2.7", 1s, [&called](ResolveResult) { called = true; });
    EXPECT_FALSE(called);
    ASSERT_TRUE(run_until([&called] { return called; }));
}

TEST_F(AsyncResolverTest, UnknownNameIsAnErrorNamingTheHost) {
    TestDnsResponder dns(io, {{"acs.test", kAcs}});
    AsyncResolver resolver(io);
    ASSERT_TRUE(resolver.set_servers({dns.server()}));

    const auto result = resolve_and_wait(resolver, "nowhere.test");

    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("nowhere.test"), std::string::npos)
        << result.error().message;
}

TEST_F(AsyncResolverTest, SilentServerFailsWithinTheBound) {
    TestDnsResponder dns(io, {}, TestDnsResponder::Mode::Silent);
    AsyncResolver resolver(io, ResolverOptions{100ms, 2});
    ASSERT_TRUE(resolver.set_servers({dns.server()}));
    const auto start = std::chrono::steady_clock::now();

    const auto result = resolve_and_wait(resolver, "acs.test");

    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("acs.test"), std::string::npos) << result.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(AsyncResolverTest, LookupLimitCutsALongerRetrySchedule) {
    TestDnsResponder dns(io, {}, TestDnsResponder::Mode::Silent);
    AsyncResolver resolver(io, ResolverOptions{5000ms, 3});
    ASSERT_TRUE(resolver.set_servers({dns.server()}));
    const auto start = std::chrono::steady_clock::now();

    const auto result = resolve_and_wait(resolver, "acs.test", 200ms);

    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("acs.test: no answer within 200 ms"), std::string::npos)
        << result.error().message;
    // Far below the 5 s x 3 tries of the resolver's own schedule.
    EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST_F(AsyncResolverTest, NewServersServeNewLookupsWhileOldOnesFinish) {
    TestDnsResponder silent(io, {}, TestDnsResponder::Mode::Silent);
    TestDnsResponder answering(io, {{"acs.test", kAcs}});
    AsyncResolver resolver(io, ResolverOptions{200ms, 1});
    ASSERT_TRUE(resolver.set_servers({silent.server()}));
    std::optional<ResolveResult> old_lookup;
    resolver.resolve("acs.test", 5s, [&old_lookup](ResolveResult r) { old_lookup = std::move(r); });
    ASSERT_TRUE(run_until([&silent] { return silent.queries() >= 1; }));

    ASSERT_TRUE(resolver.set_servers({answering.server()}));
    const auto new_lookup = resolve_and_wait(resolver, "acs.test");

    ASSERT_TRUE(new_lookup) << new_lookup.error().message;
    EXPECT_EQ(new_lookup->at(0), boost::asio::ip::address(kAcs));
    ASSERT_TRUE(run_until([&old_lookup] { return old_lookup.has_value(); }));
    EXPECT_FALSE(*old_lookup);
    EXPECT_EQ(answering.queries(), 2u) << "A and AAAA of the new lookup only";
}

TEST_F(AsyncResolverTest, DestroyedResolverNeverCallsItsHandlers) {
    TestDnsResponder dns(io, {}, TestDnsResponder::Mode::Silent);
    auto resolver = std::make_unique<AsyncResolver>(io, ResolverOptions{50ms, 1});
    ASSERT_TRUE(resolver->set_servers({dns.server()}));
    bool called = false;
    resolver->resolve("acs.test", 100ms, [&called](ResolveResult) { called = true; });
    ASSERT_TRUE(run_until([&dns] { return dns.queries() >= 1; }));
    resolver->resolve("192.0.2.1", 100ms, [&called](ResolveResult) { called = true; });

    resolver.reset();  // with one lookup at c-ares and one answer posted

    run_for(300ms);  // past c-ares' give-up and the lookup's limit
    EXPECT_FALSE(called);
}

TEST_F(AsyncResolverTest, SystemConfigurationReadsTheHostsFile) {
    std::ifstream hosts("/etc/hosts");
    std::string line;
    bool listed = false;
    while (std::getline(hosts, line)) {
        listed = listed ||
                 (line.rfind("127.0.0.1", 0) == 0 && line.find("localhost") != std::string::npos);
    }
    if (!listed) {
        GTEST_SKIP() << "/etc/hosts does not map localhost to 127.0.0.1";
    }
    AsyncResolver resolver(io);

    const auto result = resolve_and_wait(resolver, "localhost");

    ASSERT_TRUE(result) << result.error().message;
    EXPECT_NE(std::find(result->begin(), result->end(), boost::asio::ip::address(kAcs)),
              result->end());
}

}  // namespace
}  // namespace agent::net
