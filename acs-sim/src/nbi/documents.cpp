#include "nbi/documents.hpp"

#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "util/time_format.hpp"

namespace acssim {

namespace {

// "xsd:unsignedInt" -> "unsignedInt"; the prefix is whatever the CPE bound
// the XML Schema namespace to, so only the local name means anything.
std::string_view local_name(std::string_view type) {
    const auto colon = type.find(':');
    return colon == std::string_view::npos ? type : type.substr(colon + 1);
}

template <class Integer>
std::optional<Integer> parse_integer(std::string_view text) {
    Integer number{};
    const auto* end = text.data() + text.size();
    const auto [rest, error] = std::from_chars(text.data(), end, number);
    if (error != std::errc{} || rest != end || text.empty()) return std::nullopt;
    return number;
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    while (!path.empty()) {
        const auto dot = path.find('.');
        segments.push_back(path.substr(0, dot));
        if (dot == std::string_view::npos) break;
        path.remove_prefix(dot + 1);
    }
    return segments;
}

// The node for `segments` inside `root`, creating objects on the way; every
// node created for an intermediate segment is marked as an object. Null when
// the path runs into something that is not a node (a CPE naming a parameter
// "_id.x" must not break the document).
Json* node_at(Json& root, const std::vector<std::string_view>& segments) {
    Json* node = &root;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        Json& child = (*node)[std::string{segments[i]}];
        if (child.is_null()) {
            child = Json::object();
            if (i + 1 < segments.size()) child["_object"] = true;
        } else if (!child.is_object()) {
            return nullptr;
        }
        node = &child;
    }
    return node;
}

Json cwmp_fault_detail(const cwmp::Fault& fault) {
    // GenieACS keeps the cwmp:Fault as parsed from XML: codes stay strings.
    Json detail = {{"faultCode", std::to_string(fault.fault_code)},
                   {"faultString", fault.fault_string}};
    if (!fault.set_parameter_values_faults.empty()) {
        Json entries = Json::array();
        for (const auto& entry : fault.set_parameter_values_faults) {
            entries.push_back({{"parameterName", entry.parameter_name},
                               {"faultCode", std::to_string(entry.fault_code)},
                               {"faultString", entry.fault_string}});
        }
        detail["setParameterValuesFault"] = std::move(entries);
    }
    return detail;
}

Json fault_body(const TaskFault& fault) {
    Json body = {{"code", fault.code}, {"message", fault.message}};
    if (fault.detail) body["detail"] = cwmp_fault_detail(*fault.detail);
    body["timestamp"] = format_iso8601(fault.timestamp);
    return body;
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::string to_text(const Json& document) {
    return document.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json typed_value(std::string_view value, std::string_view type) {
    const auto kind = local_name(type);
    if (kind == "int" || kind == "long") {
        if (auto number = parse_integer<std::int64_t>(value)) return *number;
    } else if (kind == "unsignedInt" || kind == "unsignedLong") {
        if (auto number = parse_integer<std::uint64_t>(value)) return *number;
    } else if (kind == "boolean") {
        if (value == "true" || value == "1") return true;
        if (value == "false" || value == "0") return false;
    }
    return std::string{value};
}

Json device_document(const DeviceRecord& device) {
    Json document = {
        {"_id", device.id},
        {"_deviceId",
         {{"_Manufacturer", device.device_id.manufacturer},
          {"_OUI", device.device_id.oui},
          {"_ProductClass", device.device_id.product_class},
          {"_SerialNumber", device.device_id.serial_number}}},
        {"_registered", format_iso8601(device.registered)},
        {"_lastInform", format_iso8601(device.last_inform)},
    };
    if (device.last_boot) document["_lastBoot"] = format_iso8601(*device.last_boot);
    if (device.last_bootstrap) document["_lastBootstrap"] = format_iso8601(*device.last_bootstrap);
    // An acs-sim extension: GenieACS keeps only the boot timestamps, which
    // cannot tell a script about "2 PERIODIC" or "M Download".
    Json events = Json::array();
    for (const auto& event : device.last_events) {
        events.push_back({{"code", event.event_code}, {"commandKey", event.command_key}});
    }
    document["_lastEvents"] = std::move(events);

    for (const auto& [path, parameter] : device.parameters) {
        std::string_view name = path;
        if (parameter.object && !name.empty()) name.remove_suffix(1);
        const auto segments = split_path(name);
        if (segments.empty()) continue;
        Json* node = node_at(document, segments);
        if (node == nullptr) continue;
        if (parameter.object) {
            (*node)["_object"] = true;
        } else if (parameter.value) {
            const std::string type = parameter.type.empty() ? "xsd:string" : parameter.type;
            (*node)["_value"] = typed_value(*parameter.value, type);
            (*node)["_type"] = type;
        }
        (*node)["_timestamp"] = format_iso8601(parameter.timestamp);
        if (parameter.writable) (*node)["_writable"] = *parameter.writable;
        if (parameter.notification) (*node)["_notification"] = *parameter.notification;
    }
    return document;
}

Json file_document(const StoredFile& file) {
    return {{"_id", file.name},
            {"length", file.length},
            {"uploadDate", format_iso8601(file.upload_date)},
            {"filename", file.name},
            {"metadata",
             {{"fileType", file.file_type},
              {"oui", file.oui},
              {"productClass", file.product_class},
              {"version", file.version}}}};
}

Json task_document(const Task& task) {
    Json document = {{"_id", task.id},
                     {"name", std::string{task_name(task.spec)}},
                     {"device", task.device_id},
                     {"timestamp", format_iso8601(task.timestamp)}};
    std::visit(
        Overloaded{
            [&](const GetParameterValuesTask& spec) {
                document["parameterNames"] = spec.parameter_names;
            },
            [&](const SetParameterValuesTask& spec) {
                Json values = Json::array();
                for (const auto& parameter : spec.parameter_values) {
                    values.push_back(
                        Json::array({parameter.name, typed_value(parameter.value, parameter.type),
                                     parameter.type}));
                }
                document["parameterValues"] = std::move(values);
            },
            [&](const RefreshObjectTask& spec) { document["objectName"] = spec.object_name; },
            [&](const AddObjectTask& spec) { document["objectName"] = spec.object_name; },
            [&](const DeleteObjectTask& spec) { document["objectName"] = spec.object_name; },
            [&](const RebootTask&) {},
            [&](const FactoryResetTask&) {},
            [&](const SetParameterAttributesTask& spec) {
                Json list = Json::array();
                for (const auto& change : spec.parameter_list) {
                    Json entry = {{"name", change.name}};
                    if (change.notification_change) entry["notification"] = change.notification;
                    if (change.access_list_change) entry["accessList"] = change.access_list;
                    list.push_back(std::move(entry));
                }
                document["parameterList"] = std::move(list);
            },
            [&](const DownloadTask& spec) {
                document["file"] = spec.file_name;
                document["fileType"] = spec.file_type;
                if (!spec.target_file_name.empty()) {
                    document["targetFileName"] = spec.target_file_name;
                }
            },
        },
        task.spec);
    if (task.fault) {
        document["fault"] = fault_body(*task.fault);
        document["retries"] = task.retries;
    }
    return document;
}

Json fault_document(const Task& task) {
    Json document = {
        {"_id", fault_id(task)}, {"device", task.device_id}, {"channel", "task_" + task.id}};
    if (task.fault) {
        const Json body = fault_body(*task.fault);
        for (const auto& [key, value] : body.items()) document[key] = value;
    }
    document["retries"] = task.retries;
    return document;
}

}  // namespace acssim
