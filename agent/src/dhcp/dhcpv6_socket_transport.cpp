#include "dhcp/dhcpv6_socket_transport.hpp"

#include <fmt/format.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/ip/v6_only.hpp>
#include <cerrno>
#include <cstring>

#include "dhcp/dhcpv6_codec.hpp"

namespace agent::dhcp {
namespace {

constexpr unsigned short kServerPort = 547;
constexpr unsigned short kClientPort = 546;
// RFC 8415 §7.1 All_DHCP_Relay_Agents_and_Servers.
const address_v6 kAllServers = boost::asio::ip::make_address_v6("ff02::1:2");

Result<address_v6> link_local_address(const std::string& interface, unsigned index) {
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("getifaddrs: {}", std::strerror(errno)));
    }
    std::optional<address_v6> found;
    for (const ifaddrs* entry = list; entry != nullptr && !found; entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET6 ||
            interface != entry->ifa_name) {
            continue;
        }
        sockaddr_in6 address{};
        std::memcpy(&address, entry->ifa_addr, sizeof(address));
        address_v6::bytes_type bytes{};
        std::memcpy(bytes.data(), &address.sin6_addr, bytes.size());
        const address_v6 candidate(bytes, index);
        if (candidate.is_link_local()) found = candidate;
    }
    ::freeifaddrs(list);
    if (!found) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("interface {} has no IPv6 link-local address", interface));
    }
    return *found;
}

}  // namespace

Result<std::unique_ptr<Dhcpv6SocketTransport>> Dhcpv6SocketTransport::create(
    boost::asio::io_context& io, const std::string& interface) {
    if (interface.empty() || interface.size() >= IFNAMSIZ) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("interface name '{}' is empty or longer than {} characters",
                                      interface, IFNAMSIZ - 1));
    }
    const unsigned index = ::if_nametoindex(interface.c_str());
    if (index == 0) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("interface {}: {}", interface, std::strerror(errno)));
    }
    return std::unique_ptr<Dhcpv6SocketTransport>(new Dhcpv6SocketTransport(io, interface, index));
}

Dhcpv6SocketTransport::Dhcpv6SocketTransport(boost::asio::io_context& io, std::string interface,
                                             unsigned interface_index)
    : interface_(std::move(interface)), interface_index_(interface_index), socket_(io) {}

Dhcpv6SocketTransport::~Dhcpv6SocketTransport() {
    alive_.reset();
    close();
}

Result<void> Dhcpv6SocketTransport::open() {
    if (socket_.is_open()) return {};
    auto local = link_local_address(interface_, interface_index_);
    if (!local) return phonecwmp::Unexpected(local.error());
    boost::system::error_code error;
    auto fail = [&](const char* step) {
        const std::string message =
            fmt::format("UDP socket on [{}]:{} ({}): {}: {}", local->to_string(), kClientPort,
                        interface_, step, error.message());
        boost::system::error_code ignored;
        socket_.close(ignored);
        return dhcp_error(DhcpErrorKind::Invalid, message);
    };
    auto set = [&](int level, int name, const void* value, socklen_t size) {
        if (::setsockopt(socket_.native_handle(), level, name, value, size) == 0) return true;
        error = boost::system::error_code(errno, boost::system::system_category());
        return false;
    };
    socket_.open(boost::asio::ip::udp::v6(), error);
    if (error) return fail("open");
    socket_.set_option(boost::asio::ip::v6_only(true), error);
    if (error) return fail("IPV6_V6ONLY");
    socket_.set_option(boost::asio::socket_base::reuse_address(true), error);
    if (error) return fail("SO_REUSEADDR");
    if (!set(SOL_SOCKET, SO_BINDTODEVICE, interface_.c_str(),
             static_cast<socklen_t>(interface_.size()))) {
        return fail("SO_BINDTODEVICE");
    }
    const int index = static_cast<int>(interface_index_);
    if (!set(IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, sizeof(index))) {
        return fail("IPV6_MULTICAST_IF");
    }
    const int one = 1;
    if (!set(IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one))) return fail("IPV6_FREEBIND");
    socket_.non_blocking(true, error);
    if (error) return fail("non-blocking");
    socket_.bind(boost::asio::ip::udp::endpoint(*local, kClientPort), error);
    if (error) return fail("bind");
    spdlog::debug("DHCPv6: client socket on [{}]:{}", local->to_string(), kClientPort);
    receive();
    return {};
}

void Dhcpv6SocketTransport::close() {
    ++generation_;
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void Dhcpv6SocketTransport::receive() {
    socket_.async_receive_from(
        boost::asio::buffer(buffer_), sender_,
        [this, generation = generation_, alive = std::weak_ptr<char>(alive_)](
            const boost::system::error_code& error, std::size_t size) {
            if (alive.expired() || generation != generation_) return;
            if (error == boost::asio::error::operation_aborted) return;
            if (error) {
                spdlog::warn("DHCPv6 socket on {}: receive: {}", interface_, error.message());
            } else if (size > kDhcpv6MaxMessageSize) {
                spdlog::debug("DHCPv6 socket: {}-byte datagram too large, dropped", size);
            } else if (sender_.port() != kServerPort) {
                spdlog::debug("DHCPv6 socket: datagram from port {} dropped", sender_.port());
            } else if (receiver_) {
                receiver_(std::span<const std::uint8_t>(buffer_.data(), size));
                // The receiver may have closed (or reopened) the socket.
                if (alive.expired() || generation != generation_) return;
            }
            receive();
        });
}

Result<void> Dhcpv6SocketTransport::send_to(std::span<const std::uint8_t> payload,
                                            const boost::asio::ip::udp::endpoint& destination) {
    if (!socket_.is_open()) return dhcp_error(DhcpErrorKind::Invalid, "DHCPv6 socket is not open");
    boost::system::error_code error;
    socket_.send_to(boost::asio::buffer(payload.data(), payload.size()), destination, 0, error);
    if (error) {
        return dhcp_error(
            DhcpErrorKind::Invalid,
            fmt::format("send to [{}]:{} on {}: {}", destination.address().to_string(),
                        destination.port(), interface_, error.message()));
    }
    return {};
}

Result<void> Dhcpv6SocketTransport::send_multicast(std::span<const std::uint8_t> payload) {
    return send_to(payload, boost::asio::ip::udp::endpoint(
                                address_v6(kAllServers.to_bytes(), interface_index_), kServerPort));
}

Result<void> Dhcpv6SocketTransport::send_unicast(std::span<const std::uint8_t> payload,
                                                 address_v6 server) {
    if (server.is_link_local() && server.scope_id() == 0) server.scope_id(interface_index_);
    return send_to(payload, boost::asio::ip::udp::endpoint(server, kServerPort));
}

}  // namespace agent::dhcp
