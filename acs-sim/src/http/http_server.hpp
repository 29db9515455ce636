// A small HTTP/1.1 server on Boost.Beast, shaped after Beast's async server
// examples: one listener per endpoint, one object per connection, keep-alive,
// a timeout on every read and write, and limits on header and body sizes. It
// knows nothing of CWMP or the NBI: each listener calls one handler per
// request. Single-threaded: everything runs on the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "phonecwmp/expected.hpp"
#include "phonecwmp/log_throttle.hpp"

namespace acssim::http {

using tcp = boost::asio::ip::tcp;
using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct Limits {
    // Longest wait for the next request on an open connection (and for the
    // rest of one that has started), and for a response to be written.
    std::chrono::seconds timeout{30};
    std::uint64_t max_body_bytes = 4 * 1024 * 1024;
    std::uint32_t max_header_bytes = 16 * 1024;
    // When set, the body limit of a request given its header, at most
    // max_body_bytes (which is then what only uploads may reach).
    std::function<std::uint64_t(const Request& header)> body_limit_of = nullptr;
    // Connections open at once; one more is closed as soon as it is
    // accepted, so that idle or half-open connections (slowloris) bound the
    // memory they take instead of growing it with every socket.
    std::size_t max_connections = 4096;
};

// What a handler may remember about a connection between its requests.
struct ConnectionState {
    tcp::endpoint remote;
    std::string cwmp_session;    // the CWMP session the connection carries, if any
    bool authenticated = false;  // a request on it carried valid CPE credentials
    std::string cpe_user{};      // the user name they authenticated
};

// Produces the response to one request. The server sets the HTTP version,
// keep-alive and Content-Length.
using Handler = std::function<Response(Request& request, ConnectionState& connection)>;

// Sends the response of a request whose answer was deferred. Call it once,
// on the io_context's thread; after the connection closed it does nothing.
using Respond = std::function<void(Response response)>;
// Either answers at once (returns the response) or returns nullopt and
// calls `respond` later: an NBI call that waits for a CPE's session must not
// hold up the thread. The connection reads nothing more meanwhile (no
// pipelining), and no timeout runs while the handler works on the answer.
using DeferringHandler = std::function<std::optional<Response>(
    Request& request, ConnectionState& connection, Respond respond)>;

// "127.0.0.1:7547", "[::1]:7547".
std::string format_endpoint(const tcp::endpoint& endpoint);

class Connection;

class Listener : public std::enable_shared_from_this<Listener> {
    struct Passkey {};

public:
    // Opens, binds and listens (port 0 picks a free port); the error names
    // the endpoint and the reason. Call start() to accept connections. With
    // `tls` (see tls_context.hpp) every connection is HTTPS.
    static phonecwmp::Expected<std::shared_ptr<Listener>, std::string> open(
        boost::asio::io_context& io, const tcp::endpoint& endpoint, std::string name, Limits limits,
        Handler handler, std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
    static phonecwmp::Expected<std::shared_ptr<Listener>, std::string> open(
        boost::asio::io_context& io, const tcp::endpoint& endpoint, std::string name, Limits limits,
        DeferringHandler handler, std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

    Listener(Passkey, boost::asio::io_context& io, std::string name, Limits limits,
             DeferringHandler handler, std::shared_ptr<boost::asio::ssl::context> tls);

    tcp::endpoint local_endpoint() const;
    void start();
    // Stops accepting and closes every open connection; their pending
    // operations end, so the io_context runs out of work.
    void stop();
    std::size_t open_connections() const;
    // Connections closed at once because max_connections were open.
    std::uint64_t refused_connections() const { return refusal_warnings_.occurrences(); }

private:
    void accept();
    void on_accept(const boost::system::error_code& error, tcp::socket socket);
    void refuse(tcp::socket socket);

    boost::asio::io_context& io_;
    tcp::acceptor acceptor_;
    boost::asio::steady_timer retry_timer_;
    std::string name_;
    Limits limits_;
    DeferringHandler handler_;
    std::shared_ptr<boost::asio::ssl::context> tls_;  // null: plain HTTP
    std::vector<std::weak_ptr<Connection>> connections_;
    // A flood of refusals is one warning per 10 s, with the count since the last.
    phonecwmp::LogThrottle refusal_warnings_{std::chrono::seconds(10)};
    bool stopped_ = false;
};

}  // namespace acssim::http
