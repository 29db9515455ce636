// Runs a scenario against an ACS's northbound API and writes a report: one
// line per step, PASS or FAIL with the reason. It stops at the first
// failure. Every wait is bounded by the step's timeout and by the
// scenario's total timeout.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "cli/nbi_client.hpp"
#include "scenario/inform_source.hpp"
#include "scenario/scenario.hpp"

namespace acssim::scenario {

struct RunnerOptions {
    std::chrono::milliseconds poll_interval{200};
    // Ask the NBI for a connection request after queueing each task, so the
    // device runs it at once rather than at its next periodic Inform.
    bool connection_request = true;
};

struct RunResult {
    bool passed = false;
    int steps_passed = 0;
    int failed_step = 0;  // 0 when the device never appeared or all passed
    std::string reason;   // why it failed
};

class ScenarioRunner {
public:
    ScenarioRunner(cli::NbiClient& nbi, InformSource& informs, std::ostream& report,
                   RunnerOptions options = {});

    RunResult run(const Scenario& scenario);

private:
    using Clock = std::chrono::steady_clock;
    struct StepOutcome {
        bool passed = false;
        std::string detail;  // the reason of a failure, or what a pass saw
    };

    StepOutcome run_step(const Step& step, Clock::time_point deadline,
                         Clock::time_point total_deadline);
    StepOutcome run_task(const TaskStep& step, Clock::time_point deadline);
    StepOutcome run_expect_values(const ExpectValuesStep& step, Clock::time_point deadline);
    StepOutcome wait_for_inform(const std::vector<std::string>& events, bool reboot,
                                Clock::time_point deadline);

    // Runs a task to its end: null when done, else the task's "fault".
    phonecwmp::Expected<Json, std::string> execute_task(const Json& task,
                                                        Clock::time_point deadline);
    void pause(Clock::time_point deadline) const;

    cli::NbiClient& nbi_;
    InformSource& informs_;
    std::ostream& report_;
    RunnerOptions options_;
    std::string device_id_;
    // The device's Inform state when the previous step started: a wait for
    // an Inform looks for a newer one, so an Inform that came while the
    // runner was still polling the previous step is not missed.
    InformState baseline_;
    bool connection_request_note_given_ = false;
};

}  // namespace acssim::scenario
