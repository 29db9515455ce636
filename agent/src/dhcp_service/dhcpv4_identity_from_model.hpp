// The identity the DHCPv4 client presents, read from the data model each
// time the client starts: option 60 and 61 from enabled SentOption rows
// (60 defaults to "dslforum.org"), option 125 enterprise 3561 from
// DeviceInfo.ManufacturerOUI / SerialNumber / ProductClass (TR-069 Annex F),
// option 55 from the enabled ReqOption rows in Order (the built-in list when
// there is none).
#pragma once

#include <array>
#include <cstdint>

#include "datamodel/model.hpp"
#include "dhcp/dhcpv4_client_messages.hpp"

namespace agent::dhcp_service {

dhcp::Dhcpv4ClientIdentity dhcpv4_identity_from_model(
    const datamodel::Model& model, const std::array<std::uint8_t, 6>& hardware_address);

}  // namespace agent::dhcp_service
