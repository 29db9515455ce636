#include "presets/preset_plan.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <optional>

#include "cwmp/event_codes.hpp"
#include "nbi/task_request.hpp"

namespace acssim {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

const CachedParameter* cached(const DeviceRecord& device, const std::string& name) {
    auto found = device.parameters.find(name);
    return found == device.parameters.end() ? nullptr : &found->second;
}

// What the cache may be trusted with when deciding whether to send a value.
// After a BOOTSTRAP (first contact, or a factory reset) only what this
// Inform itself reported is known; older entries may describe the device as
// it was before the reset.
const CachedParameter* trusted(const DeviceRecord& device, const std::string& name,
                               bool bootstrap) {
    const auto* parameter = cached(device, name);
    if (parameter == nullptr || (bootstrap && parameter->timestamp < device.last_inform)) {
        return nullptr;
    }
    return parameter;
}

// Equal as the type reads them: "1" and "true" for a boolean, "0300" and
// "300" for a number, byte for byte otherwise.
bool same_value(const std::string& cached_value, const std::string& wanted,
                const std::string& type) {
    return typed_value(cached_value, type) == typed_value(wanted, type);
}

std::vector<cwmp::ParameterValue> values_to_set(const std::map<std::string, PresetValue>& values,
                                                const DeviceRecord& device, bool bootstrap) {
    if (values.empty()) return {};
    Json entries = Json::array();
    for (const auto& [name, configuration] : values) {
        Json entry = Json::array({name, configuration.value});
        if (configuration.type) entry.push_back(*configuration.type);
        entries.push_back(std::move(entry));
    }
    const Json body = {{"name", "setParameterValues"}, {"parameterValues", std::move(entries)}};
    auto spec = parse_task_request(body, [&](std::string_view name) -> std::optional<std::string> {
        const auto* parameter = cached(device, std::string{name});
        if (parameter == nullptr) return std::nullopt;
        return parameter->type;
    });
    if (!spec) {
        // parse_preset accepted each entry with these same rules.
        spdlog::error("{}: preset values rejected: {}", device.id, spec.error());
        return {};
    }
    std::vector<cwmp::ParameterValue> changes;
    for (auto& value : std::get<SetParameterValuesTask>(*spec).parameter_values) {
        const auto* parameter = trusted(device, value.name, bootstrap);
        if (parameter != nullptr && parameter->value &&
            same_value(*parameter->value, value.value, value.type)) {
            continue;
        }
        changes.push_back(std::move(value));
    }
    return changes;
}

}  // namespace

bool events_match(const Preset& preset, const std::vector<cwmp::EventStruct>& events) {
    for (const auto& [code, wanted] : preset.events) {
        // An init-capture: clang 14 cannot capture a structured binding.
        const bool present = std::any_of(
            events.begin(), events.end(),
            [&wanted_code = code](const auto& event) { return event.event_code == wanted_code; });
        if (present != wanted) return false;
    }
    return true;
}

std::vector<Preset> match_presets(const std::vector<Preset>& presets, const DeviceRecord& device,
                                  const std::vector<cwmp::EventStruct>& events) {
    std::vector<Preset> matched;
    // The device document is built only when some precondition needs it.
    std::optional<Json> document;
    for (const auto& preset : presets) {
        if (preset.configurations.empty() || !events_match(preset, events)) continue;
        if (!preset.precondition.empty()) {
            if (!document) document = device_document(device);
            if (!preset.precondition_query.matches(*document)) continue;
        }
        matched.push_back(preset);
    }
    std::stable_sort(matched.begin(), matched.end(), [](const Preset& a, const Preset& b) {
        return a.weight != b.weight ? a.weight < b.weight : a.name < b.name;
    });
    return matched;
}

PresetPlan plan_presets(const std::vector<Preset>& matched, const DeviceRecord& device,
                        const std::vector<cwmp::EventStruct>& events, bool read_unknown_first) {
    std::map<std::string, PresetValue> values;
    std::map<std::string, int> notifications;
    for (const auto& preset : matched) {
        for (const auto& configuration : preset.configurations) {
            std::visit(Overloaded{
                           [&](const PresetValue& value) { values[value.name] = value; },
                           [&](const PresetNotification& notification) {
                               notifications[notification.name] = notification.notification;
                           },
                       },
                       configuration);
        }
    }
    const bool bootstrap = std::any_of(events.begin(), events.end(), [](const auto& event) {
        return event.event_code == cwmp::event::kBootstrap;
    });

    PresetPlan plan;
    if (read_unknown_first) {
        for (const auto& [name, value] : values) {
            const auto* parameter = trusted(device, name, bootstrap);
            if (parameter == nullptr || !parameter->value) plan.unknown.push_back(name);
        }
        if (!plan.unknown.empty()) return plan;
    }
    if (auto changes = values_to_set(values, device, bootstrap); !changes.empty()) {
        plan.rpcs.emplace_back(SetParameterValuesTask{std::move(changes)});
    }
    SetParameterAttributesTask attributes;
    for (const auto& [name, notification] : notifications) {
        const auto* parameter = trusted(device, name, bootstrap);
        if (parameter != nullptr && parameter->notification == notification) continue;
        cwmp::SetParameterAttributesStruct change;
        change.name = name;
        change.notification_change = true;
        change.notification = notification;
        attributes.parameter_list.push_back(std::move(change));
    }
    if (!attributes.parameter_list.empty()) plan.rpcs.emplace_back(std::move(attributes));
    return plan;
}

}  // namespace acssim
