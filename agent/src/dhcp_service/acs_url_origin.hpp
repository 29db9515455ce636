// Who set Device.ManagementServer.URL, so that a URL discovered over DHCP
// never replaces one the ACS or the local configuration chose (DESIGN.md §2,
// TR-069 §3.1). The URL a discovery wrote is recorded in the store's
// metadata beside it: the URL belongs to discovery while it is empty or
// still equal to that record. Any other value was set by someone else and
// wins, across restarts too. A write of the very value discovery put there
// changes nothing the model could see, so the URL stays with discovery
// until someone writes another value. A factory reset erases the metadata,
// and the empty factory URL then takes the next discovered one.
#pragma once

#include <string>
#include <string_view>

#include "datamodel/model.hpp"

namespace agent::dhcp_service {

inline constexpr std::string_view kManagementServerUrl = "Device.ManagementServer.URL";
inline constexpr std::string_view kDiscoveredAcsUrlKey = "dhcp.discovered_acs_url";

// True when a discovered URL may be written now.
bool discovery_may_set_acs_url(const datamodel::Model& model);

// From now on, a write of the URL by the controller takes it away from
// discovery. The model must outlive nothing here: the observer refers to it
// only.
void track_acs_url_origin(datamodel::Model& model);

}  // namespace agent::dhcp_service
