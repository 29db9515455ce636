#include "net/ares_channel.hpp"

#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <utility>

namespace agent::net {

namespace {

// c-ares must be initialised once per process before any channel exists.
struct AresLibrary {
    AresLibrary() {
        if (const int status = ares_library_init(ARES_LIB_INIT_ALL); status != ARES_SUCCESS) {
            throw std::runtime_error(std::string("ares_library_init: ") + ares_strerror(status));
        }
    }
    ~AresLibrary() { ares_library_cleanup(); }
    AresLibrary(const AresLibrary&) = delete;
    AresLibrary& operator=(const AresLibrary&) = delete;
};

void ensure_ares_library() {
    static AresLibrary library;
}

std::vector<boost::asio::ip::address> addresses_of(const ares_addrinfo& info) {
    std::vector<boost::asio::ip::address> addresses;
    for (const ares_addrinfo_node* node = info.nodes; node != nullptr; node = node->ai_next) {
        boost::asio::ip::address address;
        if (node->ai_family == AF_INET && node->ai_addrlen >= sizeof(sockaddr_in)) {
            sockaddr_in in{};
            std::memcpy(&in, node->ai_addr, sizeof in);
            address = boost::asio::ip::address_v4(ntohl(in.sin_addr.s_addr));
        } else if (node->ai_family == AF_INET6 && node->ai_addrlen >= sizeof(sockaddr_in6)) {
            sockaddr_in6 in6{};
            std::memcpy(&in6, node->ai_addr, sizeof in6);
            boost::asio::ip::address_v6::bytes_type bytes{};
            std::memcpy(bytes.data(), in6.sin6_addr.s6_addr, bytes.size());
            address = boost::asio::ip::address_v6(bytes, in6.sin6_scope_id);
        } else {
            continue;
        }
        if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
            addresses.push_back(address);
        }
    }
    return addresses;
}

std::chrono::seconds smallest_ttl(const ares_addrinfo& info) {
    int smallest = -1;
    for (const ares_addrinfo_node* node = info.nodes; node != nullptr; node = node->ai_next) {
        if (node->ai_ttl >= 0 && (smallest < 0 || node->ai_ttl < smallest)) {
            smallest = node->ai_ttl;
        }
    }
    return std::chrono::seconds(smallest < 0 ? 0 : smallest);
}

}  // namespace

struct AresChannel::Watch {
    Watch(boost::asio::io_context& io, ares_socket_t fd) : socket(fd), descriptor(io) {}
    ~Watch() { descriptor.release(); }  // the socket is c-ares': never close it
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

    ares_socket_t socket;
    boost::asio::posix::stream_descriptor descriptor;
    bool readable = false;
    bool writable = false;
    bool reading = false;
    bool writing = false;
    bool removed = false;
};

struct AresChannel::Lookup {
    AresChannel* channel;
    Callback done;
};

std::shared_ptr<AresChannel> AresChannel::create(
    boost::asio::io_context& io, const ResolverOptions& options,
    const std::vector<boost::asio::ip::udp::endpoint>& servers) {
    ensure_ares_library();
    std::shared_ptr<AresChannel> channel(new AresChannel(io));
    channel->init(options, servers);
    return channel;
}

AresChannel::AresChannel(boost::asio::io_context& io) : io_(io), timer_(io) {}

AresChannel::~AresChannel() {
    timer_.cancel();
    if (channel_ != nullptr) {
        // Closes c-ares' sockets (reported through on_socket_state) and ends
        // every lookup with ARES_EDESTRUCTION, which on_addrinfo drops.
        ares_destroy(channel_);
    }
    for (auto& [socket, watch] : watches_) {
        watch->removed = true;
        boost::system::error_code ignored;
        watch->descriptor.cancel(ignored);
        watch->descriptor.release();
    }
}

void AresChannel::init(const ResolverOptions& options,
                       const std::vector<boost::asio::ip::udp::endpoint>& servers) {
    ares_options settings{};
    settings.timeout = static_cast<int>(std::max<long long>(1, options.attempt_timeout.count()));
    settings.tries = std::max(1, options.tries);
    settings.sock_state_cb = &AresChannel::on_socket_state;
    settings.sock_state_cb_data = this;
    const int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB;
    if (const int status = ares_init_options(&channel_, &settings, mask); status != ARES_SUCCESS) {
        channel_ = nullptr;
        throw std::runtime_error(std::string("cannot set up the DNS resolver: ") +
                                 ares_strerror(status));
    }
    if (servers.empty()) {
        return;  // what ares_init_options read from /etc/resolv.conf
    }
    std::vector<ares_addr_port_node> nodes(servers.size());
    for (std::size_t i = 0; i < servers.size(); ++i) {
        ares_addr_port_node& node = nodes[i];
        const auto address = servers[i].address();
        if (address.is_v4()) {
            node.family = AF_INET;
            node.addr.addr4.s_addr = htonl(address.to_v4().to_uint());
        } else {
            node.family = AF_INET6;
            const auto bytes = address.to_v6().to_bytes();
            std::memcpy(node.addr.addr6._S6_un._S6_u8, bytes.data(), bytes.size());
        }
        node.udp_port = servers[i].port();
        node.tcp_port = servers[i].port();
        node.next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
    }
    if (const int status = ares_set_servers_ports(channel_, nodes.data()); status != ARES_SUCCESS) {
        throw std::runtime_error(std::string("cannot set the DNS servers: ") +
                                 ares_strerror(status));
    }
}

void AresChannel::getaddrinfo(const std::string& host, Callback done) {
    auto lookup = std::make_unique<Lookup>(Lookup{this, std::move(done)});
    ares_addrinfo_hints hints{};
    hints.ai_family = AF_UNSPEC;  // A and AAAA
    hints.ai_socktype = SOCK_STREAM;
    ++pending_;
    // c-ares owns the lookup from here on and hands it back to on_addrinfo
    // exactly once, possibly before ares_getaddrinfo returns.
    ares_getaddrinfo(channel_, host.c_str(), nullptr, &hints, &AresChannel::on_addrinfo,
                     lookup.release());
    reschedule();
}

// ---- callbacks from inside c-ares (C code: nothing may propagate) ------------

void AresChannel::on_socket_state(void* self, ares_socket_t socket, int readable, int writable) {
    try {
        static_cast<AresChannel*>(self)->socket_state(socket, readable != 0, writable != 0);
    } catch (const std::exception& e) {
        // The lookup then ends on c-ares' own timeout (driven by our timer).
        spdlog::error("dns: cannot watch socket {}: {}", socket, e.what());
    } catch (...) {
        spdlog::error("dns: cannot watch socket {}", socket);
    }
}

void AresChannel::on_addrinfo(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
    std::unique_ptr<Lookup> lookup(static_cast<Lookup*>(arg));
    std::unique_ptr<ares_addrinfo, decltype(&ares_freeaddrinfo)> owned(result, &ares_freeaddrinfo);
    --lookup->channel->pending_;
    if (status == ARES_EDESTRUCTION) {
        return;  // the channel is being destroyed: nobody is waiting any more
    }
    try {
        std::vector<boost::asio::ip::address> addresses;
        std::chrono::seconds ttl{0};
        if (status == ARES_SUCCESS && result != nullptr) {
            addresses = addresses_of(*result);
            ttl = smallest_ttl(*result);
        }
        lookup->done(status, std::move(addresses), ttl);
    } catch (const std::exception& e) {
        spdlog::error("dns: lost the answer of a lookup: {}", e.what());
    } catch (...) {
        spdlog::error("dns: lost the answer of a lookup");
    }
}

// ---- socket and timer bookkeeping ------------------------------------------

void AresChannel::socket_state(ares_socket_t socket, bool readable, bool writable) {
    if (!readable && !writable) {
        forget(socket);  // c-ares is about to close it
        return;
    }
    auto it = watches_.find(socket);
    if (it == watches_.end()) {
        auto watch = std::make_shared<Watch>(io_, socket);
        boost::system::error_code ec;
        watch->descriptor.assign(socket, ec);
        if (ec) {
            spdlog::error("dns: cannot watch socket {}: {}", socket, ec.message());
            return;
        }
        it = watches_.emplace(socket, std::move(watch)).first;
    }
    it->second->readable = readable;
    it->second->writable = writable;
    arm(it->second);
}

void AresChannel::forget(ares_socket_t socket) {
    auto it = watches_.find(socket);
    if (it == watches_.end()) {
        return;
    }
    it->second->removed = true;
    boost::system::error_code ignored;
    it->second->descriptor.cancel(ignored);
    it->second->descriptor.release();
    watches_.erase(it);
}

void AresChannel::arm(const std::shared_ptr<Watch>& watch) {
    using boost::asio::posix::stream_descriptor;
    if (watch->readable && !watch->reading) {
        watch->reading = true;
        watch->descriptor.async_wait(
            stream_descriptor::wait_read,
            [self = weak_from_this(), watch](const boost::system::error_code& ec) {
                watch->reading = false;
                if (ec || watch->removed) {
                    return;
                }
                if (auto channel = self.lock()) {
                    channel->process(watch->socket, ARES_SOCKET_BAD);
                }
            });
    }
    if (watch->writable && !watch->writing) {
        watch->writing = true;
        watch->descriptor.async_wait(
            stream_descriptor::wait_write,
            [self = weak_from_this(), watch](const boost::system::error_code& ec) {
                watch->writing = false;
                if (ec || watch->removed) {
                    return;
                }
                if (auto channel = self.lock()) {
                    channel->process(ARES_SOCKET_BAD, watch->socket);
                }
            });
    }
}

void AresChannel::process(ares_socket_t read_socket, ares_socket_t write_socket) {
    ares_process_fd(channel_, read_socket, write_socket);
    // c-ares may still want the socket after acting on it: wait again.
    for (const ares_socket_t socket : {read_socket, write_socket}) {
        if (socket == ARES_SOCKET_BAD) {
            continue;
        }
        if (auto it = watches_.find(socket); it != watches_.end()) {
            arm(it->second);
        }
    }
    reschedule();
}

void AresChannel::reschedule() {
    timeval wait{};
    if (ares_timeout(channel_, nullptr, &wait) == nullptr) {
        timer_.cancel();  // no lookup running
        return;
    }
    timer_.expires_after(std::chrono::seconds(wait.tv_sec) +
                         std::chrono::microseconds(wait.tv_usec));
    timer_.async_wait([self = weak_from_this()](const boost::system::error_code& ec) {
        if (ec) {
            return;
        }
        if (auto channel = self.lock()) {
            // Retransmits, moves to the next server or fails timed-out lookups.
            channel->process(ARES_SOCKET_BAD, ARES_SOCKET_BAD);
        }
    });
}

}  // namespace agent::net
