#include "registry/task.hpp"

namespace acssim {

namespace {

struct NameOf {
    std::string_view operator()(const GetParameterValuesTask&) const {
        return "getParameterValues";
    }
    std::string_view operator()(const SetParameterValuesTask&) const {
        return "setParameterValues";
    }
    std::string_view operator()(const RefreshObjectTask&) const { return "refreshObject"; }
    std::string_view operator()(const AddObjectTask&) const { return "addObject"; }
    std::string_view operator()(const DeleteObjectTask&) const { return "deleteObject"; }
    std::string_view operator()(const RebootTask&) const { return "reboot"; }
    std::string_view operator()(const FactoryResetTask&) const { return "factoryReset"; }
    std::string_view operator()(const SetParameterAttributesTask&) const {
        return "setParameterAttributes";
    }
    std::string_view operator()(const DownloadTask&) const { return "download"; }
};

}  // namespace

std::string_view task_name(const TaskSpec& spec) {
    return std::visit(NameOf{}, spec);
}

std::string_view to_string(TaskState state) {
    switch (state) {
        case TaskState::Pending:
            return "pending";
        case TaskState::Transferring:
            return "transferring";
        case TaskState::Done:
            return "done";
        case TaskState::Fault:
            return "fault";
    }
    return "unknown";
}

std::string fault_id(const Task& task) {
    return task.device_id + ":task_" + task.id;
}

}  // namespace acssim
