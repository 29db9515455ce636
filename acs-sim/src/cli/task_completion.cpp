#include "cli/task_completion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace acssim::cli {

namespace {

using Clock = std::chrono::steady_clock;

void request_session(NbiClient& nbi, const std::string& device_id, const NoteSink& note) {
    auto reply = nbi.request_session(device_id);
    std::string problem;
    if (!reply) {
        problem = reply.error();
    } else if (reply->status >= 300) {
        problem = fmt::format("the NBI answered {}: {}", reply->status, nbi_error_message(*reply));
    }
    if (!problem.empty() && note) {
        note(
            fmt::format("connection request to {} not made ({}); the task waits for the "
                        "device's next session",
                        device_id, problem));
    }
}

}  // namespace

std::string describe_fault(const Json& fault) {
    std::string text = fmt::format("{}: {}", fault.value("code", std::string{"fault"}),
                                   fault.value("message", std::string{}));
    if (fault.contains("detail") && fault["detail"].is_object() &&
        fault["detail"].contains("setParameterValuesFault") &&
        fault["detail"]["setParameterValuesFault"].is_array()) {
        for (const auto& entry : fault["detail"]["setParameterValuesFault"]) {
            if (!entry.is_object()) continue;
            text += fmt::format(" [{} {}]", entry.value("parameterName", std::string{}),
                                entry.value("faultCode", std::string{}));
        }
    }
    return text;
}

phonecwmp::Expected<TaskResult, std::string> run_task(NbiClient& nbi, const std::string& device_id,
                                                      const Json& task, Clock::time_point deadline,
                                                      const TaskRunOptions& options,
                                                      const NoteSink& note) {
    const auto start = Clock::now();
    auto queued = nbi.queue_task(device_id, task, false);
    if (!queued) return phonecwmp::Unexpected(queued.error());
    TaskResult result;
    result.task_id = queued->task["_id"].get<std::string>();
    if (options.connection_request) request_session(nbi, device_id, note);
    while (true) {
        auto open = nbi.open_task(result.task_id);
        if (!open) return phonecwmp::Unexpected(open.error());
        if (!*open) return result;  // done: GenieACS keeps no done tasks
        const Json& document = **open;
        if (document.contains("fault") && document["fault"].is_object()) {
            result.fault = document["fault"];
            if (options.delete_faulted) {
                if (auto deleted = nbi.delete_task(result.task_id); !deleted) {
                    return phonecwmp::Unexpected(deleted.error());
                }
            }
            return result;
        }
        if (Clock::now() >= deadline) {
            const double waited = std::chrono::duration<double>(Clock::now() - start).count();
            if (options.delete_unfinished) {
                (void)nbi.delete_task(result.task_id);
                return phonecwmp::Unexpected(fmt::format(
                    "task {} not done after {:.1f} s (no session from the device in time?); "
                    "deleted",
                    result.task_id, waited));
            }
            return phonecwmp::Unexpected(fmt::format(
                "task {} not done after {:.1f} s; it stays queued for the device's next session",
                result.task_id, waited));
        }
        std::this_thread::sleep_until(std::min(Clock::now() + options.poll_interval, deadline));
    }
}

}  // namespace acssim::cli
