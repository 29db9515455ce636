// libcurl's multi interface driven by a Boost.Asio io_context.
//
// libcurl tells us which sockets to watch and when to time out; Asio waits
// for them. Nothing here blocks the io_context thread (architecture
// invariant 1): DNS, connect, TLS and transfers all progress from readiness
// callbacks.
#pragma once

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>

#include "http/http_types.hpp"

namespace agent::http {

class CurlMultiClient final : public ChannelFactory {
public:
    explicit CurlMultiClient(boost::asio::io_context& io);
    ~CurlMultiClient() override;
    CurlMultiClient(const CurlMultiClient&) = delete;
    CurlMultiClient& operator=(const CurlMultiClient&) = delete;

    std::unique_ptr<Channel> open(const ChannelSettings& settings) override;

    // Internal API used by the channels.
    void add(CURL* easy, std::function<void(CURLcode)> done);
    void remove(CURL* easy);

private:
    struct SocketWatch;
    static int on_socket(CURL* easy, curl_socket_t socket, int what, void* self, void* socketp);
    static int on_timer(CURLM* multi, long timeout_ms, void* self);
    static int on_close_socket(void* self, curl_socket_t socket);

    void watch(curl_socket_t socket, int what);
    void arm(const std::shared_ptr<SocketWatch>& watch);
    void socket_action(curl_socket_t socket, int events);
    void collect_finished();

    boost::asio::io_context& io_;
    CURLM* multi_ = nullptr;
    boost::asio::steady_timer timer_;
    std::map<curl_socket_t, std::shared_ptr<SocketWatch>> sockets_;
    std::map<CURL*, std::function<void(CURLcode)>> in_flight_;
    friend class CurlChannel;
};

}  // namespace agent::http
