// libcurl's multi interface driven by a Boost.Asio io_context.
//
// libcurl tells us which sockets to watch and when to time out; Asio waits
// for them. Nothing here blocks the io_context thread (architecture
// invariant 1): host names are resolved by our own c-ares resolver
// (net::AsyncResolver) and handed to libcurl with CURLOPT_RESOLVE, so libcurl
// never starts its own (thread-joining) resolver; connect, TLS and transfers
// progress from readiness callbacks.
#pragma once

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "http/http_types.hpp"
#include "net/async_resolver.hpp"
#include "net/resolver_options.hpp"

namespace agent::http {

class CurlMultiClient final : public ChannelFactory {
public:
    explicit CurlMultiClient(boost::asio::io_context& io,
                             net::ResolverOptions resolver_options = {});
    // Channels must be destroyed first.
    ~CurlMultiClient() override;
    CurlMultiClient(const CurlMultiClient&) = delete;
    CurlMultiClient& operator=(const CurlMultiClient&) = delete;

    std::unique_ptr<Channel> open(const ChannelSettings& settings) override;

    // Resolves the ACS's host names; its name servers are configurable.
    net::AsyncResolver& resolver() { return resolver_; }
    boost::asio::io_context& io() { return io_; }

    // ---- internal API used by the channels --------------------------------
    struct Outcome {
        CURLcode code = CURLE_OK;
        std::string failure;  // set when the multi handle, not the transfer, failed
    };
    using Finished = std::function<void(Outcome)>;

    // Starts a transfer. `done` is always called, later, from the io_context
    // (never inside add()), unless remove() comes first.
    void add(CURL* easy, Finished done);
    void remove(CURL* easy);
    // CURLOPT_CLOSESOCKETFUNCTION of every easy handle (data: this client):
    // stops watching a socket before libcurl's connection closes it.
    static int on_close_socket(void* self, curl_socket_t socket) noexcept;

private:
    struct SocketWatch;
    static int on_socket(CURL* easy, curl_socket_t socket, int what, void* self,
                         void* socketp) noexcept;
    static int on_timer(CURLM* multi, long timeout_ms, void* self) noexcept;

    bool watch(curl_socket_t socket, int what);
    void forget(curl_socket_t socket);
    void arm(const std::shared_ptr<SocketWatch>& watch);
    void arm_timer(long timeout_ms);
    void socket_action(curl_socket_t socket, int events);
    void collect_finished();
    void fail_all(const std::string& why);
    void complete_later(Finished done, Outcome outcome);

    boost::asio::io_context& io_;
    net::AsyncResolver resolver_;
    CURLM* multi_ = nullptr;
    boost::asio::steady_timer timer_;
    std::map<curl_socket_t, std::shared_ptr<SocketWatch>> sockets_;
    std::map<CURL*, Finished> in_flight_;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace agent::http
