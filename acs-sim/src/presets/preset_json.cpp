#include "presets/preset_json.hpp"

#include <fmt/format.h>

#include "nbi/task_request.hpp"

namespace acssim {

namespace {

using phonecwmp::Unexpected;
using Result = phonecwmp::Expected<Preset, std::string>;

// (nlohmann's iterators make GCC 12 see a false null dereference; lookups
// by key avoid them, as in task_request.cpp.)
const Json* member(const Json& object, std::string_view name) {
    if (!object.contains(name)) return nullptr;
    return &object[std::string{name}];
}

bool is_scalar(const Json& value) {
    return value.is_string() || value.is_boolean() || value.is_number();
}

phonecwmp::Expected<PresetConfiguration, std::string> parse_configuration(const Json& entry,
                                                                          std::size_t index) {
    const auto where = fmt::format("configurations[{}]", index);
    if (!entry.is_object()) return Unexpected(where + " must be an object");
    const Json* type = member(entry, "type");
    if (type == nullptr || !type->is_string()) {
        return Unexpected(where + " needs a \"type\" string");
    }
    const Json* name = member(entry, "name");
    if (name == nullptr || !name->is_string() || name->get_ref<const std::string&>().empty() ||
        name->get_ref<const std::string&>().back() == '.') {
        return Unexpected(where + " needs a \"name\": a parameter path (not ending in '.')");
    }
    const Json* value = member(entry, "value");
    const auto& kind = type->get_ref<const std::string&>();
    if (kind == "value") {
        if (value == nullptr || !is_scalar(*value)) {
            return Unexpected(where + " needs a \"value\": a string, number or boolean");
        }
        PresetValue configuration{name->get<std::string>(), *value, std::nullopt};
        Json parameter = Json::array({configuration.name, configuration.value});
        if (const Json* value_type = member(entry, "valueType")) {
            parameter.push_back(*value_type);
            if (value_type->is_string()) configuration.type = value_type->get<std::string>();
        }
        // The same rules as a setParameterValues task, so a preset is
        // accepted exactly when the task would be.
        const Json task = {{"name", "setParameterValues"},
                           {"parameterValues", Json::array({parameter})}};
        if (auto checked = parse_task_request(task, {}); !checked) {
            return Unexpected(where + ": " + checked.error());
        }
        return PresetConfiguration{std::move(configuration)};
    }
    if (kind == "notification") {
        if (value == nullptr || !value->is_number_integer() || value->get<long long>() < 0 ||
            value->get<long long>() > 2) {
            return Unexpected(
                where + " needs a \"value\": 0 (off), 1 (passive) or 2 (active) notification");
        }
        return PresetConfiguration{PresetNotification{name->get<std::string>(), value->get<int>()}};
    }
    return Unexpected(where + " has unsupported type \"" + kind +
                      "\" (supported: value, notification)");
}

}  // namespace

Result parse_preset(std::string_view name, const Json& body) {
    if (name.empty() || name.size() > kMaxPresetNameBytes) {
        return Unexpected(
            fmt::format("a preset name must have 1 to {} bytes", kMaxPresetNameBytes));
    }
    if (!body.is_object()) return Unexpected(std::string{"a preset must be a JSON object"});
    for (const auto& [key, ignored] : body.items()) {
        if (key != "_id" && key != "weight" && key != "channel" && key != "events" &&
            key != "precondition" && key != "configurations" && key != "schedule") {
            return Unexpected("unsupported preset member \"" + key +
                              "\" (supported: weight, channel, events, precondition, "
                              "configurations)");
        }
    }

    Preset preset;
    preset.name = std::string{name};
    if (const Json* weight = member(body, "weight")) {
        if (!weight->is_number_integer()) {
            return Unexpected(std::string{"\"weight\" must be an integer"});
        }
        preset.weight = weight->get<long long>();
    }
    if (const Json* channel = member(body, "channel")) {
        if (!channel->is_string()) return Unexpected(std::string{"\"channel\" must be a string"});
        preset.channel = channel->get<std::string>();
    }
    if (const Json* schedule = member(body, "schedule")) {
        if (!schedule->is_null() &&
            !(schedule->is_string() && schedule->get_ref<const std::string&>().empty())) {
            return Unexpected(std::string{"\"schedule\" is not supported; leave it empty"});
        }
    }
    if (const Json* events = member(body, "events")) {
        if (!events->is_object() || events->size() > kMaxPresetEvents) {
            return Unexpected(fmt::format(
                "\"events\" must be an object of at most {} event codes mapped to true or false",
                kMaxPresetEvents));
        }
        for (const auto& [code, wanted] : events->items()) {
            if (code.empty() || !wanted.is_boolean()) {
                return Unexpected("\"events\" must map event codes to true or false; got \"" +
                                  code + "\": " + wanted.dump());
            }
            preset.events.emplace(code, wanted.get<bool>());
        }
    }
    if (const Json* precondition = member(body, "precondition")) {
        if (precondition->is_string()) {
            preset.precondition = precondition->get<std::string>();
        } else if (precondition->is_object()) {
            preset.precondition = precondition->empty() ? std::string{} : precondition->dump();
        } else if (!precondition->is_null()) {
            return Unexpected(
                std::string{"\"precondition\" must be a query: JSON text or a JSON object"});
        }
        auto query = Query::parse(preset.precondition);
        if (!query) return Unexpected("\"precondition\": " + query.error());
        preset.precondition_query = std::move(*query);
    }
    if (const Json* configurations = member(body, "configurations")) {
        if (!configurations->is_array() || configurations->size() > kMaxPresetConfigurations) {
            return Unexpected(
                fmt::format("\"configurations\" must be an array of at most {} entries",
                            kMaxPresetConfigurations));
        }
        for (std::size_t i = 0; i < configurations->size(); ++i) {
            auto configuration = parse_configuration((*configurations)[i], i);
            if (!configuration) return Unexpected(configuration.error());
            preset.configurations.push_back(std::move(*configuration));
        }
    }

    Json events = Json::object();
    for (const auto& [code, wanted] : preset.events) events[code] = wanted;
    preset.document = {
        {"_id", preset.name},
        {"weight", preset.weight},
        {"channel", preset.channel},
        {"events", std::move(events)},
        {"precondition", preset.precondition},
        {"configurations",
         member(body, "configurations") != nullptr ? body["configurations"] : Json::array()}};
    return preset;
}

}  // namespace acssim
