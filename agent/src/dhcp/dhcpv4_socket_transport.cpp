#include "dhcp/dhcpv4_socket_transport.hpp"

#include <fmt/format.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>

#include "dhcp/dhcpv4_codec.hpp"

namespace agent::dhcp {
namespace {

constexpr unsigned short kServerPort = 67;
constexpr unsigned short kClientPort = 68;

Result<std::array<std::uint8_t, 6>> ethernet_address(const std::string& interface) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("socket for SIOCGIFHWADDR: {}", std::strerror(errno)));
    }
    ifreq request{};
    std::memcpy(request.ifr_name, interface.data(), interface.size());
    const int result = ::ioctl(fd, SIOCGIFHWADDR, &request);
    const int saved_errno = errno;
    ::close(fd);
    if (result != 0) {
        return dhcp_error(
            DhcpErrorKind::Invalid,
            fmt::format("interface {}: SIOCGIFHWADDR: {}", interface, std::strerror(saved_errno)));
    }
    if (request.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("interface {} is not Ethernet (ARP hardware type {})",
                                      interface, request.ifr_hwaddr.sa_family));
    }
    std::array<std::uint8_t, 6> address{};
    std::memcpy(address.data(), request.ifr_hwaddr.sa_data, address.size());
    return address;
}

}  // namespace

Result<std::unique_ptr<Dhcpv4SocketTransport>> Dhcpv4SocketTransport::create(
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
    auto hardware = ethernet_address(interface);
    if (!hardware) return phonecwmp::Unexpected(hardware.error());
    return std::unique_ptr<Dhcpv4SocketTransport>(
        new Dhcpv4SocketTransport(io, interface, index, *hardware));
}

Dhcpv4SocketTransport::Dhcpv4SocketTransport(boost::asio::io_context& io, std::string interface,
                                             unsigned interface_index,
                                             std::array<std::uint8_t, 6> hardware_address)
    : io_(io),
      interface_(std::move(interface)),
      interface_index_(interface_index),
      hardware_address_(hardware_address),
      unicast_(io),
      broadcast_(io) {}

Dhcpv4SocketTransport::~Dhcpv4SocketTransport() {
    alive_.reset();
    close_unicast();
    if (link_) link_->close();
    link_.reset();
}

void Dhcpv4SocketTransport::deliver(std::span<const std::uint8_t> payload) {
    if (receiver_) receiver_(payload);
}

Result<void> Dhcpv4SocketTransport::open_link() {
    if (link_) return {};
    auto socket = Dhcpv4LinkSocket::open(
        io_, interface_index_, [this](std::span<const std::uint8_t> payload) { deliver(payload); });
    if (!socket) {
        return dhcp_error(socket.error().kind,
                          fmt::format("interface {}: {}", interface_, socket.error().message));
    }
    link_ = std::move(*socket);
    return {};
}

void Dhcpv4SocketTransport::close_link() {
    if (!link_) return;
    // The client closes the link from inside its receiver, i.e. from the
    // socket's own read loop: stop it now, free it once that loop is done.
    link_->close();
    boost::asio::post(io_, [closed = std::shared_ptr<Dhcpv4LinkSocket>(std::move(link_))] {});
}

Result<void> Dhcpv4SocketTransport::send_broadcast(std::span<const std::uint8_t> payload,
                                                   address_v4 source) {
    if (!link_) return dhcp_error(DhcpErrorKind::Invalid, "link-level socket is not open");
    return link_->send_broadcast(payload, source);
}

Result<void> Dhcpv4SocketTransport::open_unicast(address_v4 local) {
    if (unicast_.socket.is_open() && unicast_address_ == local) return {};
    close_unicast();
    if (auto opened = open_udp(unicast_.socket, local); !opened) return opened;
    if (auto opened = open_udp(broadcast_.socket, address_v4::broadcast()); !opened) {
        close_unicast();
        return opened;
    }
    unicast_address_ = local;
    receive(unicast_);
    receive(broadcast_);
    return {};
}

Result<void> Dhcpv4SocketTransport::open_udp(boost::asio::ip::udp::socket& socket,
                                             address_v4 bind_to) {
    boost::system::error_code error;
    auto fail = [&](const char* step) {
        const std::string message =
            fmt::format("UDP socket on {}:{} ({}): {}: {}", bind_to.to_string(), kClientPort,
                        interface_, step, error.message());
        boost::system::error_code ignored;
        socket.close(ignored);
        return dhcp_error(DhcpErrorKind::Invalid, message);
    };
    socket.open(boost::asio::ip::udp::v4(), error);
    if (error) return fail("open");
    socket.set_option(boost::asio::socket_base::reuse_address(true), error);
    if (error) return fail("SO_REUSEADDR");
    if (::setsockopt(socket.native_handle(), SOL_SOCKET, SO_BINDTODEVICE, interface_.c_str(),
                     static_cast<socklen_t>(interface_.size())) != 0) {
        error = boost::system::error_code(errno, boost::system::system_category());
        return fail("SO_BINDTODEVICE");
    }
    socket.non_blocking(true, error);
    if (error) return fail("non-blocking");
    socket.bind(boost::asio::ip::udp::endpoint(bind_to, kClientPort), error);
    if (error) return fail("bind");
    return {};
}

void Dhcpv4SocketTransport::close_unicast() {
    ++unicast_generation_;
    unicast_address_.reset();
    boost::system::error_code ignored;
    unicast_.socket.close(ignored);
    broadcast_.socket.close(ignored);
}

void Dhcpv4SocketTransport::receive(UdpReceiver& receiver) {
    receiver.socket.async_receive_from(
        boost::asio::buffer(receiver.buffer), receiver.sender,
        [this, &receiver, generation = unicast_generation_, alive = std::weak_ptr<char>(alive_)](
            const boost::system::error_code& error, std::size_t size) {
            if (alive.expired() || generation != unicast_generation_) return;
            if (error == boost::asio::error::operation_aborted) return;
            if (error) {
                spdlog::warn("DHCPv4 UDP socket on {}: receive: {}", interface_, error.message());
            } else if (size > kDhcpv4MaxMessageSize) {
                spdlog::debug("DHCPv4 UDP socket: {}-byte datagram too large, dropped", size);
            } else if (receiver.sender.port() != kServerPort) {
                spdlog::debug("DHCPv4 UDP socket: datagram from port {} dropped",
                              receiver.sender.port());
            } else {
                deliver(std::span<const std::uint8_t>(receiver.buffer.data(), size));
                // The receiver may have closed (or reopened) the socket.
                if (alive.expired() || generation != unicast_generation_) return;
            }
            receive(receiver);
        });
}

Result<void> Dhcpv4SocketTransport::send_unicast(std::span<const std::uint8_t> payload,
                                                 address_v4 server) {
    if (!unicast_.socket.is_open()) {
        return dhcp_error(DhcpErrorKind::Invalid, "UDP socket is not open");
    }
    boost::system::error_code error;
    unicast_.socket.send_to(boost::asio::buffer(payload.data(), payload.size()),
                            boost::asio::ip::udp::endpoint(server, kServerPort), 0, error);
    if (error) {
        return dhcp_error(
            DhcpErrorKind::Invalid,
            fmt::format("send to {}:{}: {}", server.to_string(), kServerPort, error.message()));
    }
    return {};
}

}  // namespace agent::dhcp
