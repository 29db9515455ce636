// Where and with which credentials to make a device's connection request,
// from what the device reported. As in GenieACS, per-device credentials are
// the device's own ManagementServer.ConnectionRequestUsername/Password
// parameters as the cache knows them (set by a preset or a
// setParameterValues task; a CPE reads its password back empty, so an empty
// cached value is not a credential); the defaults fill what the cache lacks.
#pragma once

#include <string>

#include "connection_request/connection_request_client.hpp"
#include "phonecwmp/expected.hpp"
#include "registry/device_record.hpp"

namespace acssim {

struct ConnectionRequestCredentials {
    std::string username;
    std::string password;
};

// Looks under "Device.ManagementServer." and then
// "InternetGatewayDevice.ManagementServer.". The error says the device has
// reported no ConnectionRequestURL.
phonecwmp::Expected<ConnectionRequestTarget, std::string> device_connection_request(
    const DeviceRecord& device, const ConnectionRequestCredentials& defaults);

}  // namespace acssim
