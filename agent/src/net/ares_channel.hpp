// One c-ares channel driven by a Boost.Asio io_context.
//
// c-ares tells us (ARES_OPT_SOCK_STATE_CB) which of its sockets to watch;
// Asio waits for them and a steady_timer stands in for ares_timeout(), so
// lookups progress from readiness callbacks and never block the io_context
// thread (architecture invariant 1). The sockets belong to c-ares: they are
// watched through descriptors that are released, never closed, by us.
#pragma once

#include <ares.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "net/resolver_options.hpp"

namespace agent::net {

class AresChannel final : public std::enable_shared_from_this<AresChannel> {
public:
    // Runs inside c-ares' processing (from an Asio handler of this channel or
    // from getaddrinfo() itself): it must only record or post, never call
    // back into this channel or destroy it. `status` is an ARES_* code.
    // `ttl` is the smallest TTL of the records answered (0 when none).
    using Callback = std::function<void(int status, std::vector<boost::asio::ip::address>,
                                        std::chrono::seconds ttl)>;

    // `servers` empty = the system's configuration (/etc/resolv.conf).
    // Throws std::runtime_error when c-ares cannot set the channel up.
    static std::shared_ptr<AresChannel> create(
        boost::asio::io_context& io, const ResolverOptions& options,
        const std::vector<boost::asio::ip::udp::endpoint>& servers);

    // Lookups still running are dropped: their callbacks are not called.
    ~AresChannel();
    AresChannel(const AresChannel&) = delete;
    AresChannel& operator=(const AresChannel&) = delete;

    // A and AAAA records of `host`, in c-ares' preference order.
    void getaddrinfo(const std::string& host, Callback done);

    // Lookups started and not yet finished.
    std::size_t pending() const { return pending_; }

private:
    struct Watch;
    struct Lookup;

    explicit AresChannel(boost::asio::io_context& io);
    void init(const ResolverOptions& options,
              const std::vector<boost::asio::ip::udp::endpoint>& servers);

    static void on_socket_state(void* self, ares_socket_t socket, int readable, int writable);
    static void on_addrinfo(void* lookup, int status, int timeouts, ares_addrinfo* result);

    void socket_state(ares_socket_t socket, bool readable, bool writable);
    void forget(ares_socket_t socket);
    void arm(const std::shared_ptr<Watch>& watch);
    void process(ares_socket_t read_socket, ares_socket_t write_socket);
    void reschedule();

    boost::asio::io_context& io_;
    ares_channel channel_ = nullptr;
    boost::asio::steady_timer timer_;
    std::map<ares_socket_t, std::shared_ptr<Watch>> watches_;
    std::size_t pending_ = 0;
};

}  // namespace agent::net
