#include "scenario/scenario_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "cli/task_completion.hpp"

namespace acssim::scenario {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double seconds_of(std::chrono::milliseconds duration) {
    return std::chrono::duration<double>(duration).count();
}

// The cached leaf at a dotted path of a device document, or null.
const Json* find_leaf(const Json& document, std::string_view path) {
    const Json* node = &document;
    while (!path.empty()) {
        const auto dot = path.find('.');
        const std::string segment{path.substr(0, dot)};
        if (!node->is_object() || !node->contains(segment)) return nullptr;
        node = &(*node)[segment];
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    }
    return node;
}

std::string value_text(const Json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string quoted_list(const std::vector<std::string>& items) {
    if (items.empty()) return "no event";
    std::string text;
    for (const auto& item : items) {
        if (!text.empty()) text += ", ";
        text += '"' + item + '"';
    }
    return text;
}

// The CWMP fault codes of a task's "fault": the FaultCode and those of the
// SetParameterValuesFault entries. Empty when the fault is not the CPE's.
std::vector<std::uint32_t> cwmp_fault_codes(const Json& fault) {
    std::vector<std::uint32_t> codes;
    const std::string code = fault.value("code", std::string{});
    if (!code.starts_with("cwmp.")) return codes;
    try {
        codes.push_back(static_cast<std::uint32_t>(std::stoul(code.substr(5))));
    } catch (const std::exception&) {
        return codes;
    }
    if (fault.contains("detail") && fault["detail"].is_object()) {
        const auto& detail = fault["detail"];
        if (detail.contains("setParameterValuesFault") &&
            detail["setParameterValuesFault"].is_array()) {
            for (const auto& entry : detail["setParameterValuesFault"]) {
                try {
                    codes.push_back(static_cast<std::uint32_t>(
                        std::stoul(entry.value("faultCode", std::string{"0"}))));
                } catch (const std::exception&) {
                    // A code that is not a number cannot match an expectation.
                }
            }
        }
    }
    return codes;
}

bool carries_all(const InformState& state, const std::vector<std::string>& events) {
    return std::all_of(events.begin(), events.end(), [&](const std::string& event) {
        return std::find(state.events.begin(), state.events.end(), event) != state.events.end();
    });
}

}  // namespace

ScenarioRunner::ScenarioRunner(cli::NbiClient& nbi, InformSource& informs, std::ostream& report,
                               RunnerOptions options)
    : nbi_(nbi), informs_(informs), report_(report), options_(options) {}

void ScenarioRunner::pause(Clock::time_point deadline) const {
    const auto until = std::min(Clock::now() + options_.poll_interval, deadline);
    std::this_thread::sleep_until(until);
}

RunResult ScenarioRunner::run(const Scenario& scenario) {
    const auto start = Clock::now();
    const auto total_deadline = start + scenario.total_timeout;
    RunResult result;
    const std::string selector =
        scenario.device.id.empty()
            ? fmt::format("the device matching {}", scenario.device.query.dump())
            : fmt::format("device {}", scenario.device.id);
    report_ << fmt::format("scenario {}: {} steps against {}, waiting up to {:.1f} s for {}\n",
                           scenario.name.empty() ? "(unnamed)" : '"' + scenario.name + '"',
                           scenario.steps.size(), nbi_.base_url(),
                           seconds_of(scenario.device_timeout), selector)
            << std::flush;

    // The device: wait until the NBI lists it.
    const auto device_deadline = std::min(start + scenario.device_timeout, total_deadline);
    const Json query =
        scenario.device.id.empty() ? scenario.device.query : Json{{"_id", scenario.device.id}};
    std::string last_error;
    while (device_id_.empty()) {
        auto devices = nbi_.devices(query, "_id");
        if (!devices) {
            last_error = devices.error();
        } else if (!devices->empty()) {
            device_id_ = (*devices)[0].value("_id", std::string{});
            break;
        }
        if (Clock::now() >= device_deadline) break;
        pause(device_deadline);
    }
    if (device_id_.empty()) {
        result.reason =
            fmt::format("{} did not appear within {:.1f} s{}", selector, seconds_since(start),
                        last_error.empty() ? "" : " (last error: " + last_error + ")");
        report_ << "FAIL  " << result.reason << "\nFAILED before the first step\n" << std::flush;
        return result;
    }
    auto baseline = informs_.latest(device_id_, device_deadline);
    if (baseline && *baseline) baseline_ = **baseline;
    report_ << fmt::format("device {} found after {:.1f} s (last Inform {})\n", device_id_,
                           seconds_since(start), baseline_.last_inform)
            << std::flush;

    const auto step_count = scenario.steps.size();
    for (const auto& step : scenario.steps) {
        const auto step_start = Clock::now();
        const auto deadline = std::min(step_start + step.timeout, total_deadline);
        StepOutcome outcome;
        if (step_start >= total_deadline) {
            outcome.detail = fmt::format("the scenario's timeout ({:.1f} s) is used up",
                                         seconds_of(scenario.total_timeout));
        } else {
            outcome = run_step(step, deadline, total_deadline);
        }
        const std::string line =
            fmt::format("step {}/{} {}  {} ({:.1f} s){}", step.number, step_count,
                        outcome.passed ? "PASS" : "FAIL", step.label, seconds_since(step_start),
                        outcome.detail.empty() ? "" : ": " + outcome.detail);
        report_ << line << '\n' << std::flush;
        if (!outcome.passed) {
            result.failed_step = step.number;
            result.reason = outcome.detail;
            report_ << fmt::format("FAILED at step {} of {} after {:.1f} s\n", step.number,
                                   step_count, seconds_since(start))
                    << std::flush;
            return result;
        }
        ++result.steps_passed;
    }
    result.passed = true;
    report_ << fmt::format("PASSED: {} steps in {:.1f} s\n", step_count, seconds_since(start))
            << std::flush;
    return result;
}

ScenarioRunner::StepOutcome ScenarioRunner::run_step(const Step& step, Clock::time_point deadline,
                                                     Clock::time_point total_deadline) {
    // Waiting steps look for an Inform newer than the state before the
    // previous step; the others move that mark to now.
    const bool waits_for_inform = std::holds_alternative<ExpectInformStep>(step.action) ||
                                  std::holds_alternative<WaitRebootStep>(step.action);
    if (waits_for_inform) {
        if (const auto* expect = std::get_if<ExpectInformStep>(&step.action)) {
            return wait_for_inform(expect->events, false, deadline);
        }
        return wait_for_inform(std::get<WaitRebootStep>(step.action).events, true, deadline);
    }
    if (auto state = informs_.latest(device_id_, deadline); state && *state) baseline_ = **state;

    if (const auto* task = std::get_if<TaskStep>(&step.action)) return run_task(*task, deadline);
    if (const auto* values = std::get_if<ExpectValuesStep>(&step.action)) {
        return run_expect_values(*values, deadline);
    }
    const auto& sleep = std::get<SleepStep>(step.action);
    // A sleep is its own bound; only the scenario's timeout can cut it short.
    if (Clock::now() + sleep.duration > total_deadline) {
        return {false, "the sleep would outlast the scenario's timeout"};
    }
    std::this_thread::sleep_for(sleep.duration);
    return {true, {}};
}

phonecwmp::Expected<Json, std::string> ScenarioRunner::execute_task(const Json& task,
                                                                    Clock::time_point deadline) {
    cli::TaskRunOptions options;
    options.poll_interval = options_.poll_interval;
    options.connection_request = options_.connection_request;
    auto result =
        cli::run_task(nbi_, device_id_, task, deadline, options, [this](const std::string& note) {
            if (connection_request_note_given_) return;
            connection_request_note_given_ = true;
            report_ << "note: " << note << '\n' << std::flush;
        });
    if (!result) return phonecwmp::Unexpected(result.error());
    return std::move(result->fault);
}

ScenarioRunner::StepOutcome ScenarioRunner::run_task(const TaskStep& step,
                                                     Clock::time_point deadline) {
    auto fault = execute_task(step.task, deadline);
    if (!fault) return {false, fault.error()};
    if (fault->is_null()) {
        if (step.expect_fault) {
            return {false,
                    fmt::format("the device accepted it; expected fault {}", *step.expect_fault)};
        }
        return {true, {}};
    }
    if (!step.expect_fault) return {false, "the task faulted: " + cli::describe_fault(*fault)};
    const auto codes = cwmp_fault_codes(*fault);
    if (std::find(codes.begin(), codes.end(), *step.expect_fault) == codes.end()) {
        return {false, fmt::format("expected fault {}, got {}", *step.expect_fault,
                                   cli::describe_fault(*fault))};
    }
    return {true, "faulted as expected: " + cli::describe_fault(*fault)};
}

ScenarioRunner::StepOutcome ScenarioRunner::run_expect_values(const ExpectValuesStep& step,
                                                              Clock::time_point deadline) {
    Json names = Json::array();
    std::string projection;
    for (const auto& expectation : step.expectations) {
        names.push_back(expectation.parameter);
        if (!projection.empty()) projection += ',';
        projection += expectation.parameter;
    }
    auto fault =
        execute_task(Json{{"name", "getParameterValues"}, {"parameterNames", names}}, deadline);
    if (!fault) return {false, fault.error()};
    if (!fault->is_null())
        return {false, "getParameterValues faulted: " + cli::describe_fault(*fault)};

    auto devices = nbi_.devices(Json{{"_id", device_id_}}, projection);
    if (!devices) return {false, devices.error()};
    if (devices->empty()) return {false, fmt::format("device {} is gone from the NBI", device_id_)};
    const Json& device = (*devices)[0];
    std::vector<std::string> problems;
    for (const auto& expectation : step.expectations) {
        const Json* leaf = find_leaf(device, expectation.parameter);
        if (leaf == nullptr || !leaf->is_object() || !leaf->contains("_value")) {
            problems.push_back(
                fmt::format("{} has no value in the device's answer", expectation.parameter));
            continue;
        }
        const std::string actual = value_text((*leaf)["_value"]);
        if (expectation.kind == ValueExpectation::Kind::Equals) {
            if (actual != expectation.text) {
                problems.push_back(fmt::format("{} is \"{}\", expected \"{}\"",
                                               expectation.parameter, actual, expectation.text));
            }
        } else if (!std::regex_search(actual, expectation.pattern)) {
            problems.push_back(fmt::format("{} is \"{}\", which does not match /{}/",
                                           expectation.parameter, actual, expectation.text));
        }
    }
    if (problems.empty()) return {true, {}};
    std::string detail;
    for (const auto& problem : problems) detail += (detail.empty() ? "" : "; ") + problem;
    return {false, detail};
}

ScenarioRunner::StepOutcome ScenarioRunner::wait_for_inform(const std::vector<std::string>& events,
                                                            bool reboot,
                                                            Clock::time_point deadline) {
    std::vector<std::string> wanted = events;
    for (const auto& event : wanted) {
        if (!informs_.sees_every_event() && event != "1 BOOT" && event != "0 BOOTSTRAP") {
            return {false, fmt::format("event \"{}\" cannot be seen through {} (it shows only "
                                       "\"1 BOOT\" and \"0 BOOTSTRAP\"); run the scenario "
                                       "in-process, without --nbi, or against acs-sim's NBI",
                                       event, informs_.description())};
        }
    }
    const auto start = Clock::now();
    std::optional<InformState> last_new;
    std::string last_error;
    while (true) {
        auto state = informs_.latest(device_id_, deadline);
        if (!state) {
            last_error = state.error();
        } else if (*state && (*state)->last_inform != baseline_.last_inform) {
            const InformState& current = **state;
            const bool booted = !current.last_boot.empty() &&
                                current.last_boot != baseline_.last_boot &&
                                current.last_boot == current.last_inform;
            baseline_ = current;
            last_new = current;
            if ((!reboot || booted) && carries_all(current, wanted)) {
                return {true, fmt::format("Inform at {} with {}", current.last_inform,
                                          quoted_list(current.events))};
            }
        }
        if (Clock::now() >= deadline) break;
        pause(deadline);
    }
    std::string want = reboot ? "an Inform with \"1 BOOT\"" : "an Inform";
    if (!wanted.empty()) want += " carrying " + quoted_list(wanted);
    std::string seen = last_new ? fmt::format("; the last one ({}) carried {}",
                                              last_new->last_inform, quoted_list(last_new->events))
                                : "; no Inform came";
    if (!last_error.empty()) seen += " (last error: " + last_error + ")";
    return {false, fmt::format("no {} within {:.1f} s{}", want, seconds_since(start), seen)};
}

}  // namespace acssim::scenario
