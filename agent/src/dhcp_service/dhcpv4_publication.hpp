// What the DHCPv4 client publishes under Device.DHCPv4.Client.1 (DESIGN.md
// §2): the lease's IPAddress, SubnetMask, IPRouters, DNSServers, DHCPServer,
// and in ReqOption.{i}.Value the last value received for each enabled
// requested tag (hex, empty when the server did not send it). The writes
// are device writes, committed with the rest of what a lease changes.
#pragma once

#include <string>
#include <vector>

#include "datamodel/model.hpp"
#include "dhcp/dhcpv4_lease.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp_service {

inline constexpr std::string_view kDhcpv4Client = "Device.DHCPv4.Client.1.";

// The lease's parameters and the ReqOption values of `reply`; with no lease
// (lost, released, disabled) every one of them empty.
std::vector<datamodel::ValueWrite> dhcpv4_lease_writes(const datamodel::Model& model,
                                                       const dhcp::Dhcpv4Lease* lease,
                                                       const dhcp::Dhcpv4Message* reply);

// Lower-case hex, as hexBinary values are stored.
std::string to_hex(const dhcp::Bytes& bytes);

}  // namespace agent::dhcp_service
