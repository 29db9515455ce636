#include "dhcp/dhcpv4_link_socket.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dhcp/ipv4_udp_datagram.hpp"

namespace agent::dhcp {
namespace {

constexpr std::uint16_t kServerPort = 67;
constexpr std::uint16_t kClientPort = 68;
// Frames handled per wake-up before yielding to the rest of the io_context.
constexpr int kMaxFramesPerWakeup = 64;

std::string errno_text(const char* what) {
    return fmt::format("{}: {}", what, std::strerror(errno));
}

// Classic BPF over the IP header (SOCK_DGRAM packet sockets see no link
// header): accept UDP to port 68 that is not a non-first fragment.
Result<void> attach_dhcp_client_filter(int fd) {
    static sock_filter program[] = {
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),                   // protocol
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),  //
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),                   // flags + fragment offset
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 4, 0),      //
        BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),                  // X = IP header length
        BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),                   // UDP destination port
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kClientPort, 0, 1),  //
        BPF_STMT(BPF_RET | BPF_K, 0xffff),                       // accept
        BPF_STMT(BPF_RET | BPF_K, 0),                            // drop
    };
    sock_fprog filter{static_cast<unsigned short>(std::size(program)), program};
    if (::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &filter, sizeof filter) != 0) {
        return dhcp_error(DhcpErrorKind::Invalid, errno_text("SO_ATTACH_FILTER"));
    }
    return {};
}

}  // namespace

Result<std::unique_ptr<Dhcpv4LinkSocket>> Dhcpv4LinkSocket::open(boost::asio::io_context& io,
                                                                 unsigned interface_index,
                                                                 Receiver receiver) {
    // Protocol 0 receives nothing until bind(): no frame of another
    // interface, or one the filter would refuse, is queued in between.
    const int fd = ::socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return dhcp_error(DhcpErrorKind::Invalid, errno_text("AF_PACKET socket"));
    auto fail = [fd](std::string message) {
        ::close(fd);
        return dhcp_error(DhcpErrorKind::Invalid, std::move(message));
    };
    if (auto filtered = attach_dhcp_client_filter(fd); !filtered) {
        return fail(filtered.error().message);
    }
    const int on = 1;
    if (::setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on) != 0) {
        return fail(errno_text("PACKET_AUXDATA"));
    }
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_IP);
    address.sll_ifindex = static_cast<int>(interface_index);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        return fail(errno_text(fmt::format("bind to interface {}", interface_index).c_str()));
    }
    auto socket = std::unique_ptr<Dhcpv4LinkSocket>(
        new Dhcpv4LinkSocket(io, fd, interface_index, std::move(receiver)));
    socket->wait_readable();
    return socket;
}

Dhcpv4LinkSocket::Dhcpv4LinkSocket(boost::asio::io_context& io, int fd, unsigned interface_index,
                                   Receiver receiver)
    : descriptor_(io, fd), interface_index_(interface_index), receiver_(std::move(receiver)) {}

Dhcpv4LinkSocket::~Dhcpv4LinkSocket() {
    close();
}

void Dhcpv4LinkSocket::close() {
    alive_.reset();
    boost::system::error_code ignored;
    descriptor_.close(ignored);
}

void Dhcpv4LinkSocket::wait_readable() {
    descriptor_.async_wait(
        boost::asio::posix::descriptor_base::wait_read,
        [this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& error) {
            if (error || alive.expired()) return;
            read_available();
        });
}

void Dhcpv4LinkSocket::read_available() {
    // The receiver may close this socket from its callback.
    const std::weak_ptr<char> alive = alive_;
    for (int frame = 0; frame < kMaxFramesPerWakeup; ++frame) {
        iovec data{buffer_.data(), buffer_.size()};
        alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(tpacket_auxdata))> control{};
        msghdr message{};
        message.msg_iov = &data;
        message.msg_iovlen = 1;
        message.msg_control = control.data();
        message.msg_controllen = control.size();
        const ssize_t received =
            ::recvmsg(descriptor_.native_handle(), &message, MSG_DONTWAIT | MSG_TRUNC);
        if (received < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                spdlog::warn("DHCPv4 link socket: {}", errno_text("recvmsg"));
            }
            break;
        }
        if (static_cast<std::size_t>(received) >= buffer_.size()) {
            ++refused_frames_;
            spdlog::debug("DHCPv4 link socket: {}-byte frame exceeds the MTU, dropped", received);
            continue;
        }
        UdpChecksumCheck check = UdpChecksumCheck::Verify;
        for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
             header = CMSG_NXTHDR(&message, header)) {
            if (header->cmsg_level == SOL_PACKET && header->cmsg_type == PACKET_AUXDATA &&
                header->cmsg_len >= CMSG_LEN(sizeof(tpacket_auxdata))) {
                tpacket_auxdata auxiliary{};
                std::memcpy(&auxiliary, CMSG_DATA(header), sizeof auxiliary);
                if ((auxiliary.tp_status & TP_STATUS_CSUMNOTREADY) != 0) {
                    check = UdpChecksumCheck::Skip;
                }
            }
        }
        auto datagram = parse_ipv4_udp_datagram(
            std::span<const std::uint8_t>(buffer_.data(), static_cast<std::size_t>(received)),
            check);
        if (!datagram) {
            ++refused_frames_;
            spdlog::debug("DHCPv4 link socket: frame refused: {}", datagram.error().message);
            continue;
        }
        if (datagram->endpoints.source_port != kServerPort ||
            datagram->endpoints.destination_port != kClientPort) {
            ++refused_frames_;
            continue;
        }
        if (receiver_) receiver_(datagram->payload);
        if (alive.expired()) return;
    }
    wait_readable();
}

Result<void> Dhcpv4LinkSocket::send_broadcast(std::span<const std::uint8_t> payload,
                                              address_v4 source) {
    if (!descriptor_.is_open()) {
        return dhcp_error(DhcpErrorKind::Invalid, "link-level socket is closed");
    }
    auto datagram = build_ipv4_udp_datagram(
        UdpEndpoints{source, kClientPort, address_v4::broadcast(), kServerPort}, payload);
    if (!datagram) return phonecwmp::Unexpected(datagram.error());
    sockaddr_ll destination{};
    destination.sll_family = AF_PACKET;
    destination.sll_protocol = htons(ETH_P_IP);
    destination.sll_ifindex = static_cast<int>(interface_index_);
    destination.sll_halen = ETH_ALEN;
    std::memset(destination.sll_addr, 0xff, ETH_ALEN);
    const ssize_t sent =
        ::sendto(descriptor_.native_handle(), datagram->data(), datagram->size(), MSG_DONTWAIT,
                 reinterpret_cast<const sockaddr*>(&destination), sizeof destination);
    if (sent < 0) return dhcp_error(DhcpErrorKind::Invalid, errno_text("sendto (link level)"));
    return {};
}

}  // namespace agent::dhcp
