// The key a device is known by: OUI-ProductClass-SerialNumber (TR-069 §3.4.4).
#pragma once

#include <string>
#include <string_view>

#include "cwmp/messages.hpp"

namespace acssim {

// Percent-encodes every byte that is not an ASCII letter, digit or '_' — the
// same rule as GenieACS, so that ids match between the two and '-' inside a
// field cannot be confused with the separator ("00-1" becomes "00%2D1").
// Unlike GenieACS, every escape has two hex digits.
std::string escape_device_id_part(std::string_view part);

// "OUI-ProductClass-SerialNumber", or "OUI-SerialNumber" when the
// ProductClass is empty, each part escaped.
std::string make_device_id(const cwmp::DeviceId& device_id);

}  // namespace acssim
