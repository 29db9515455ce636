// acs-sim's server on loopback for tests: an AcsServer on its own thread
// and a blocking HTTP/1.1 client, both bounded in time.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <stdexcept>
#include <string>
#include <thread>

#include "acs_server.hpp"

namespace acssim::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using HttpResponse = bhttp::response<bhttp::string_body>;

inline AcsServerOptions loopback_options() {
    AcsServerOptions options;
    options.cwmp_listen = tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0);
    options.nbi_listen = tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0);
    return options;
}

// Runs an AcsServer on its own thread for the length of a test.
class RunningServer {
public:
    explicit RunningServer(AcsServerOptions options = loopback_options()) : server_(options) {
        auto started = server_.start();
        if (!started) throw std::runtime_error(started.error());
        thread_ = std::thread([this] { server_.run(); });
    }
    ~RunningServer() { stop(); }

    void stop() {
        if (!thread_.joinable()) return;
        server_.stop();
        thread_.join();
    }

    AcsServer& server() { return server_; }

private:
    AcsServer server_;
    std::thread thread_;
};

// A blocking HTTP/1.1 client on one keep-alive connection.
class Client {
public:
    explicit Client(const tcp::endpoint& endpoint) : stream_(io_) {
        stream_.expires_after(std::chrono::seconds(10));
        stream_.connect(endpoint);
    }

    HttpResponse request(bhttp::verb method, std::string target, std::string body = {},
                         std::string cookie = {}) {
        bhttp::request<bhttp::string_body> request{method, target, 11};
        request.set(bhttp::field::host, "127.0.0.1");
        if (!cookie.empty()) request.set(bhttp::field::cookie, cookie);
        request.body() = std::move(body);
        request.prepare_payload();
        stream_.expires_after(std::chrono::seconds(10));
        bhttp::write(stream_, request);
        return read();
    }

    HttpResponse read() {
        HttpResponse response;
        stream_.expires_after(std::chrono::seconds(10));
        bhttp::read(stream_, buffer_, response);
        return response;
    }

    beast::tcp_stream& stream() { return stream_; }
    beast::flat_buffer& buffer() { return buffer_; }

private:
    asio::io_context io_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
};

}  // namespace acssim::test
