// One CWMP session's HTTP/1.1 conversation over libcurl: one easy handle, so
// one persistent connection and one cookie jar for the life of the channel.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "http/curl_multi_client.hpp"
#include "http/http_types.hpp"
#include "http/request_target.hpp"
#include "net/async_resolver.hpp"

namespace agent::http {

class CurlChannel final : public Channel {
public:
    // Problems setting the handle up are reported by the first post().
    CurlChannel(CurlMultiClient& client, ChannelSettings settings);
    ~CurlChannel() override;
    CurlChannel(const CurlChannel&) = delete;
    CurlChannel& operator=(const CurlChannel&) = delete;

    void post(Request request, Completion done) override;
    void cancel() override;
    void end() override;

private:
    static std::size_t on_body(char* data, std::size_t size, std::size_t count,
                               void* self) noexcept;
    static int on_curl_resolve(void* resolver_state, void* reserved, void* self) noexcept;
    static curl_socket_t on_open_socket(void* self, curlsocktype purpose,
                                        curl_sockaddr* address) noexcept;

    void configure();
    void resolved(const RequestTarget& target, net::ResolveResult result);
    void start(const RequestTarget& target, const net::Addresses& addresses);
    void finished(CurlMultiClient::Outcome outcome);
    // What is left of this request's time, bounded by the session's.
    std::chrono::milliseconds time_left(std::chrono::steady_clock::time_point now) const;
    std::string timed_out() const;
    std::string session_expired() const;
    void fail_later(std::string message);
    void complete(Result result);
    // Gives the next transfer a connection cache of its own, closing the
    // connection of the previous one (see connections_).
    bool renew_connection_cache();
    void close_connection_cache();

    CurlMultiClient& client_;
    ChannelSettings settings_;
    CURL* easy_;
    // The connection cache of the session's current origin, libcurl's
    // shared-connection object: only this channel's connection is ever in
    // it, and cleaning it up closes that connection. In the multi handle's
    // cache the previous session's idle connection would sit next to this
    // one, and libcurl evicts by idle time in whole milliseconds, ties broken
    // by hash order: it could close this session's connection instead.
    CURLSH* connections_ = nullptr;
    std::string setup_error_;
    curl_slist* headers_ = nullptr;
    curl_slist* resolve_ = nullptr;
    Request request_;
    Response response_;
    Completion done_;
    std::chrono::steady_clock::time_point session_deadline_;
    std::chrono::steady_clock::time_point started_;
    bool busy_ = false;
    bool too_large_ = false;
    bool literal_host_ = false;  // libcurl may "resolve" the current host itself
    bool first_request_ = true;  // a new session starts on a new connection
    // "scheme://host:port" the session's connection goes to, once a request
    // there was answered; a request to it may not open another connection.
    std::string connected_origin_;
    std::string request_origin_;
    bool may_connect_ = true;
    bool refused_connection_ = false;
    // The answer for the host this channel talked to last: a session keeps
    // its addresses (and usually its connection) from the first request on.
    std::string resolved_host_;
    net::Addresses resolved_addresses_;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
    unsigned generation_ = 0;
    char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace agent::http
