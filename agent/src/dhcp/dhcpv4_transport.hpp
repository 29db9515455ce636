// How the DHCPv4 client reaches the network, behind an interface so the
// state machine is tested with a fake and runs on real sockets in the agent
// (Dhcpv4SocketTransport). Two ways in and out, as RFC 2131 §4.1 requires:
// a link-level path for a host that has no usable address yet (and for
// REBINDING broadcasts), and an ordinary UDP socket on the leased address for
// the unicast of RENEWING.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

class Dhcpv4Transport {
public:
    // The DHCP payload (UDP data) of a datagram from a server port 67 to
    // client port 68, already checked at the IP and UDP level.
    using Receiver = std::function<void(std::span<const std::uint8_t> payload)>;

    virtual ~Dhcpv4Transport() = default;

    virtual void set_receiver(Receiver receiver) = 0;

    // Receive at link level (every DHCP reply reaching this interface, also
    // unicast to an address not configured yet). Idempotent.
    virtual Result<void> open_link() = 0;
    virtual void close_link() = 0;
    // Broadcast from `source`:68 to 255.255.255.255:67 at link level; needs
    // open_link(). `source` is 0.0.0.0 before the client has a lease.
    virtual Result<void> send_broadcast(std::span<const std::uint8_t> payload,
                                        address_v4 source) = 0;

    // A UDP socket bound to `local`:68 on this interface only.
    virtual Result<void> open_unicast(address_v4 local) = 0;
    virtual void close_unicast() = 0;
    // To `server`:67 from the socket of open_unicast().
    virtual Result<void> send_unicast(std::span<const std::uint8_t> payload, address_v4 server) = 0;
};

}  // namespace agent::dhcp
