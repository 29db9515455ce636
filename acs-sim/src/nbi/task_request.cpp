#include "nbi/task_request.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <limits>

namespace acssim {

namespace {

using phonecwmp::Unexpected;
using Result = phonecwmp::Expected<TaskSpec, std::string>;

// The types a simulator user may name (TR-069 A.2.1 plus CWMP 1.4's long types).
constexpr std::array<std::string_view, 9> kValueTypes = {
    "xsd:string", "xsd:int",       "xsd:unsignedInt", "xsd:boolean",     "xsd:dateTime",
    "xsd:base64", "xsd:hexBinary", "xsd:long",        "xsd:unsignedLong"};

bool known_type(std::string_view type) {
    for (const auto candidate : kValueTypes) {
        if (candidate == type) return true;
    }
    return false;
}

std::string type_list() {
    std::string text;
    for (const auto type : kValueTypes) {
        if (!text.empty()) text += ", ";
        text += type;
    }
    return text;
}

std::string inferred_type(const Json& value) {
    if (value.is_boolean()) return "xsd:boolean";
    if (value.is_number_unsigned()) {
        const auto number = value.get<std::uint64_t>();
        if (number <= static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())) {
            return "xsd:int";
        }
        if (number <= std::numeric_limits<std::uint32_t>::max()) return "xsd:unsignedInt";
        return "xsd:unsignedLong";
    }
    if (value.is_number_integer()) {
        const auto number = value.get<std::int64_t>();
        if (number >= std::numeric_limits<std::int32_t>::min()) return "xsd:int";
        return "xsd:long";
    }
    return "xsd:string";
}

std::optional<std::string> value_text(const Json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
    if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
    if (value.is_number_float()) return value.dump();
    return std::nullopt;
}

// The member `name` of `object`, or null. (Lookups and loops here avoid
// nlohmann's iterators, in which GCC 12 sees a false null dereference.)
const Json* member(const Json& object, std::string_view name) {
    if (!object.contains(name)) return nullptr;
    return &object[std::string{name}];
}

phonecwmp::Expected<std::string, std::string> string_member(const Json& body, std::string_view name,
                                                            bool allow_empty) {
    const Json* found = member(body, name);
    if (found == nullptr || !found->is_string()) {
        return Unexpected("\"" + std::string{name} + "\" must be a string");
    }
    auto text = found->get<std::string>();
    if (text.empty() && !allow_empty) {
        return Unexpected("\"" + std::string{name} + "\" must not be empty");
    }
    return text;
}

phonecwmp::Expected<std::string, std::string> object_name(const Json& body) {
    auto name = string_member(body, "objectName", false);
    if (!name) return name;
    if (name->back() != '.') {
        return Unexpected("\"objectName\" must name an object (end with '.'): " + *name);
    }
    return name;
}

Result parse_get_parameter_values(const Json& body) {
    const Json* names = member(body, "parameterNames");
    if (names == nullptr || !names->is_array() || names->empty()) {
        return Unexpected(std::string{"\"parameterNames\" must be a non-empty array of strings"});
    }
    GetParameterValuesTask task;
    for (std::size_t i = 0; i < names->size(); ++i) {
        const Json& name = (*names)[i];
        if (!name.is_string() || name.get_ref<const std::string&>().empty()) {
            return Unexpected(
                std::string{"\"parameterNames\" must be a non-empty array of non-empty strings"});
        }
        task.parameter_names.push_back(name.get<std::string>());
    }
    return TaskSpec{std::move(task)};
}

Result parse_set_parameter_values(const Json& body, const CachedTypeLookup& cached_type) {
    const Json* values = member(body, "parameterValues");
    if (values == nullptr || !values->is_array() || values->empty()) {
        return Unexpected(std::string{
            "\"parameterValues\" must be a non-empty array of [name, value, type?] arrays"});
    }
    SetParameterValuesTask task;
    for (std::size_t i = 0; i < values->size(); ++i) {
        const Json& entry = (*values)[i];
        if (!entry.is_array() || entry.size() < 2 || entry.size() > 3) {
            return Unexpected(
                "each parameterValues entry must be [name, value] or "
                "[name, value, type]: " +
                entry.dump());
        }
        if (!entry[0].is_string() || entry[0].get_ref<const std::string&>().empty()) {
            return Unexpected("parameter name must be a non-empty string: " + entry.dump());
        }
        cwmp::ParameterValue parameter;
        parameter.name = entry[0].get<std::string>();
        auto text = value_text(entry[1]);
        if (!text) {
            return Unexpected("value of " + parameter.name +
                              " must be a string, number or boolean: " + entry[1].dump());
        }
        parameter.value = std::move(*text);
        if (entry.size() == 3 && !entry[2].is_null()) {
            if (!entry[2].is_string() || !known_type(entry[2].get_ref<const std::string&>())) {
                return Unexpected("type of " + parameter.name + " must be one of " + type_list() +
                                  ": " + entry[2].dump());
            }
            parameter.type = entry[2].get<std::string>();
        } else if (auto cached = cached_type ? cached_type(parameter.name) : std::nullopt;
                   cached && !cached->empty()) {
            parameter.type = std::move(*cached);
        } else {
            parameter.type = inferred_type(entry[1]);
        }
        task.parameter_values.push_back(std::move(parameter));
    }
    return TaskSpec{std::move(task)};
}

// Lengths from the Download RPC's schema (TR-069 A.3.2.8).
constexpr std::size_t kMaxFileTypeBytes = 64;
constexpr std::size_t kMaxTargetFileNameBytes = 256;

Result parse_download(const Json& body) {
    auto file = string_member(body, "file", false);
    if (!file) return Unexpected(file.error());
    DownloadTask task;
    task.file_name = std::move(*file);
    if (member(body, "fileType") != nullptr) {
        auto type = string_member(body, "fileType", false);
        if (!type) return Unexpected(type.error());
        if (type->size() > kMaxFileTypeBytes) {
            return Unexpected(
                fmt::format("\"fileType\" is longer than {} bytes", kMaxFileTypeBytes));
        }
        task.file_type = std::move(*type);
    }
    if (member(body, "targetFileName") != nullptr) {
        auto target = string_member(body, "targetFileName", true);
        if (!target) return Unexpected(target.error());
        if (target->size() > kMaxTargetFileNameBytes) {
            return Unexpected(
                fmt::format("\"targetFileName\" is longer than {} bytes", kMaxTargetFileNameBytes));
        }
        task.target_file_name = std::move(*target);
    }
    return TaskSpec{std::move(task)};
}

}  // namespace

Result parse_task_request(const Json& body, const CachedTypeLookup& cached_type) {
    if (!body.is_object()) return Unexpected(std::string{"a task must be a JSON object"});
    const Json* name = member(body, "name");
    if (name == nullptr || !name->is_string()) {
        return Unexpected(std::string{"a task needs a \"name\" string"});
    }
    const auto& task = name->get_ref<const std::string&>();
    if (task == "getParameterValues") return parse_get_parameter_values(body);
    if (task == "setParameterValues") return parse_set_parameter_values(body, cached_type);
    if (task == "refreshObject") {
        auto object = string_member(body, "objectName", true);
        if (!object) return Unexpected(object.error());
        return TaskSpec{RefreshObjectTask{std::move(*object)}};
    }
    if (task == "addObject" || task == "deleteObject") {
        auto object = object_name(body);
        if (!object) return Unexpected(object.error());
        if (task == "addObject") return TaskSpec{AddObjectTask{std::move(*object)}};
        return TaskSpec{DeleteObjectTask{std::move(*object)}};
    }
    if (task == "reboot") return TaskSpec{RebootTask{}};
    if (task == "factoryReset") return TaskSpec{FactoryResetTask{}};
    if (task == "download") return parse_download(body);
    return Unexpected("unknown task name \"" + task +
                      "\" (supported: getParameterValues, setParameterValues, refreshObject, "
                      "addObject, deleteObject, reboot, factoryReset, download)");
}

}  // namespace acssim
