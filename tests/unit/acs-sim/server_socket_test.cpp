// acs-sim's server on real loopback sockets: port 0, keep-alive, cookies,
// 100-continue, limits, timeouts, and a clean stop.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "acs_server.hpp"
#include "cwmp/codec.hpp"
#include "http/http_server.hpp"
#include "loopback_server.hpp"
#include "test_support.hpp"

namespace acssim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using HttpResponse = bhttp::response<bhttp::string_body>;

using test::Client;
using test::loopback_options;
using test::RunningServer;

std::string encoded_inform() {
    cwmp::Envelope envelope;
    envelope.header.id = "sock-1";
    envelope.body = test::phone_inform({"0 BOOTSTRAP", "1 BOOT"});
    return cwmp::make_codec()->encode(envelope, cwmp::Namespace::Cwmp10);
}

TEST(AcsServerSocket, BindsFreePortsAndServesTheNbi) {
    RunningServer running;
    const auto nbi = running.server().nbi_endpoint();
    const auto cwmp = running.server().cwmp_endpoint();
    EXPECT_NE(nbi.port(), 0);
    EXPECT_NE(cwmp.port(), 0);
    EXPECT_NE(nbi.port(), cwmp.port());

    Client client(nbi);
    auto empty = client.request(bhttp::verb::get, "/devices");
    EXPECT_EQ(empty.result_int(), 200U);
    EXPECT_EQ(empty.body(), "[]");
    EXPECT_EQ(empty[bhttp::field::content_type], "application/json");
    EXPECT_EQ(empty["total"], "0");
    EXPECT_TRUE(empty.keep_alive());

    // The same connection serves the next request.
    auto missing = client.request(bhttp::verb::get, "/nowhere");
    EXPECT_EQ(missing.result_int(), 404U);
    auto wrong = client.request(bhttp::verb::delete_, "/devices");
    EXPECT_EQ(wrong.result_int(), 405U);
    EXPECT_EQ(wrong[bhttp::field::allow], "GET, HEAD");
    running.stop();
}

TEST(AcsServerSocket, RunsACwmpSessionOverOneConnectionWithItsCookie) {
    RunningServer running;
    Client cpe(running.server().cwmp_endpoint());

    auto inform = cpe.request(bhttp::verb::post, "/", encoded_inform());
    ASSERT_EQ(inform.result_int(), 200U) << inform.body();
    EXPECT_EQ(inform[bhttp::field::content_type], "text/xml; charset=\"utf-8\"");
    EXPECT_NE(inform.body().find("urn:dslforum-org:cwmp-1-0"), std::string::npos);
    EXPECT_NE(inform.body().find("InformResponse"), std::string::npos);
    const std::string set_cookie{inform[bhttp::field::set_cookie]};
    ASSERT_EQ(set_cookie.rfind("session=", 0), 0U) << set_cookie;
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

    auto end = cpe.request(bhttp::verb::post, "/", "", cookie);
    EXPECT_EQ(end.result_int(), 204U);
    EXPECT_TRUE(end.body().empty());

    // The NBI now shows the device, shaped like GenieACS's.
    Client nbi(running.server().nbi_endpoint());
    auto devices = nbi.request(bhttp::verb::get,
                               "/devices?query=%7B%22_id%22%3A%2200256D-IPPhone-SN0001%22%7D"
                               "&projection=Device.ManagementServer.PeriodicInformInterval");
    ASSERT_EQ(devices.result_int(), 200U) << devices.body();
    const auto list = nlohmann::json::parse(devices.body());
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0]["Device"]["ManagementServer"]["PeriodicInformInterval"]["_value"], 900);

    auto get = cpe.request(bhttp::verb::get, "/");
    EXPECT_EQ(get.result_int(), 405U);
    running.stop();
}

TEST(AcsServerSocket, AnswersExpect100ContinueBeforeTheBody) {
    RunningServer running;
    Client cpe(running.server().cwmp_endpoint());
    const std::string body = encoded_inform();
    const std::string head =
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
        "Expect: 100-continue\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n";
    asio::write(cpe.stream().socket(), asio::buffer(head));
    std::string interim;
    const auto size =
        asio::read_until(cpe.stream().socket(), asio::dynamic_buffer(interim), "\r\n\r\n");
    EXPECT_EQ(interim.substr(0, size), "HTTP/1.1 100 Continue\r\n\r\n");
    asio::write(cpe.stream().socket(), asio::buffer(body));
    auto response = cpe.read();
    EXPECT_EQ(response.result_int(), 200U);
    EXPECT_NE(response.body().find("InformResponse"), std::string::npos);
    running.stop();
}

TEST(AcsServerSocket, RefusesABodyOverTheLimitWith413AndCloses) {
    auto options = loopback_options();
    options.cwmp_max_body_bytes = 1024;
    RunningServer running(options);
    Client cpe(running.server().cwmp_endpoint());
    auto response = cpe.request(bhttp::verb::post, "/", std::string(4096, 'x'));
    EXPECT_EQ(response.result_int(), 413U);
    EXPECT_FALSE(response.keep_alive());
    running.stop();
}

TEST(AcsServerSocket, ClosesAnIdleConnectionAfterTheTimeout) {
    auto options = loopback_options();
    options.nbi_timeout = std::chrono::seconds(1);
    RunningServer running(options);
    Client client(running.server().nbi_endpoint());
    EXPECT_EQ(client.request(bhttp::verb::get, "/devices").result_int(), 200U);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    char byte = 0;
    boost::system::error_code error;
    client.stream().socket().read_some(asio::buffer(&byte, 1), error);
    EXPECT_EQ(error, asio::error::eof);
    running.stop();
}

TEST(AcsServerSocket, StopsWhileConnectionsAreOpen) {
    RunningServer running;
    Client idle_cpe(running.server().cwmp_endpoint());
    Client idle_client(running.server().nbi_endpoint());
    EXPECT_EQ(idle_client.request(bhttp::verb::get, "/tasks").result_int(), 200U);
    const auto started = std::chrono::steady_clock::now();
    running.stop();  // returns only when run() has returned
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    char byte = 0;
    boost::system::error_code error;
    idle_client.stream().socket().read_some(asio::buffer(&byte, 1), error);
    EXPECT_TRUE(error);
}

TEST(HttpListener, AnswersAFailingHandlerWith500AndKeepsServing) {
    asio::io_context io;
    int calls = 0;
    auto listener = http::Listener::open(
        io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0), "test", http::Limits{},
        [&calls](http::Request& request, http::ConnectionState&) -> http::Response {
            if (++calls == 1) throw std::runtime_error("boom");
            http::Response response{bhttp::status::ok, request.version()};
            response.body() = "fine";
            return response;
        });
    ASSERT_TRUE(listener) << listener.error();
    (*listener)->start();
    std::thread runner([&io] { io.run(); });

    Client client((*listener)->local_endpoint());
    auto failed = client.request(bhttp::verb::get, "/");
    EXPECT_EQ(failed.result_int(), 500U);
    EXPECT_NE(failed.body().find("boom"), std::string::npos);
    auto next = client.request(bhttp::verb::get, "/");
    EXPECT_EQ(next.result_int(), 200U);
    EXPECT_EQ(next.body(), "fine");

    asio::post(io, [&listener] { (*listener)->stop(); });
    runner.join();
}

TEST(AcsServerSocket, ClosesConnectionsOverTheLimitAndServesAgainWhenOneEnds) {
    auto options = loopback_options();
    options.max_connections = 2;
    RunningServer running(options);
    auto first = std::make_unique<Client>(running.server().nbi_endpoint());
    Client second(running.server().nbi_endpoint());
    // Both are served, so the listener has accepted both.
    EXPECT_EQ(first->request(bhttp::verb::get, "/tasks").result_int(), 200U);
    EXPECT_EQ(second.request(bhttp::verb::get, "/tasks").result_int(), 200U);

    // Accepted by the kernel, closed by the listener: the request is
    // never answered.
    Client third(running.server().nbi_endpoint());
    EXPECT_THROW(third.request(bhttp::verb::get, "/tasks"), boost::system::system_error);

    first.reset();  // a slot frees up once the server sees the close
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool served = false;
    while (!served && std::chrono::steady_clock::now() < deadline) {
        try {
            Client fourth(running.server().nbi_endpoint());
            served = fourth.request(bhttp::verb::get, "/tasks").result_int() == 200U;
        } catch (const boost::system::system_error&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    EXPECT_TRUE(served);
    EXPECT_EQ(second.request(bhttp::verb::get, "/tasks").result_int(), 200U);
    running.stop();
}

TEST(AcsServerSocket, StartFailsWhenThePortIsTaken) {
    RunningServer first;
    auto options = loopback_options();
    options.nbi_listen = first.server().nbi_endpoint();
    AcsServer second(options);
    auto started = second.start();
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find("nbi"), std::string::npos) << started.error();
    EXPECT_NE(started.error().find(std::to_string(options.nbi_listen.port())), std::string::npos);
}

}  // namespace
}  // namespace acssim
