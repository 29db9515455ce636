// The endpoint's TCP or TLS listener and its connections (RFC 3261 §18.3):
// each connection cuts messages out of its byte stream with StreamFramer and
// hands them up with an origin naming the connection, so responses go back
// over it. Connections are bounded in number, in buffered bytes (the framer)
// and in queued output, and closed after an idle period or a failed TLS
// handshake.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"
#include "phonecwmp/log_throttle.hpp"
#include "sip/message_origin.hpp"
#include "sip/parse_limits.hpp"

namespace agent::sip {

struct StreamTransportSettings {
    std::size_t max_connections = 32;
    // A connection with no complete message for this long is closed (a
    // phone's peers are its proxy and a few callers; RFC 5626 keep-alives
    // count as traffic).
    std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
    // For the TLS handshake, and then for the first message of every
    // connection (TCP or TLS).
    std::chrono::milliseconds handshake_timeout{std::chrono::seconds(10)};
    // Responses waiting to be written on one connection before the peer is
    // considered stuck and the connection closed.
    std::size_t max_queued_bytes = 1024 * 1024;
    ParseLimits limits{};
};

class StreamConnection;

class StreamTransport {
public:
    using MessageHandler = std::function<void(std::string_view bytes, const MessageOrigin&)>;

    // `kind` is Tcp or Tls; for Tls, `tls` holds the phone's certificate and
    // key (and the CA that client certificates are checked against) and must
    // outlive the transport.
    StreamTransport(boost::asio::io_context& io, TransportKind kind, boost::asio::ssl::context* tls,
                    StreamTransportSettings settings, MessageHandler on_message);
    ~StreamTransport();
    StreamTransport(const StreamTransport&) = delete;
    StreamTransport& operator=(const StreamTransport&) = delete;

    phonecwmp::Expected<boost::asio::ip::tcp::endpoint, std::string> open(
        const boost::asio::ip::tcp::endpoint& local);
    // Stops listening and closes every connection.
    void close();
    bool is_open() const { return acceptor_.is_open(); }
    boost::asio::ip::tcp::endpoint local_endpoint() const;

    // False when the connection is gone (the transaction layer treats that
    // as a transport error).
    bool send(std::uint64_t connection_id, std::string wire);

    TransportKind kind() const { return kind_; }
    std::size_t connection_count() const { return connections_.size(); }
    std::uint64_t refused_connections() const { return refused_connections_; }
    std::uint64_t framing_errors() const { return framing_errors_; }
    std::uint64_t failed_handshakes() const { return handshake_failure_reports_.occurrences(); }

    // Called by connections.
    void deliver(std::string_view bytes, const MessageOrigin& origin);
    void connection_closed(std::uint64_t id);
    void count_framing_error() { ++framing_errors_; }
    // Counts a failed TLS handshake and logs it: the first at once, later
    // ones at most once per 10 s with how many failed meanwhile, so that a
    // peer sending garbage cannot fill the log.
    void report_failed_handshake(const boost::asio::ip::address& peer, const std::string& reason);
    const StreamTransportSettings& settings() const { return settings_; }

private:
    void accept();

    boost::asio::io_context& io_;
    TransportKind kind_;
    boost::asio::ssl::context* tls_;
    StreamTransportSettings settings_;
    MessageHandler on_message_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::map<std::uint64_t, std::shared_ptr<StreamConnection>> connections_;
    std::uint64_t next_connection_id_ = 1;
    std::uint64_t refused_connections_ = 0;
    std::uint64_t framing_errors_ = 0;
    // Anyone can fail handshakes at will: one log line per 10 s at most.
    phonecwmp::LogThrottle handshake_failure_reports_{std::chrono::seconds(10)};
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace agent::sip
