// The configuration a DHCPv4 OFFER or ACK grants (RFC 2131 §4.3.1, §4.4.5),
// extracted and validated: what the network subsystem applies and the data
// model publishes under Device.DHCPv4.Client.1.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dhcp/classless_static_routes.hpp"
#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

// Option 51 value meaning "never expires".
inline constexpr std::uint32_t kInfiniteLeaseTime = 0xffffffff;

struct Dhcpv4Lease {
    address_v4 address;
    address_v4 subnet_mask;
    address_v4 server_identifier;
    // Published as received (Device.DHCPv4.Client.IPRouters); when
    // classless_routes is not empty the network subsystem installs those and
    // ignores `routers` (RFC 3442 §2).
    std::vector<address_v4> routers;
    std::vector<address_v4> dns_servers;
    std::vector<address_v4> ntp_servers;  // option 42 → Device.Time.NTPServer*
    std::string domain_name;
    std::vector<std::string> domain_search;
    std::vector<ClasslessStaticRoute> classless_routes;
    // Seconds; kInfiniteLeaseTime for all three when the lease is infinite.
    // T1/T2 default to 0.5 and 0.875 of the lease (RFC 2131 §4.4.5) when
    // absent or inconsistent (not T1 < T2 < lease).
    std::uint32_t lease_time = 0;
    std::uint32_t renewal_time = 0;
    std::uint32_t rebinding_time = 0;
    // Optional options that were present but malformed and so ignored, with
    // the reason, for the log.
    std::vector<std::string> ignored;
};

// Checks that `message` answers this client: a BOOTREPLY with our xid and
// hardware address and a valid option 53. Returns the message type.
Result<Dhcpv4MessageType> classify_dhcpv4_reply(
    const Dhcpv4Message& message, std::uint32_t xid,
    const std::array<std::uint8_t, 6>& hardware_address);

// `message` must be a DHCPOFFER or a DHCPACK to a DHCPREQUEST (an ACK to
// DHCPINFORM carries no address or lease time and is refused here).
Result<Dhcpv4Lease> lease_from_dhcpv4_reply(const Dhcpv4Message& message);

}  // namespace agent::dhcp
