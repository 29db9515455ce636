// DHCPv6 wire format (RFC 8415 §8, §21.1): msg-type, transaction-id and a
// chain of 16-bit code / 16-bit length options, also used nested inside
// IA_NA, IAADDR and vendor options.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv6_message.hpp"

namespace agent::dhcp {

// One Ethernet MTU: a client message never needs more and a larger datagram
// is refused unread.
inline constexpr std::size_t kDhcpv6MaxMessageSize = 1500;
inline constexpr std::size_t kDhcpv6MaxOptions = 128;

Result<Dhcpv6Message> decode_dhcpv6(std::span<const std::uint8_t> packet);

// Client and server message types only: relay messages (12, 13) never reach
// a client and are refused.
Result<Bytes> encode_dhcpv6(const Dhcpv6Message& message);

// An option chain (top-level or nested); `container` names it in errors.
Result<std::vector<Dhcpv6Option>> decode_dhcpv6_options(std::span<const std::uint8_t> data,
                                                        std::string_view container);

Result<Bytes> encode_dhcpv6_options(const std::vector<Dhcpv6Option>& options);

}  // namespace agent::dhcp
