// Shared fixtures for the acs-sim unit tests.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cwmp/messages.hpp"
#include "util/time_format.hpp"

namespace acssim::test {

// 2024-05-01T12:00:00.000Z, and seconds after it.
inline TimePoint at(int seconds = 0) {
    using namespace std::chrono;
    return TimePoint{sys_days{year{2024} / May / 1} + hours{12} + std::chrono::seconds{seconds}};
}

inline cwmp::DeviceId phone_id(std::string serial = "SN0001") {
    return cwmp::DeviceId{"Example Phones", "00256D", "IPPhone", std::move(serial)};
}

// The device id make_device_id gives phone_id(serial).
inline std::string phone_key(const std::string& serial = "SN0001") {
    return "00256D-IPPhone-" + serial;
}

inline cwmp::Inform phone_inform(std::vector<std::string> events = {"1 BOOT"},
                                 std::string serial = "SN0001") {
    cwmp::Inform inform;
    inform.device_id = phone_id(std::move(serial));
    for (auto& code : events) inform.event.push_back({std::move(code), ""});
    inform.current_time = "2024-05-01T12:00:00Z";
    inform.parameter_list = {
        {"Device.DeviceInfo.SerialNumber", inform.device_id.serial_number, "xsd:string"},
        {"Device.DeviceInfo.SoftwareVersion", "1.0.0", "xsd:string"},
        {"Device.ManagementServer.PeriodicInformInterval", "900", "xsd:unsignedInt"},
        {"Device.ManagementServer.PeriodicInformEnable", "true", "xsd:boolean"},
        {"Device.ManagementServer.ParameterKey", "", "xsd:string"},
    };
    return inform;
}

}  // namespace acssim::test
