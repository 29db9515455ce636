// DHCPv4 wire format (RFC 2131 §2-3, RFC 2132, RFC 3396): BOOTP fixed header,
// magic cookie, options with pad and end, option overload into sname/file,
// long options split into several instances.
#pragma once

#include <cstddef>
#include <span>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

// Fixed header (236) + magic cookie (4).
inline constexpr std::size_t kDhcpv4HeaderSize = 240;
// Largest DHCP payload accepted: one Ethernet MTU. Anything larger cannot
// have come from a single unfragmented frame and is refused unread.
inline constexpr std::size_t kDhcpv4MaxMessageSize = 1500;
// RFC 2131 §2: every client accepts a 576-octet IP datagram, i.e. a DHCP
// payload of 576 - 20 (IP) - 8 (UDP) = 548 octets. The default encode limit.
inline constexpr std::size_t kDhcpv4DefaultMaxMessageSize = 548;
// RFC 1542 §3.2.1: BOOTP relays may drop messages shorter than 300 octets.
inline constexpr std::size_t kDhcpv4MinimumEncodedSize = 300;
// Option instances per message (each at least 2 bytes; a real server sends
// a few dozen).
inline constexpr std::size_t kDhcpv4MaxOptionInstances = 255;

struct Dhcpv4EncodeLimits {
    std::size_t max_message_size = kDhcpv4DefaultMaxMessageSize;
    // Use sname and file for options (option 52) when the options field is full.
    bool allow_overload = true;
};

Result<Dhcpv4Message> decode_dhcpv4(std::span<const std::uint8_t> packet);

Result<Bytes> encode_dhcpv4(const Dhcpv4Message& message, Dhcpv4EncodeLimits limits = {});

}  // namespace agent::dhcp
