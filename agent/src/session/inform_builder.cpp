#include "session/inform_builder.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>

#include "cwmp/event_codes.hpp"
#include "rpc/wire_types.hpp"

namespace agent {

namespace {
std::string value_or_empty(const datamodel::Model& model, const char* path) {
    return model.value(path).value_or("");
}

constexpr std::string_view kInformParameterTable = "Device.ManagementServer.InformParameter.";

std::vector<std::string_view> split_list(std::string_view list) {
    std::vector<std::string_view> items;
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) items.push_back(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return items;
}

bool wanted_for(std::string_view event_list, const std::vector<cwmp::EventStruct>& events) {
    const std::vector<std::string_view> wanted = split_list(event_list);
    return std::any_of(events.begin(), events.end(), [&wanted](const cwmp::EventStruct& event) {
        if (wanted.empty()) return event.event_code != cwmp::event::kValueChange;
        return std::find(wanted.begin(), wanted.end(), event.event_code) != wanted.end();
    });
}

void append_values(const datamodel::Model& model, const std::vector<std::string>& paths,
                   std::vector<cwmp::ParameterValue>& out) {
    for (const std::string& path : paths) {
        // One at a time: a path naming nothing (an instance deleted since)
        // must not cost the others.
        if (auto values = model.get_values({path})) {
            for (auto& value : *values) {
                out.push_back(
                    {std::move(value.path), std::move(value.value), rpc::xsi_type_for(value.type)});
            }
        }
    }
}
}  // namespace

std::vector<cwmp::ParameterValue> requested_inform_parameters(
    const datamodel::Model& model, const std::vector<cwmp::EventStruct>& events) {
    std::vector<std::string> paths;
    const auto names = model.get_names(kInformParameterTable, true);
    if (!names) return {};
    for (const datamodel::NameInfo& instance : *names) {
        if (model.value(instance.path + "Enable").value_or("false") != "true") continue;
        const std::string name = model.value(instance.path + "ParameterName").value_or("");
        if (name.empty()) continue;
        if (!wanted_for(model.value(instance.path + "EventList").value_or(""), events)) continue;
        paths.push_back(name);
    }
    std::vector<cwmp::ParameterValue> values;
    append_values(model, paths, values);
    return values;
}

cwmp::Inform build_inform(const datamodel::Model& model, std::vector<cwmp::EventStruct> events,
                          std::uint32_t retry_count, const std::string& current_time,
                          const std::vector<cwmp::ParameterValue>& changed_values) {
    cwmp::Inform inform;
    inform.device_id.manufacturer = value_or_empty(model, "Device.DeviceInfo.Manufacturer");
    inform.device_id.oui = value_or_empty(model, "Device.DeviceInfo.ManufacturerOUI");
    inform.device_id.product_class = value_or_empty(model, "Device.DeviceInfo.ProductClass");
    inform.device_id.serial_number = value_or_empty(model, "Device.DeviceInfo.SerialNumber");
    inform.max_envelopes = 1;  // one envelope per HTTP message since Amendment 2
    inform.current_time = current_time;
    inform.retry_count = retry_count;

    std::vector<std::string> forced;
    for (const auto& definition : model.definitions().parameters()) {
        if (definition.forced_inform) {
            forced.push_back(definition.path);
        }
    }
    std::vector<cwmp::ParameterValue> candidates;
    append_values(model, forced, candidates);
    std::vector<cwmp::ParameterValue> requested = requested_inform_parameters(model, events);
    candidates.insert(candidates.end(), std::make_move_iterator(requested.begin()),
                      std::make_move_iterator(requested.end()));
    candidates.insert(candidates.end(), changed_values.begin(), changed_values.end());
    std::set<std::string> seen;
    for (auto& candidate : candidates) {
        if (seen.insert(candidate.name).second) {
            inform.parameter_list.push_back(std::move(candidate));
        }
    }
    inform.event = std::move(events);
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
