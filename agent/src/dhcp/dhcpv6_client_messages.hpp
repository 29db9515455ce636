// The messages a DHCPv6 client sends (RFC 8415 §18.2) for one IA_NA, with the
// TR-069 §3.1 additions: option 16 enterprise 3561 "dslforum.org" and option
// 17 in the Option Request option.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv6_message.hpp"

namespace agent::dhcp {

inline const std::vector<std::uint16_t> kDefaultRequestedDhcpv6Options{17, 23, 56};

struct Dhcpv6ClientIdentity {
    Bytes duid;  // option 1 (make_duid_ll)
    std::uint32_t iaid = 1;
    std::vector<std::uint16_t> requested_options = kDefaultRequestedDhcpv6Options;
    std::string vendor_class = "dslforum.org";  // option 16 enterprise 3561; empty → omitted
    bool rapid_commit = false;                  // option 14 in SOLICIT
};

struct Dhcpv6Transaction {
    std::uint32_t transaction_id = 0;        // 24 bits
    std::uint16_t elapsed_centiseconds = 0;  // option 8
};

Result<void> validate_dhcpv6_client_identity(const Dhcpv6ClientIdentity& identity);

Result<Dhcpv6Message> build_dhcpv6_solicit(const Dhcpv6ClientIdentity& identity,
                                           Dhcpv6Transaction transaction);

// REQUEST and RENEW name the server; REBIND asks any server. The addresses
// are those of the advertised or bound IA_NA (lifetimes are sent as 0,
// RFC 8415 §21.6).
Result<Dhcpv6Message> build_dhcpv6_request(const Dhcpv6ClientIdentity& identity,
                                           Dhcpv6Transaction transaction, const Bytes& server_duid,
                                           const std::vector<address_v6>& addresses);
Result<Dhcpv6Message> build_dhcpv6_renew(const Dhcpv6ClientIdentity& identity,
                                         Dhcpv6Transaction transaction, const Bytes& server_duid,
                                         const std::vector<address_v6>& addresses);
Result<Dhcpv6Message> build_dhcpv6_rebind(const Dhcpv6ClientIdentity& identity,
                                          Dhcpv6Transaction transaction,
                                          const std::vector<address_v6>& addresses);
Result<Dhcpv6Message> build_dhcpv6_release(const Dhcpv6ClientIdentity& identity,
                                           Dhcpv6Transaction transaction, const Bytes& server_duid,
                                           const std::vector<address_v6>& addresses);

}  // namespace agent::dhcp
