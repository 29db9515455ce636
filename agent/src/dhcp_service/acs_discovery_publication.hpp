// Where ACS discovery results go in the data model (DESIGN.md §2): the URL
// to Device.ManagementServer.URL when discovery owns it (acs_url_origin.hpp),
// with ProvisioningCode, CWMPRetryMinimumWaitInterval and
// CWMPRetryIntervalMultiplier; the gateway's identity (option 125
// sub-options 4-6) to Device.GatewayInfo.* always.
#pragma once

#include "datamodel/model.hpp"
#include "dhcp/acs_discovery.hpp"

namespace agent::dhcp_service {

// Adds the writes (and the URL's origin record) to `changes`. The
// ManagementServer values are taken as a unit: when the ACS or the local
// configuration owns the URL, the values discovered with another URL are
// not applied either.
void add_acs_discovery_changes(const datamodel::Model& model,
                               const dhcp::DhcpAcsInformation& information,
                               datamodel::ChangeSet& changes);

}  // namespace agent::dhcp_service
