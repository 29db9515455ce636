#include "session/inform_builder.hpp"

#include <chrono>
#include <ctime>

#include "rpc/wire_types.hpp"

namespace agent {

namespace {
std::string value_or_empty(const datamodel::Model& model, const char* path) {
    return model.value(path).value_or("");
}
}  // namespace

cwmp::Inform build_inform(const datamodel::Model& model, std::vector<cwmp::EventStruct> events,
                          std::uint32_t retry_count, const std::string& current_time) {
    cwmp::Inform inform;
    inform.device_id.manufacturer = value_or_empty(model, "Device.DeviceInfo.Manufacturer");
    inform.device_id.oui = value_or_empty(model, "Device.DeviceInfo.ManufacturerOUI");
    inform.device_id.product_class = value_or_empty(model, "Device.DeviceInfo.ProductClass");
    inform.device_id.serial_number = value_or_empty(model, "Device.DeviceInfo.SerialNumber");
    inform.event = std::move(events);
    inform.max_envelopes = 1;  // one envelope per HTTP message since Amendment 2
    inform.current_time = current_time;
    inform.retry_count = retry_count;

    std::vector<std::string> forced;
    for (const auto& definition : model.definitions().parameters()) {
        if (definition.forced_inform) {
            forced.push_back(definition.path);
        }
    }
    if (auto values = model.get_values(forced)) {
        for (auto& value : *values) {
            inform.parameter_list.push_back(
                {std::move(value.path), std::move(value.value), rpc::xsi_type_for(value.type)});
        }
    }
    return inform;
}

std::string utc_now_iso8601() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace agent
