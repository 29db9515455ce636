// Which parameter values acs-sim keeps out of its log. It has no data model
// to say which parameters are hidden, so it goes by TR-181's naming: every
// hidden parameter of Device:2 is a password, passphrase, key or secret.
#pragma once

#include <string_view>

namespace acssim {

// True for "Device.ManagementServer.ConnectionRequestPassword",
// "...WiFi.AccessPoint.1.Security.KeyPassphrase", "...PreSharedKey", ...
bool is_secret_parameter(std::string_view name);

}  // namespace acssim
