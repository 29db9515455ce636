// Runs one task on a device through the NBI and waits for its end: queue it,
// ask for a connection request so the device starts a session now, then
// poll the task until it is done (GenieACS forgets it) or faulted.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "cli/nbi_client.hpp"

namespace acssim::cli {

struct TaskRunOptions {
    std::chrono::milliseconds poll_interval{200};
    // Without it the task waits for the device's next periodic session.
    bool connection_request = true;
    // A faulted task stays in the device's queue (and holds back the tasks
    // after it) until deleted; a scenario deletes it once it has the fault.
    bool delete_faulted = true;
    // Delete a task that did not end in time, instead of leaving it queued.
    bool delete_unfinished = true;
};

struct TaskResult {
    std::string task_id;
    Json fault;  // null when the task is done, else its "fault" object
};

// Told once per call when the connection request could not be made (the
// task then waits for the device's next session).
using NoteSink = std::function<void(const std::string&)>;

// The error names the NBI failure, or says the task did not end before
// `deadline` (and whether it is still queued).
phonecwmp::Expected<TaskResult, std::string> run_task(
    NbiClient& nbi, const std::string& device_id, const Json& task,
    std::chrono::steady_clock::time_point deadline, const TaskRunOptions& options,
    const NoteSink& note);

// "cwmp.9003: Invalid arguments [Device.X 9007]" from a task's "fault".
std::string describe_fault(const Json& fault);

}  // namespace acssim::cli
