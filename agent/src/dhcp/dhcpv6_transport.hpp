// How the DHCPv6 client reaches the network, behind an interface so the
// state machine is tested with a fake and runs on a real UDP socket in the
// agent (Dhcpv6SocketTransport). A client talks from its link-local address,
// port 546, to All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547, or by
// unicast to a server that offered it (RFC 8415 §18.2.4, option 12).
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv6_message.hpp"

namespace agent::dhcp {

class Dhcpv6Transport {
public:
    // The UDP payload of a datagram from port 547 to this client's port 546.
    using Receiver = std::function<void(std::span<const std::uint8_t> payload)>;

    virtual ~Dhcpv6Transport() = default;

    virtual void set_receiver(Receiver receiver) = 0;

    // Idempotent; fails when the interface has no link-local address.
    virtual Result<void> open() = 0;
    virtual void close() = 0;
    virtual Result<void> send_multicast(std::span<const std::uint8_t> payload) = 0;
    virtual Result<void> send_unicast(std::span<const std::uint8_t> payload, address_v6 server) = 0;
};

}  // namespace agent::dhcp
