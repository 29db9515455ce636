// Lists of DNS names in wire format (RFC 1035 §3.1): DHCPv4 option 119
// (RFC 3397, with RFC 1035 §4.1.4 compression pointers) and DHCPv6 option 24
// (RFC 8415 §10, no compression).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

enum class DnsNameCompression { Forbidden, Allowed };

inline constexpr std::size_t kMaxDnsNamesInList = 64;

// Names in dotted text without the trailing dot ("example.test").
Result<std::vector<std::string>> decode_dns_name_list(std::span<const std::uint8_t> data,
                                                      DnsNameCompression compression);

// Uncompressed encoding (valid for both options). Fails on an empty name, a
// label longer than 63 bytes or a name longer than 255 bytes on the wire.
Result<Bytes> encode_dns_name_list(const std::vector<std::string>& names);

}  // namespace agent::dhcp
