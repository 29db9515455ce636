// The link-level path of the DHCPv4 client: an AF_PACKET datagram socket on
// one interface (Linux packet(7)) through which a host without a configured
// address sends broadcast DHCP requests and receives the replies, whatever
// their IP destination. A kernel filter passes only unfragmented UDP to
// port 68; every frame is then checked again in full and bounded in size.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

class Dhcpv4LinkSocket {
public:
    using Receiver = std::function<void(std::span<const std::uint8_t> payload)>;

    // Needs CAP_NET_RAW. `receiver` gets the DHCP payload of each valid
    // datagram from port 67 to port 68.
    static Result<std::unique_ptr<Dhcpv4LinkSocket>> open(boost::asio::io_context& io,
                                                          unsigned interface_index,
                                                          Receiver receiver);
    ~Dhcpv4LinkSocket();
    Dhcpv4LinkSocket(const Dhcpv4LinkSocket&) = delete;
    Dhcpv4LinkSocket& operator=(const Dhcpv4LinkSocket&) = delete;

    // From `source`:68 to 255.255.255.255:67 in an Ethernet broadcast frame.
    Result<void> send_broadcast(std::span<const std::uint8_t> payload, address_v4 source);

    // Stops receiving at once, also from inside the receiver; the object
    // itself may then be destroyed later (after the receiver has returned).
    void close();

    // Frames received and refused (bad IP/UDP, truncated, wrong port).
    std::uint64_t refused_frames() const { return refused_frames_; }

private:
    Dhcpv4LinkSocket(boost::asio::io_context& io, int fd, unsigned interface_index,
                     Receiver receiver);
    void wait_readable();
    void read_available();

    boost::asio::posix::stream_descriptor descriptor_;
    unsigned interface_index_;
    Receiver receiver_;
    // One Ethernet MTU plus one byte, to notice (and refuse) anything longer.
    std::array<std::uint8_t, 1501> buffer_{};
    std::uint64_t refused_frames_ = 0;
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace agent::dhcp
