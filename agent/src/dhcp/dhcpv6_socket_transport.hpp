// Dhcpv6Transport on the agent's io_context for one interface: a UDP socket
// bound to the interface's link-local address, port 546, tied to the
// interface (SO_BINDTODEVICE, IPV6_MULTICAST_IF), sending to ff02::1:2 port
// 547 or to a server's unicast address. Receives at most one 1500-byte
// message at a time; longer datagrams and datagrams not from port 547 are
// dropped.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <string>

#include "dhcp/dhcpv6_transport.hpp"

namespace agent::dhcp {

class Dhcpv6SocketTransport final : public Dhcpv6Transport {
public:
    // Looks the interface up; fails with a message naming it when it does not exist.
    static Result<std::unique_ptr<Dhcpv6SocketTransport>> create(boost::asio::io_context& io,
                                                                 const std::string& interface);
    ~Dhcpv6SocketTransport() override;
    Dhcpv6SocketTransport(const Dhcpv6SocketTransport&) = delete;
    Dhcpv6SocketTransport& operator=(const Dhcpv6SocketTransport&) = delete;

    unsigned interface_index() const { return interface_index_; }

    void set_receiver(Receiver receiver) override { receiver_ = std::move(receiver); }
    // Binds to the interface's first link-local address (IPV6_FREEBIND, so a
    // still tentative one is accepted: sends fail until DAD ends and the
    // client's retransmission covers that).
    Result<void> open() override;
    void close() override;
    Result<void> send_multicast(std::span<const std::uint8_t> payload) override;
    Result<void> send_unicast(std::span<const std::uint8_t> payload, address_v6 server) override;

private:
    Dhcpv6SocketTransport(boost::asio::io_context& io, std::string interface,
                          unsigned interface_index);
    void receive();
    Result<void> send_to(std::span<const std::uint8_t> payload,
                         const boost::asio::ip::udp::endpoint& destination);

    std::string interface_;
    unsigned interface_index_;
    Receiver receiver_;
    boost::asio::ip::udp::socket socket_;
    std::array<std::uint8_t, 1501> buffer_{};
    boost::asio::ip::udp::endpoint sender_;
    // Bumped on every close so completions of a closed socket are ignored.
    std::uint64_t generation_ = 0;
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace agent::dhcp
