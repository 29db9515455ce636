// DHCP Unique Identifiers (RFC 8415 §11): the client's DUID in option 1 and
// the server's in option 2.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

inline constexpr std::uint16_t kDuidLinkLayerPlusTime = 1;
inline constexpr std::uint16_t kDuidLinkLayer = 3;
// RFC 8415 §11.1: at most 128 octets of DUID after the 2-octet type.
inline constexpr std::size_t kMaxDuidLength = 130;

// DUID-LL for an Ethernet address: stable for the life of the hardware,
// which is what a phone without persistent DUID storage needs.
Bytes make_duid_ll(const std::array<std::uint8_t, 6>& hardware_address);

// DUID-LLT; `seconds_since_2000` is the time the DUID was first generated.
Bytes make_duid_llt(const std::array<std::uint8_t, 6>& hardware_address,
                    std::uint32_t seconds_since_2000);

// A type code and at least one octet, at most 130 octets in all.
Result<void> validate_duid(std::span<const std::uint8_t> duid, const char* which);

}  // namespace agent::dhcp
