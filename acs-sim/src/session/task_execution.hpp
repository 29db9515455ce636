// Runs one task inside a CWMP session: which RPC(s) to send, and what the
// CPE's answers mean for the parameter cache and for the task.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cwmp/messages.hpp"
#include "registry/registry.hpp"
#include "registry/task.hpp"

namespace acssim {

class TaskExecution {
public:
    enum class Status {
        Continue,  // the task needs another RPC: send request() again
        Done,
        // The CPE accepted a Download and will report it with TransferComplete.
        AwaitingTransfer,
        Faulted,
    };
    struct Outcome {
        Status status = Status::Done;
        std::optional<TaskFault> fault;  // set when Faulted
    };

    explicit TaskExecution(Task task);

    const Task& task() const { return task_; }

    // The ACS request for the current step of the task.
    cwmp::Body request() const;

    // The CPE's answer to request(): a response or a Fault. Updates the
    // device's cache in `registry`; does not change the task's state there
    // (the session does, from the outcome).
    Outcome accept(const cwmp::Body& answer, Registry& registry, TimePoint now);

private:
    Outcome accept_refresh(const cwmp::Body& answer, Registry& registry, TimePoint now);
    Outcome unexpected(const cwmp::Body& answer, std::string_view expected, TimePoint now) const;

    Task task_;
    // refreshObject: false while its GetParameterNames is outstanding, then
    // true with the parameters whose values it fetches.
    bool refresh_values_ = false;
    std::vector<std::string> refresh_names_;
};

}  // namespace acssim
