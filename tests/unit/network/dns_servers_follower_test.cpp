// The ACS client resolves through the DNS servers of the data model: the
// follower feeds the client's resolver, and a tiny DNS responder on loopback
// proves which server was asked.
#include "network/dns_servers_follower.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <optional>

#include "http/curl_multi_client.hpp"
#include "http_test_dns_responder.hpp"
#include "http_test_server.hpp"
#include "io_loop.hpp"
#include "test_model.hpp"

namespace agent::network {
namespace {

using http::test::make_reply;
using http::test::RecordedRequest;
using http::test::TestDnsResponder;
using http::test::TestHttpServer;

class DnsServersFollowerTest : public ::testing::Test {
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

    DnsServersFollowerTest() {
        EXPECT_TRUE(model.set_internal(writes({{"Device.DNS.Client.Enable", "true"}})));
    }

    void add_server(const std::string& server, bool enabled) {
        auto instance = model.add_object("Device.DNS.Client.Server.");
        ASSERT_TRUE(instance) << instance.error().message;
        const std::string row = "Device.DNS.Client.Server." + std::to_string(*instance) + ".";
        auto set = spv({{row + "DNSServer", server}, {row + "Enable", enabled ? "true" : "false"}});
        ASSERT_TRUE(set) << set.error().front().message;
    }

    http::Result post(http::CurlMultiClient& client, const std::string& url) {
        auto channel = client.open(http::ChannelSettings{});
        std::optional<http::Result> result;
        channel->post(http::Request{url, "<Inform/>", {"Content-Type: text/xml"}},
                      [&result](http::Result r) { result = std::move(r); });
        if (!agent::testing::run_until(io, [&result] { return result.has_value(); })) {
            return phonecwmp::Unexpected(http::TransportError{"test: no completion in 10 s"});
        }
        return std::move(*result);
    }

    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
        boost::asio::make_work_guard(io);
    datamodel::Model model{agent::testing::phone_definitions()};
};

TEST_F(DnsServersFollowerTest, OnlyEnabledRowsInInstanceOrder) {
    add_server("192.0.2.53", true);
    add_server("192.0.2.54", false);
    add_server("198.51.100.53", true);
    EXPECT_EQ(DnsServersFollower::configured_servers(model),
              (std::vector<std::string>{"192.0.2.53", "198.51.100.53"}));
    ASSERT_TRUE(spv({{"Device.DNS.Client.Enable", "false"}}));
    EXPECT_TRUE(DnsServersFollower::configured_servers(model).empty());
}

TEST_F(DnsServersFollowerTest, SinksGetTheListNowAndOnEveryChange) {
    DnsServersFollower follower(model);
    std::vector<std::vector<std::string>> seen;
    follower.add_sink(
        [&seen](const std::vector<std::string>& servers) { seen.push_back(servers); });
    add_server("192.0.2.53", true);
    ASSERT_TRUE(spv({{"Device.DNS.Client.Server.1.Enable", "false"}}));
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_TRUE(seen[0].empty());
    EXPECT_EQ(seen[1], std::vector<std::string>{"192.0.2.53"});
    EXPECT_TRUE(seen[2].empty());  // back to the system's
}

TEST_F(DnsServersFollowerTest, AcsClientAsksTheServerOfTheDataModel) {
    TestHttpServer acs(io, [](const RecordedRequest&) { return make_reply(204); });
    TestDnsResponder dns(io,
                         {{"acs.phonecwmp.test", boost::asio::ip::make_address_v4("127.0.0.1")}});
    http::CurlMultiClient client(io);
    DnsServersFollower follower(model);
    std::string sink_error;
    follower.add_sink([&client, &sink_error](const std::vector<std::string>& servers) {
        if (auto set = client.resolver().set_servers(servers); !set) {
            sink_error = set.error().message;
        }
    });
    const std::string url = "http://acs.phonecwmp.test:" + std::to_string(acs.port()) + "/acs";

    add_server(dns.server(), true);
    const http::Result result = post(client, url);

    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->status, 204);
    EXPECT_TRUE(sink_error.empty()) << sink_error;
    ASSERT_GE(dns.queries(), 1u);
    EXPECT_EQ(dns.questions()[0], "acs.phonecwmp.test/A");
    EXPECT_EQ(acs.requests().size(), 1u);
}

TEST_F(DnsServersFollowerTest, AcsClientFailsWhenTheConfiguredServerIsSilent) {
    TestDnsResponder silent(io, {}, TestDnsResponder::Mode::Silent);
    http::CurlMultiClient client(io, net::ResolverOptions{std::chrono::milliseconds(100), 1});
    DnsServersFollower follower(model);
    follower.add_sink([&client](const std::vector<std::string>& servers) {
        ASSERT_TRUE(client.resolver().set_servers(servers));
    });
    add_server(silent.server(), true);

    const http::Result result = post(client, "http://acs.phonecwmp.test:9/acs");

    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("acs.phonecwmp.test"), std::string::npos)
        << result.error().message;
    EXPECT_GE(silent.queries(), 1u);
}

}  // namespace
}  // namespace agent::network
