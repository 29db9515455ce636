// What a DHCPv6 ADVERTISE or REPLY grants this client (RFC 8415 §18.2.9,
// §18.2.10): the addresses of its IA_NA with lifetimes, T1/T2, DNS servers,
// domain list, NTP servers and the status codes, after the checks RFC 8415
// requires (client id must match, inconsistent lifetimes discarded).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv6_message.hpp"

namespace agent::dhcp {

inline constexpr std::uint32_t kDhcpv6Infinity = 0xffffffff;

// RFC 8415 §21.13.
enum class Dhcpv6Status : std::uint16_t {
    Success = 0,
    UnspecFail = 1,
    NoAddrsAvail = 2,
    NoBinding = 3,
    NotOnLink = 4,
    UseMulticast = 5,
    NoPrefixAvail = 6,
};

struct Dhcpv6StatusCode {
    std::uint16_t code = 0;  // Dhcpv6Status, or a code newer than this table
    std::string message;
    bool success() const { return code == 0; }
};

struct Dhcpv6LeasedAddress {
    address_v6 address;
    std::uint32_t preferred_lifetime = 0;
    std::uint32_t valid_lifetime = 0;
};

struct Dhcpv6Lease {
    Dhcpv6MessageType type = Dhcpv6MessageType::Reply;
    Bytes server_duid;
    Dhcpv6StatusCode status;     // top level; Success when absent
    Dhcpv6StatusCode ia_status;  // inside our IA_NA; Success when absent
    bool has_ia = false;         // our IA_NA was present and consistent
    std::uint32_t iaid = 0;
    // Effective T1/T2 in seconds: the server's, or 0.5 and 0.8 of the
    // shortest preferred lifetime when it sent 0 (RFC 8415 §21.4).
    std::uint32_t renewal_time = 0;
    std::uint32_t rebinding_time = 0;
    std::vector<Dhcpv6LeasedAddress> addresses;
    std::vector<address_v6> dns_servers;
    std::vector<std::string> domain_search;
    std::vector<address_v6> ntp_servers;
    std::vector<std::string> ntp_server_names;
    std::optional<std::uint8_t> preference;  // option 7 (ADVERTISE)
    bool rapid_commit = false;
    // Parts that were discarded as RFC 8415 requires, with the reason.
    std::vector<std::string> ignored;
};

// Fails when the message is not an ADVERTISE/REPLY for this transaction and
// client, lacks a server id, or is malformed. A server status (NoAddrsAvail,
// NoBinding...) is not an error: it is in `status` / `ia_status`.
Result<Dhcpv6Lease> lease_from_dhcpv6_reply(const Dhcpv6Message& message,
                                            std::uint32_t transaction_id,
                                            std::span<const std::uint8_t> client_duid,
                                            std::uint32_t iaid);

}  // namespace agent::dhcp
