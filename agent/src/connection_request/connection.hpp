// One accepted connection of the connection-request server, in the manner of
// Boost.Beast's asynchronous server examples: reads requests one after the
// other (keep-alive: curl --digest sends its challenged and its
// authenticated request on one connection), answers each through the hub,
// and closes on error, on timeout, after `max_requests`, or when either side
// asks. Every read is bounded in size (header limit, no body at all) and in
// time (idle timeout).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "connection_request/request_source.hpp"

namespace agent::connection_request {

using Request = boost::beast::http::request<boost::beast::http::empty_body>;

struct Reply {
    boost::beast::http::status status = boost::beast::http::status::ok;
    std::vector<std::pair<boost::beast::http::field, std::string>> headers;
    // Runs once the reply has been written (the 200 goes out before the
    // session it triggers starts).
    std::function<void()> after_sent;
};

struct ConnectionLimits {
    std::size_t max_header_bytes = 8 * 1024;
    std::chrono::milliseconds idle_timeout{10'000};
    std::size_t max_requests = 8;
};

class Connection;

// What the server and its connections share. Pending handlers keep it (and
// the connection) alive after the server is gone; the server empties
// `handle` when it stops, so that nothing reaches it afterwards.
class ConnectionHub {
public:
    std::function<Reply(const Request&, const boost::asio::ip::tcp::endpoint& remote)> handle;
    ConnectionLimits limits;

    // Connections open and not yet closed.
    std::size_t live() const { return connections_.size(); }
    void close_all();
    // With every slot taken, the connection to close so that a newcomer
    // from `source` gets one: one of the source that holds the most, if that
    // source holds more than `source` does; of its connections (or theirs,
    // on a tie), one that has not sent a request yet before one that has,
    // then the oldest. Null when the newcomer is the one to shed. A host
    // that hoards idle connections (slowloris) thus loses them to any other
    // host, the ACS included, rather than keeping it out; and an ACS in the
    // middle of its Digest exchange outlasts connections that sent nothing.
    std::shared_ptr<Connection> make_room_for(const RequestSource& source) const;

private:
    friend class Connection;
    struct Held {
        std::weak_ptr<Connection> connection;
        RequestSource source;
        std::uint64_t opened;  // order of acceptance
        bool sent_request = false;
    };
    std::unordered_map<const Connection*, Held> connections_;
    std::uint64_t opened_ = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ConnectionHub> hub);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void start();
    // Closes the socket and leaves the hub at once; handlers still pending
    // end with operation_aborted.
    void close();

private:
    void read_request();
    void on_read(const boost::beast::error_code& error);
    void reject(boost::beast::http::status status, std::string_view why);
    void send(Reply reply, unsigned version, bool keep_alive);
    void on_written(const boost::beast::error_code& error, bool keep_alive);

    boost::beast::tcp_stream stream_;
    std::shared_ptr<ConnectionHub> hub_;
    boost::asio::ip::tcp::endpoint remote_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> parser_;
    boost::beast::http::response<boost::beast::http::empty_body> response_;
    std::function<void()> after_sent_;
    std::size_t served_ = 0;
};

}  // namespace agent::connection_request
