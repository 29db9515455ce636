// DHCPv4 option 121 (RFC 3442): destination prefixes encoded with only their
// significant octets, each followed by a router.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

struct ClasslessStaticRoute {
    address_v4 destination;
    std::uint8_t prefix_length = 0;
    address_v4 router;
    bool operator==(const ClasslessStaticRoute&) const = default;
};

Result<std::vector<ClasslessStaticRoute>> decode_classless_static_routes(
    std::span<const std::uint8_t> data);

Result<Bytes> encode_classless_static_routes(const std::vector<ClasslessStaticRoute>& routes);

}  // namespace agent::dhcp
