#include "virtual_device.hpp"

#include <fmt/format.h>

namespace swarm {

namespace {

cwmp::Fault fault(std::uint32_t code, std::string text) {
    cwmp::Fault result;
    result.fault_code = code;
    result.fault_string = std::move(text);
    return result;
}

}  // namespace

VirtualDevice::VirtualDevice(const DeviceIdentity& identity, unsigned index) {
    id_.manufacturer = identity.manufacturer;
    id_.oui = identity.oui;
    id_.product_class = identity.product_class;
    id_.serial_number = fmt::format("{}{:06}", identity.serial_prefix, index);
    parameters_ = {
        {"Device.RootDataModelVersion", {"2.17", "xsd:string"}},
        {"Device.DeviceInfo.HardwareVersion", {"1.0", "xsd:string"}},
        {"Device.DeviceInfo.SoftwareVersion", {"1.0.0", "xsd:string"}},
        {"Device.DeviceInfo.SerialNumber", {id_.serial_number, "xsd:string"}},
        {"Device.DeviceInfo.ProvisioningCode", {"", "xsd:string"}},
        {"Device.ManagementServer.ParameterKey", {"", "xsd:string"}},
        {"Device.ManagementServer.PeriodicInformInterval", {"300", "xsd:unsignedInt"}},
    };
}

cwmp::Inform VirtualDevice::next_inform() {
    cwmp::Inform inform;
    inform.device_id = id_;
    if (!booted_) {
        inform.event = {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}};
        booted_ = true;
    } else {
        inform.event = {{"2 PERIODIC", ""}};
    }
    inform.current_time = "2026-01-01T00:00:00Z";
    for (const auto& [name, value] : parameters_) {
        inform.parameter_list.push_back({name, value.first, value.second});
    }
    return inform;
}

cwmp::Body VirtualDevice::answer(const cwmp::Body& request) {
    if (const auto* get = std::get_if<cwmp::GetParameterValues>(&request)) {
        cwmp::GetParameterValuesResponse response;
        for (const auto& name : get->parameter_names) {
            bool found = false;
            for (const auto& [path, value] : parameters_) {
                const bool match =
                    name.ends_with('.') || name.empty() ? path.starts_with(name) : path == name;
                if (!match) continue;
                response.parameter_list.push_back({path, value.first, value.second});
                found = true;
            }
            if (!found) return fault(9005, "Invalid parameter name " + name);
        }
        return response;
    }
    if (const auto* set = std::get_if<cwmp::SetParameterValues>(&request)) {
        for (const auto& value : set->parameter_list) {
            if (!parameters_.contains(value.name)) {
                return fault(9005, "Invalid parameter name " + value.name);
            }
        }
        for (const auto& value : set->parameter_list) {
            auto& stored = parameters_[value.name];
            stored.first = value.value;
            if (!value.type.empty()) stored.second = value.type;
        }
        parameters_["Device.ManagementServer.ParameterKey"].first = set->parameter_key;
        return cwmp::SetParameterValuesResponse{0};
    }
    return fault(9000, fmt::format("{} is not supported by cpe-swarm", cwmp::method_name(request)));
}

}  // namespace swarm
