// Dhcpv4Transport on real sockets of the agent's io_context for one
// Ethernet interface: the AF_PACKET link socket (Dhcpv4LinkSocket) while
// the client has no configured address or rebinds by broadcast, and a UDP
// socket bound to the leased address, port 68, and to the interface
// (SO_BINDTODEVICE) for the unicast of RENEWING and RELEASE.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <optional>
#include <string>

#include "dhcp/dhcpv4_link_socket.hpp"
#include "dhcp/dhcpv4_transport.hpp"

namespace agent::dhcp {

class Dhcpv4SocketTransport final : public Dhcpv4Transport {
public:
    // Looks the interface up (index, Ethernet hardware address); fails with
    // a message naming it when it does not exist or is not Ethernet.
    static Result<std::unique_ptr<Dhcpv4SocketTransport>> create(boost::asio::io_context& io,
                                                                 const std::string& interface);
    ~Dhcpv4SocketTransport() override;
    Dhcpv4SocketTransport(const Dhcpv4SocketTransport&) = delete;
    Dhcpv4SocketTransport& operator=(const Dhcpv4SocketTransport&) = delete;

    const std::array<std::uint8_t, 6>& hardware_address() const { return hardware_address_; }
    unsigned interface_index() const { return interface_index_; }

    void set_receiver(Receiver receiver) override { receiver_ = std::move(receiver); }
    Result<void> open_link() override;
    void close_link() override;
    Result<void> send_broadcast(std::span<const std::uint8_t> payload, address_v4 source) override;
    Result<void> open_unicast(address_v4 local) override;
    void close_unicast() override;
    Result<void> send_unicast(std::span<const std::uint8_t> payload, address_v4 server) override;

private:
    Dhcpv4SocketTransport(boost::asio::io_context& io, std::string interface,
                          unsigned interface_index, std::array<std::uint8_t, 6> hardware_address);
    // A UDP socket of the bound client: its buffer and the sender of the
    // datagram being received.
    struct UdpReceiver {
        explicit UdpReceiver(boost::asio::io_context& io) : socket(io) {}
        boost::asio::ip::udp::socket socket;
        // One DHCP message of the largest accepted size plus one byte, to
        // notice (and refuse) a longer one.
        std::array<std::uint8_t, 1501> buffer{};
        boost::asio::ip::udp::endpoint sender;
    };
    Result<void> open_udp(boost::asio::ip::udp::socket& socket, address_v4 bind_to);
    void receive(UdpReceiver& receiver);
    void deliver(std::span<const std::uint8_t> payload);

    boost::asio::io_context& io_;
    std::string interface_;
    unsigned interface_index_;
    std::array<std::uint8_t, 6> hardware_address_;
    Receiver receiver_;
    std::unique_ptr<Dhcpv4LinkSocket> link_;
    // Bound to the leased address: sends RENEWING's unicast requests (from
    // that address) and receives the server's unicast answers.
    UdpReceiver unicast_;
    // Bound to 255.255.255.255:68: a socket bound to the leased address does
    // not receive broadcasts, and a server answers a RENEW with a broadcast
    // DHCPNAK (RFC 2131 4.1), which the client must hear to start over.
    UdpReceiver broadcast_;
    std::optional<address_v4> unicast_address_;
    // Bumped on every close so completions of a closed socket are ignored.
    std::uint64_t unicast_generation_ = 0;
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace agent::dhcp
