// Connection requests from acs-sim to CPEs: URL parsing, credentials from
// the cache, and the Beast client against a Digest-protected server on
// loopback (success, wrong password, refused, silent, redirect, oversize).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/field.hpp>
#include <memory>
#include <optional>

#include "connection_request/connection_request_client.hpp"
#include "connection_request/device_connection_request.hpp"
#include "connection_request/http_url.hpp"
#include "digest_cr_server.hpp"
#include "http/http_server.hpp"
#include "util/base64.hpp"

namespace acssim {
namespace {

using test::DigestCrServer;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

TEST(HttpUrl, SplitsHostPortAndTarget) {
    auto url = parse_http_url("http://192.0.2.7:7547/cr/abc?x=1");
    ASSERT_TRUE(url) << url.error();
    EXPECT_EQ(url->host, "192.0.2.7");
    EXPECT_EQ(url->port, 7547);
    EXPECT_EQ(url->target, "/cr/abc?x=1");
    EXPECT_EQ(url->authority, "192.0.2.7:7547");

    auto v6 = parse_http_url("HTTP://[::1]:30005");
    ASSERT_TRUE(v6) << v6.error();
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->port, 30005);
    EXPECT_EQ(v6->target, "/");

    auto name = parse_http_url("http://phone.example.test?k");
    ASSERT_TRUE(name) << name.error();
    EXPECT_EQ(name->port, 80);
    EXPECT_EQ(name->target, "/?k");
}

TEST(HttpUrl, RefusesWhatIsNotAPlainHttpUrl) {
    for (const char* bad : {"https://a/", "ftp://a/", "http://", "http://:80/", "http://a:0/",
                            "http://a:70000/", "http://a:8x/", "http://u:p@a/", "http://a/#f",
                            "http://a/ b", "http://[::1/", "http://[::1]x/"}) {
        EXPECT_FALSE(parse_http_url(bad)) << bad;
    }
    EXPECT_NE(parse_http_url("https://a/").error().find("not an http://"), std::string::npos);
}

TEST(Base64, RoundTripsAndRefusesNonCanonicalText) {
    EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_decode("dXNlcjpwYXNz"), "user:pass");
    EXPECT_EQ(base64_decode("YQ=="), "a");
    EXPECT_EQ(base64_decode("YWI="), "ab");
    EXPECT_FALSE(base64_decode("YQ="));
    EXPECT_FALSE(base64_decode("Y!=="));
    EXPECT_FALSE(base64_decode("YR=="));  // non-zero padding bits
}

DeviceRecord device_with(std::vector<std::pair<std::string, std::string>> values) {
    DeviceRecord device;
    device.id = "00256D-IPPhone-SN1";
    for (auto& [name, value] : values) {
        CachedParameter parameter;
        parameter.value = value;
        device.parameters.emplace(name, parameter);
    }
    return device;
}

TEST(DeviceConnectionRequest, UsesCachedCredentialsAndFallsBackToTheDefaults) {
    const ConnectionRequestCredentials defaults{"default-user", "default-pass"};
    auto own = device_connection_request(
        device_with({{"Device.ManagementServer.ConnectionRequestURL", "http://10.0.0.2:7547/x"},
                     {"Device.ManagementServer.ConnectionRequestUsername", "phone"},
                     {"Device.ManagementServer.ConnectionRequestPassword", ""}}),
        defaults);
    ASSERT_TRUE(own) << own.error();
    EXPECT_EQ(own->url, "http://10.0.0.2:7547/x");
    EXPECT_EQ(own->username, "phone");
    // A CPE reads its password back empty: that is no credential.
    EXPECT_EQ(own->password, "default-pass");

    auto igd = device_with(
        {{"InternetGatewayDevice.ManagementServer.ConnectionRequestURL", "http://10.0.0.3/"},
         {"InternetGatewayDevice.ManagementServer.ConnectionRequestPassword", "secret"}});
    auto target = device_connection_request(igd, defaults);
    ASSERT_TRUE(target) << target.error();
    EXPECT_EQ(target->url, "http://10.0.0.3/");
    EXPECT_EQ(target->username, "default-user");
    EXPECT_EQ(target->password, "secret");

    auto none = device_connection_request(device_with({}), defaults);
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().find("no ConnectionRequestURL"), std::string::npos) << none.error();
}

// Runs the io_context until the request is done (at most 15 s).
ConnectionRequestResult request(asio::io_context& io, ConnectionRequestClient& client,
                                ConnectionRequestTarget target) {
    std::optional<ConnectionRequestResult> result;
    client.send(std::move(target), [&](ConnectionRequestResult done) { result = std::move(done); });
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!result && std::chrono::steady_clock::now() < give_up) {
        io.run_one_for(std::chrono::milliseconds(100));
    }
    if (!result) return phonecwmp::Unexpected(std::string{"test: no result"});
    return *result;
}

TEST(ConnectionRequestClient, AnswersTheDigestChallenge) {
    asio::io_context io;
    DigestCrServer cpe(io, "cpe-user", "cpe-pass");
    ConnectionRequestClient client(io);
    auto result = request(io, client, {cpe.url(), "cpe-user", "cpe-pass"});
    EXPECT_TRUE(result) << result.error();
    EXPECT_EQ(cpe.challenged, 1);
    EXPECT_EQ(cpe.accepted, 1);
}

TEST(ConnectionRequestClient, ReportsAWrongPasswordAndMissingCredentials) {
    asio::io_context io;
    DigestCrServer cpe(io, "cpe-user", "cpe-pass");
    ConnectionRequestClient client(io);
    auto wrong = request(io, client, {cpe.url(), "cpe-user", "nope"});
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().find("401 after authentication"), std::string::npos) << wrong.error();
    auto none = request(io, client, {cpe.url(), "", ""});
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().find("no credentials"), std::string::npos) << none.error();
    EXPECT_EQ(cpe.accepted, 0);
}

TEST(ConnectionRequestClient, ReportsARefusedConnection) {
    asio::io_context io;
    unsigned short port = 0;
    {
        tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        port = probe.local_endpoint().port();
    }  // closed again: nothing listens there now
    ConnectionRequestClient client(io);
    auto result = request(io, client, {"http://127.0.0.1:" + std::to_string(port) + "/", "u", "p"});
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().find("cannot connect"), std::string::npos) << result.error();
}

TEST(ConnectionRequestClient, GivesUpOnASilentCpeAtItsDeadline) {
    asio::io_context io;
    // Accepts TCP connections (the kernel's backlog) but never answers.
    tcp::acceptor silent(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    ConnectionRequestClient client(io, ConnectionRequestLimits{std::chrono::milliseconds(300)});
    auto result = request(
        io, client,
        {"http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/", "u", "p"});
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().find("no answer within 300 ms"), std::string::npos) << result.error();
    EXPECT_EQ(client.in_flight(), 0U);
}

// A server that answers every request with one fixed response.
std::shared_ptr<http::Listener> fixed_server(asio::io_context& io, unsigned status,
                                             std::string body, std::string location = {}) {
    auto listener = http::Listener::open(
        io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0), "fixed", http::Limits{},
        [=](http::Request& request, http::ConnectionState&) {
            http::Response response{static_cast<bhttp::status>(status), request.version()};
            if (!location.empty()) response.set(bhttp::field::location, location);
            response.body() = body;
            return response;
        });
    if (!listener) throw std::runtime_error(listener.error());
    (*listener)->start();
    return *listener;
}

std::string url_of(const std::shared_ptr<http::Listener>& listener) {
    return "http://127.0.0.1:" + std::to_string(listener->local_endpoint().port()) + "/";
}

TEST(ConnectionRequestClient, DoesNotFollowRedirectsNorReadHugeAnswers) {
    asio::io_context io;
    auto redirect = fixed_server(io, 302, {}, "http://127.0.0.1:1/");
    auto huge = fixed_server(io, 200, std::string(64 * 1024, 'x'));
    auto busy = fixed_server(io, 503, "busy");
    ConnectionRequestClient client(io);

    auto moved = request(io, client, {url_of(redirect), "u", "p"});
    ASSERT_FALSE(moved);
    EXPECT_NE(moved.error().find("302 redirect not followed"), std::string::npos) << moved.error();
    auto big = request(io, client, {url_of(huge), "u", "p"});
    ASSERT_FALSE(big);
    EXPECT_NE(big.error().find("over 16384 bytes"), std::string::npos) << big.error();
    auto refused = request(io, client, {url_of(busy), "u", "p"});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error(), "HTTP 503");
    auto bad = request(io, client, {"https://127.0.0.1/", "u", "p"});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find("bad ConnectionRequestURL"), std::string::npos) << bad.error();

    redirect->stop();
    huge->stop();
    busy->stop();
}

}  // namespace
}  // namespace acssim
