#include "session/task_execution.hpp"

#include <fmt/format.h>

#include "cwmp/fault_codes.hpp"

namespace acssim {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

TaskFault cpe_fault(const cwmp::Fault& fault, TimePoint now) {
    std::string message = fault.fault_string;
    if (message.empty()) message = std::string{cwmp::fault_description(fault.fault_code)};
    return TaskFault{fmt::format("cwmp.{}", fault.fault_code), std::move(message), fault, now};
}

}  // namespace

TaskExecution::TaskExecution(Task task) : task_(std::move(task)) {}

cwmp::Body TaskExecution::request() const {
    // The task id doubles as ParameterKey / CommandKey (24 characters, within
    // the 32 the schema allows), so a CPE's Inform shows which task it applied last.
    return std::visit(
        Overloaded{
            [&](const GetParameterValuesTask& spec) -> cwmp::Body {
                return cwmp::GetParameterValues{spec.parameter_names};
            },
            [&](const SetParameterValuesTask& spec) -> cwmp::Body {
                return cwmp::SetParameterValues{spec.parameter_values, task_.id};
            },
            [&](const RefreshObjectTask& spec) -> cwmp::Body {
                if (refresh_values_) return cwmp::GetParameterValues{refresh_names_};
                return cwmp::GetParameterNames{spec.object_name, false};
            },
            [&](const AddObjectTask& spec) -> cwmp::Body {
                return cwmp::AddObject{spec.object_name, task_.id};
            },
            [&](const DeleteObjectTask& spec) -> cwmp::Body {
                return cwmp::DeleteObject{spec.object_name, task_.id};
            },
            [&](const RebootTask&) -> cwmp::Body { return cwmp::Reboot{task_.id}; },
            [&](const FactoryResetTask&) -> cwmp::Body { return cwmp::FactoryReset{}; },
            [&](const SetParameterAttributesTask& spec) -> cwmp::Body {
                return cwmp::SetParameterAttributes{spec.parameter_list};
            },
            [&](const DownloadTask& spec) -> cwmp::Body {
                cwmp::Download download;
                download.command_key = task_.id;
                download.file_type = spec.file_type;
                download.url = spec.url;
                download.file_size = static_cast<std::uint32_t>(spec.file_size);
                download.target_file_name = spec.target_file_name;
                download.delay_seconds = 0;
                return download;
            },
        },
        task_.spec);
}

TaskExecution::Outcome TaskExecution::unexpected(const cwmp::Body& answer,
                                                 std::string_view expected, TimePoint now) const {
    return {Status::Faulted, TaskFault{"unexpected_response",
                                       fmt::format("expected {}, the CPE answered {}", expected,
                                                   cwmp::method_name(answer)),
                                       std::nullopt, now}};
}

TaskExecution::Outcome TaskExecution::accept(const cwmp::Body& answer, Registry& registry,
                                             TimePoint now) {
    if (const auto* fault = std::get_if<cwmp::Fault>(&answer)) {
        return {Status::Faulted, cpe_fault(*fault, now)};
    }
    const std::string& device = task_.device_id;
    return std::visit(
        Overloaded{
            [&](const GetParameterValuesTask&) -> Outcome {
                const auto* response = std::get_if<cwmp::GetParameterValuesResponse>(&answer);
                if (response == nullptr) {
                    return unexpected(answer, "GetParameterValuesResponse", now);
                }
                registry.store_values(device, response->parameter_list, now);
                return {Status::Done, std::nullopt};
            },
            [&](const SetParameterValuesTask& spec) -> Outcome {
                if (!std::holds_alternative<cwmp::SetParameterValuesResponse>(answer)) {
                    return unexpected(answer, "SetParameterValuesResponse", now);
                }
                // Status 1 (applied after a reboot) still means the CPE
                // committed the values, so the cache takes them either way.
                registry.store_values(device, spec.parameter_values, now);
                return {Status::Done, std::nullopt};
            },
            [&](const RefreshObjectTask&) -> Outcome {
                return accept_refresh(answer, registry, now);
            },
            [&](const AddObjectTask& spec) -> Outcome {
                const auto* response = std::get_if<cwmp::AddObjectResponse>(&answer);
                if (response == nullptr) return unexpected(answer, "AddObjectResponse", now);
                // A new instance can be deleted again: writable, as a
                // GetParameterNamesResponse would say.
                const std::string instance =
                    fmt::format("{}{}.", spec.object_name, response->instance_number);
                registry.store_names(device, instance, {{instance, true}}, false, now);
                return {Status::Done, std::nullopt};
            },
            [&](const DeleteObjectTask& spec) -> Outcome {
                if (!std::holds_alternative<cwmp::DeleteObjectResponse>(answer)) {
                    return unexpected(answer, "DeleteObjectResponse", now);
                }
                registry.remove_subtree(device, spec.object_name);
                return {Status::Done, std::nullopt};
            },
            [&](const RebootTask&) -> Outcome {
                if (!std::holds_alternative<cwmp::RebootResponse>(answer)) {
                    return unexpected(answer, "RebootResponse", now);
                }
                return {Status::Done, std::nullopt};
            },
            [&](const FactoryResetTask&) -> Outcome {
                if (!std::holds_alternative<cwmp::FactoryResetResponse>(answer)) {
                    return unexpected(answer, "FactoryResetResponse", now);
                }
                return {Status::Done, std::nullopt};
            },
            [&](const SetParameterAttributesTask& spec) -> Outcome {
                if (!std::holds_alternative<cwmp::SetParameterAttributesResponse>(answer)) {
                    return unexpected(answer, "SetParameterAttributesResponse", now);
                }
                std::vector<std::pair<std::string, int>> notifications;
                for (const auto& change : spec.parameter_list) {
                    if (change.notification_change) {
                        notifications.emplace_back(change.name, change.notification);
                    }
                }
                registry.store_notifications(device, notifications, now);
                return {Status::Done, std::nullopt};
            },
            [&](const DownloadTask&) -> Outcome {
                const auto* response = std::get_if<cwmp::DownloadResponse>(&answer);
                if (response == nullptr) return unexpected(answer, "DownloadResponse", now);
                // TR-069 A.3.2.8: Status 0 is a download already completed
                // and applied, after which no TransferComplete follows.
                if (response->status == 0) return {Status::Done, std::nullopt};
                return {Status::AwaitingTransfer, std::nullopt};
            },
        },
        task_.spec);
}

TaskExecution::Outcome TaskExecution::accept_refresh(const cwmp::Body& answer, Registry& registry,
                                                     TimePoint now) {
    const auto& spec = std::get<RefreshObjectTask>(task_.spec);
    if (!refresh_values_) {
        const auto* response = std::get_if<cwmp::GetParameterNamesResponse>(&answer);
        if (response == nullptr) return unexpected(answer, "GetParameterNamesResponse", now);
        registry.store_names(task_.device_id, spec.object_name, response->parameter_list, true,
                             now);
        for (const auto& info : response->parameter_list) {
            if (!info.name.empty() && info.name.back() != '.') refresh_names_.push_back(info.name);
        }
        if (refresh_names_.empty()) return {Status::Done, std::nullopt};
        refresh_values_ = true;
        return {Status::Continue, std::nullopt};
    }
    const auto* response = std::get_if<cwmp::GetParameterValuesResponse>(&answer);
    if (response == nullptr) return unexpected(answer, "GetParameterValuesResponse", now);
    registry.store_values(task_.device_id, response->parameter_list, now);
    return {Status::Done, std::nullopt};
}

}  // namespace acssim
