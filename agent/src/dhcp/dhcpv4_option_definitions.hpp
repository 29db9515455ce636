// What each DHCPv4 option the agent knows carries (in the spirit of ISC Kea's
// option definitions): a table code → name, value type and length rules, and
// the check that a received value obeys them. Options not in the table are
// opaque bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "dhcp/dhcp_error.hpp"

namespace agent::dhcp {

enum class Dhcpv4OptionType {
    Ip4Address,      // exactly 4 bytes
    Ip4AddressList,  // n × 4 bytes, n ≥ 1
    Uint8,
    Uint16,
    Uint32,
    Int32,
    Uint8List,           // n ≥ 1 bytes (option 55)
    String,              // NVT ASCII text, n ≥ 1 (trailing NULs tolerated)
    Binary,              // opaque, n ≥ min_length
    VendorEncapsulated,  // code/len/value sub-options, or vendor text (option 43)
    VendorIdentifying,   // RFC 3925 enterprise blocks (option 125)
    DomainSearchList,    // RFC 3397: DNS names with RFC 1035 compression
    ClasslessRoutes,     // RFC 3442
};

struct Dhcpv4OptionDefinition {
    std::uint8_t code;
    std::string_view name;
    Dhcpv4OptionType type;
    std::size_t min_length;
    std::size_t max_length;  // after RFC 3396 concatenation
};

// The definition of `code`, or nullptr for an option the table does not know.
const Dhcpv4OptionDefinition* find_dhcpv4_option_definition(std::uint8_t code);

std::span<const Dhcpv4OptionDefinition> dhcpv4_option_definitions();

// Checks `data` against the definition of `code` (lengths, list sizes,
// nested structure). Unknown codes always pass.
Result<void> validate_dhcpv4_option(std::uint8_t code, std::span<const std::uint8_t> data);

}  // namespace agent::dhcp
