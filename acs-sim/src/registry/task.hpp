// Tasks: what an NBI client asked the simulator to do to a device in its next
// session, and how that went.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cwmp/messages.hpp"
#include "util/time_format.hpp"

namespace acssim {

// One struct per GenieACS task name.
struct GetParameterValuesTask {
    std::vector<std::string> parameter_names;
    friend bool operator==(const GetParameterValuesTask&, const GetParameterValuesTask&) = default;
};
struct SetParameterValuesTask {
    std::vector<cwmp::ParameterValue> parameter_values;  // each with its resolved xsi:type
    friend bool operator==(const SetParameterValuesTask&, const SetParameterValuesTask&) = default;
};
// GetParameterNames of the subtree (NextLevel false), then GetParameterValues of
// every parameter it lists; cache entries under the path that the CPE no
// longer lists are forgotten.
struct RefreshObjectTask {
    std::string object_name;
    friend bool operator==(const RefreshObjectTask&, const RefreshObjectTask&) = default;
};
struct AddObjectTask {
    std::string object_name;
    friend bool operator==(const AddObjectTask&, const AddObjectTask&) = default;
};
struct DeleteObjectTask {
    std::string object_name;
    friend bool operator==(const DeleteObjectTask&, const DeleteObjectTask&) = default;
};
struct RebootTask {
    friend bool operator==(const RebootTask&, const RebootTask&) = default;
};
struct FactoryResetTask {
    friend bool operator==(const FactoryResetTask&, const FactoryResetTask&) = default;
};
// Not a GenieACS task name: presets use it to change notification attributes.
struct SetParameterAttributesTask {
    std::vector<cwmp::SetParameterAttributesStruct> parameter_list;
    friend bool operator==(const SetParameterAttributesTask&,
                           const SetParameterAttributesTask&) = default;
};

// A Download of a file of the file store. The NBI resolves the file when the
// task is queued, so the task carries what the RPC says even if the file is
// replaced or removed later.
struct DownloadTask {
    std::string file_name;  // in the file store
    std::string file_type;  // "1 Firmware Upgrade Image", ...
    std::string url;        // where the file server serves it
    std::uint64_t file_size = 0;
    std::string target_file_name;
    friend bool operator==(const DownloadTask&, const DownloadTask&) = default;
};

using TaskSpec = std::variant<GetParameterValuesTask, SetParameterValuesTask, RefreshObjectTask,
                              AddObjectTask, DeleteObjectTask, RebootTask, FactoryResetTask,
                              SetParameterAttributesTask, DownloadTask>;

// The GenieACS name of a task: "getParameterValues", "refreshObject", ...
std::string_view task_name(const TaskSpec& spec);

enum class TaskState {
    Pending,  // waiting for the device's next session, or running in it
    // A download the CPE accepted (DownloadResponse Status 1): not sent
    // again, open until the TransferComplete whose CommandKey is the task id.
    Transferring,
    Done,   // the CPE answered every RPC of the task
    Fault,  // the CPE answered with a Fault, or the task could not complete
};

std::string_view to_string(TaskState state);

// Shaped like a GenieACS fault: code "cwmp.<FaultCode>" for a CPE's SOAP
// Fault, otherwise a word naming what went wrong ("unexpected_response",
// "session_terminated").
struct TaskFault {
    std::string code;
    std::string message;
    std::optional<cwmp::Fault> detail;  // the CPE's cwmp:Fault, when there was one
    TimePoint timestamp{};
    friend bool operator==(const TaskFault&, const TaskFault&) = default;
};

struct Task {
    std::string id;
    std::string device_id;
    TaskSpec spec;
    TimePoint timestamp{};  // when it was queued
    TaskState state = TaskState::Pending;
    std::optional<TaskFault> fault;  // set exactly when state is Fault
    // Sessions in which the task's first RPC was sent; a task whose session
    // keeps dying before the CPE answers faults after a bound, it is never
    // retried forever.
    unsigned attempts = 0;
    // Times an NBI client asked to retry it after a fault (GenieACS "retries").
    unsigned retries = 0;
};

// GenieACS's fault id: "<device id>:task_<task id>".
std::string fault_id(const Task& task);

}  // namespace acssim
