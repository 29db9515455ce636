// The agent's connection-request server (TR-069 §3.2.2): an HTTP listener on
// the agent's io_context at ConnectionRequestURL, whose random path it
// keeps in the store and whose URL it publishes in the data model.
//
// A GET on the path with valid Digest credentials is answered with an empty
// 200 and then `on_request` runs (the agent raises "6 CONNECTION REQUEST";
// requests that arrive before or during a session fold into the next one).
// Other methods get 405, other paths 404, requests over the rate limit 503,
// anything without valid credentials 401 with fresh SHA-256 and MD5
// challenges. Only what the rate limit bounds (authentication attempts) is
// logged above debug level for each request, so that a flood cannot flood
// the log.
//
// Both bounds are shared fairly between request sources (one IPv4 address
// or IPv6 /64, RequestSource), so that one host flooding the port does not
// keep the ACS out: the rate limit is a bucket per source plus one for all;
// with `max_connections` open, a newcomer takes a connection of the source
// holding the most, if that is more than its own source holds (which one:
// ConnectionHub::make_room_for), and is closed at once otherwise.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "connection_request/connection.hpp"
#include "connection_request/listen_address.hpp"
#include "connection_request/request_authenticator.hpp"
#include "connection_request/source_rate_limiter.hpp"
#include "connection_request/url_publisher.hpp"
#include "datamodel/model.hpp"
#include "phonecwmp/expected.hpp"
#include "phonecwmp/log_throttle.hpp"

namespace agent::connection_request {

struct ServerSettings {
    ListenAddress listen;
    std::size_t max_connections = 8;
    ConnectionLimits connection;
    // Every request that reaches authentication takes a token from its
    // source's bucket and one from the shared bucket (a digest exchange is
    // two requests).
    SourceRateSettings rate;
    std::chrono::seconds nonce_lifetime{60};
    std::size_t max_tracked_nonces = 64;
};

struct ServerStatistics {
    std::uint64_t accepted = 0;             // 200: a session was asked for
    std::uint64_t challenged = 0;           // 401
    std::uint64_t refused = 0;              // 403
    std::uint64_t rate_limited = 0;         // 503
    std::uint64_t bad_requests = 0;         // 404, 405
    std::uint64_t connections_shed = 0;     // closed at once: too many open
    std::uint64_t connections_evicted = 0;  // closed to make room for another source
};

class ConnectionRequestServer {
public:
    ConnectionRequestServer(boost::asio::io_context& io, datamodel::Model& model,
                            ServerSettings settings, std::function<void()> on_request);
    ~ConnectionRequestServer();
    ConnectionRequestServer(const ConnectionRequestServer&) = delete;
    ConnectionRequestServer& operator=(const ConnectionRequestServer&) = delete;

    // Loads (or makes) the path, binds, listens, and publishes the URL.
    phonecwmp::Expected<void, std::string> start();
    // Closes the listener and every connection; nothing runs afterwards.
    void stop();

    boost::asio::ip::tcp::endpoint local_endpoint() const { return bound_; }
    const std::string& path() const { return path_; }
    const ServerStatistics& statistics() const { return statistics_; }
    std::size_t open_connections() const { return hub_->live(); }

private:
    void accept();
    void admit(boost::asio::ip::tcp::socket socket);
    Reply handle(const Request& request, const boost::asio::ip::tcp::endpoint& remote);

    boost::asio::io_context& io_;
    datamodel::Model& model_;
    ServerSettings settings_;
    std::function<void()> on_request_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer accept_pause_;
    boost::asio::ip::tcp::endpoint bound_;
    std::string path_;
    std::shared_ptr<ConnectionHub> hub_ = std::make_shared<ConnectionHub>();
    SourceRateLimiter rate_limiter_;
    RequestAuthenticator authenticator_;
    std::unique_ptr<UrlPublisher> publisher_;
    ServerStatistics statistics_;
    // Refusals over the rate limit: one warning per 10 s, with the count.
    phonecwmp::LogThrottle rate_limit_warnings_{std::chrono::seconds(10)};
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace agent::connection_request
