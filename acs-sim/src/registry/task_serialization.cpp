#include "registry/task_serialization.hpp"

#include <nlohmann/json.hpp>

namespace acssim {

namespace {

using nlohmann::json;
using phonecwmp::Unexpected;

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

json parameter_values(const std::vector<cwmp::ParameterValue>& values) {
    json list = json::array();
    for (const auto& value : values) list.push_back({value.name, value.value, value.type});
    return list;
}

json attribute_changes(const std::vector<cwmp::SetParameterAttributesStruct>& changes) {
    json list = json::array();
    for (const auto& change : changes) {
        list.push_back({{"name", change.name},
                        {"notificationChange", change.notification_change},
                        {"notification", change.notification},
                        {"accessListChange", change.access_list_change},
                        {"accessList", change.access_list}});
    }
    return list;
}

// Throws json::exception on a missing member or a wrong type; the callers
// turn that into an error naming the row.
TaskSpec spec_from(const json& document) {
    const auto name = document.at("name").get<std::string>();
    if (name == "getParameterValues") {
        return GetParameterValuesTask{
            document.at("parameterNames").get<std::vector<std::string>>()};
    }
    if (name == "setParameterValues") {
        SetParameterValuesTask task;
        for (const auto& entry : document.at("parameterValues")) {
            task.parameter_values.push_back({entry.at(0).get<std::string>(),
                                             entry.at(1).get<std::string>(),
                                             entry.at(2).get<std::string>()});
        }
        return task;
    }
    if (name == "refreshObject")
        return RefreshObjectTask{document.at("objectName").get<std::string>()};
    if (name == "addObject") return AddObjectTask{document.at("objectName").get<std::string>()};
    if (name == "deleteObject")
        return DeleteObjectTask{document.at("objectName").get<std::string>()};
    if (name == "reboot") return RebootTask{};
    if (name == "factoryReset") return FactoryResetTask{};
    if (name == "setParameterAttributes") {
        SetParameterAttributesTask task;
        for (const auto& entry : document.at("parameterList")) {
            cwmp::SetParameterAttributesStruct change;
            change.name = entry.at("name").get<std::string>();
            change.notification_change = entry.at("notificationChange").get<bool>();
            change.notification = entry.at("notification").get<int>();
            change.access_list_change = entry.at("accessListChange").get<bool>();
            change.access_list = entry.at("accessList").get<std::vector<std::string>>();
            task.parameter_list.push_back(std::move(change));
        }
        return task;
    }
    if (name == "download") {
        return DownloadTask{
            document.at("file").get<std::string>(), document.at("fileType").get<std::string>(),
            document.at("url").get<std::string>(), document.at("fileSize").get<std::uint64_t>(),
            document.at("targetFileName").get<std::string>()};
    }
    throw std::invalid_argument("unknown task name \"" + name + "\"");
}

}  // namespace

long long to_stored_time(TimePoint time) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

TimePoint from_stored_time(long long nanoseconds) {
    return TimePoint{
        std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds{nanoseconds})};
}

std::string serialize_task_spec(const TaskSpec& spec) {
    json document = {{"name", std::string{task_name(spec)}}};
    std::visit(
        Overloaded{
            [&](const GetParameterValuesTask& task) {
                document["parameterNames"] = task.parameter_names;
            },
            [&](const SetParameterValuesTask& task) {
                document["parameterValues"] = parameter_values(task.parameter_values);
            },
            [&](const RefreshObjectTask& task) { document["objectName"] = task.object_name; },
            [&](const AddObjectTask& task) { document["objectName"] = task.object_name; },
            [&](const DeleteObjectTask& task) { document["objectName"] = task.object_name; },
            [&](const RebootTask&) {},
            [&](const FactoryResetTask&) {},
            [&](const SetParameterAttributesTask& task) {
                document["parameterList"] = attribute_changes(task.parameter_list);
            },
            [&](const DownloadTask& task) {
                document["file"] = task.file_name;
                document["fileType"] = task.file_type;
                document["url"] = task.url;
                document["fileSize"] = task.file_size;
                document["targetFileName"] = task.target_file_name;
            },
        },
        spec);
    // Replace, not throw, on bytes that are not UTF-8: values come from CPEs.
    return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

phonecwmp::Expected<TaskSpec, std::string> parse_task_spec(std::string_view text) {
    try {
        return spec_from(json::parse(text));
    } catch (const std::exception& error) {
        return Unexpected(std::string{"unreadable task: "} + error.what());
    }
}

std::string serialize_task_fault(const TaskFault& fault) {
    json document = {{"code", fault.code},
                     {"message", fault.message},
                     {"timestamp", to_stored_time(fault.timestamp)}};
    if (fault.detail) {
        json entries = json::array();
        for (const auto& entry : fault.detail->set_parameter_values_faults) {
            entries.push_back({entry.parameter_name, entry.fault_code, entry.fault_string});
        }
        document["detail"] = {{"faultCode", fault.detail->fault_code},
                              {"faultString", fault.detail->fault_string},
                              {"setParameterValuesFaults", std::move(entries)}};
    }
    return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

phonecwmp::Expected<TaskFault, std::string> parse_task_fault(std::string_view text) {
    try {
        const auto document = json::parse(text);
        TaskFault fault;
        fault.code = document.at("code").get<std::string>();
        fault.message = document.at("message").get<std::string>();
        fault.timestamp = from_stored_time(document.at("timestamp").get<long long>());
        if (document.contains("detail")) {
            const auto& detail = document.at("detail");
            cwmp::Fault cpe_fault;
            cpe_fault.fault_code = detail.at("faultCode").get<std::uint32_t>();
            cpe_fault.fault_string = detail.at("faultString").get<std::string>();
            for (const auto& entry : detail.at("setParameterValuesFaults")) {
                cpe_fault.set_parameter_values_faults.push_back({entry.at(0).get<std::string>(),
                                                                 entry.at(1).get<std::uint32_t>(),
                                                                 entry.at(2).get<std::string>()});
            }
            fault.detail = std::move(cpe_fault);
        }
        return fault;
    } catch (const std::exception& error) {
        return Unexpected(std::string{"unreadable task fault: "} + error.what());
    }
}

}  // namespace acssim
