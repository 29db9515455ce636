#include "scenario/scenario_parser.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "nbi/task_request.hpp"

namespace acssim::scenario {

namespace {

using Error = phonecwmp::Unexpected<std::string>;

// Where a problem is, for messages: "" (top level), "step 3" or "step 3 (\"label\")".
struct Location {
    std::string where;
    std::string member(std::string_view name) const {
        return where.empty() ? fmt::format("\"{}\"", name) : fmt::format("{}, \"{}\"", where, name);
    }
};

// Seconds as a JSON number (fractions allowed), within (0, max].
phonecwmp::Expected<std::chrono::milliseconds, std::string> parse_seconds(
    const Json& value, const std::string& what, std::chrono::seconds max) {
    if (!value.is_number()) {
        return Error(fmt::format("{}: must be a number of seconds, got {}", what, value.dump()));
    }
    const double seconds = value.get<double>();
    if (!std::isfinite(seconds) || seconds <= 0 || seconds > static_cast<double>(max.count())) {
        return Error(fmt::format("{}: must be more than 0 and at most {} seconds, got {}", what,
                                 max.count(), value.dump()));
    }
    return std::chrono::milliseconds{static_cast<long long>(std::llround(seconds * 1000))};
}

phonecwmp::Expected<std::vector<std::string>, std::string> parse_events(const Json& value,
                                                                        const std::string& what,
                                                                        std::size_t max_items) {
    if (!value.is_array()) {
        return Error(
            fmt::format("{}: must be an array of event codes, got {}", what, value.dump()));
    }
    if (value.size() > max_items) {
        return Error(fmt::format("{}: more than {} event codes", what, max_items));
    }
    std::vector<std::string> events;
    for (const auto& event : value) {
        if (!event.is_string() || event.get<std::string>().empty() ||
            event.get<std::string>().size() > 64) {
            return Error(fmt::format(
                "{}: every event code must be a non-empty string of at most 64 characters "
                "(\"1 BOOT\", \"M Reboot\"), got {}",
                what, event.dump()));
        }
        events.push_back(event.get<std::string>());
    }
    return events;
}

// {"events": [...]} with nothing else; `required` when the list may not be absent.
phonecwmp::Expected<std::vector<std::string>, std::string> parse_event_object(
    const Json& value, const std::string& what, bool required, std::size_t max_items) {
    if (!value.is_object()) {
        return Error(fmt::format("{}: must be an object like {{\"events\": [\"1 BOOT\"]}}, got {}",
                                 what, value.dump()));
    }
    for (const auto& [key, member] : value.items()) {
        if (key != "events") return Error(fmt::format("{}: unknown member \"{}\"", what, key));
    }
    if (!value.contains("events")) {
        if (required) return Error(fmt::format("{}: \"events\" is missing", what));
        return std::vector<std::string>{};
    }
    auto events = parse_events(value["events"], what + ".events", max_items);
    if (events && required && events->empty()) {
        return Error(fmt::format("{}.events: lists no event", what));
    }
    return events;
}

std::string expected_text(const Json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

phonecwmp::Expected<ExpectValuesStep, std::string> parse_expect_values(const Json& value,
                                                                       const std::string& what,
                                                                       std::size_t max_items) {
    if (!value.is_object() || value.empty()) {
        return Error(fmt::format(
            "{}: must be a non-empty object of parameter names and expected values, got {}", what,
            value.dump()));
    }
    if (value.size() > max_items) {
        return Error(fmt::format("{}: more than {} parameters", what, max_items));
    }
    ExpectValuesStep step;
    for (const auto& [name, expected] : value.items()) {
        const std::string where = fmt::format("{}[\"{}\"]", what, name);
        if (name.empty() || name.back() == '.') {
            return Error(
                fmt::format("{}: a parameter name (not empty, not an object path)", where));
        }
        ValueExpectation expectation;
        expectation.parameter = name;
        if (expected.is_string() || expected.is_number() || expected.is_boolean()) {
            expectation.text = expected_text(expected);
        } else if (expected.is_object() && expected.size() == 1 && expected.contains("equals")) {
            const auto& equals = expected["equals"];
            if (!(equals.is_string() || equals.is_number() || equals.is_boolean())) {
                return Error(fmt::format("{}.equals: must be a string, number or boolean, got {}",
                                         where, equals.dump()));
            }
            expectation.text = expected_text(equals);
        } else if (expected.is_object() && expected.size() == 1 && expected.contains("regex")) {
            const auto& regex = expected["regex"];
            if (!regex.is_string()) {
                return Error(
                    fmt::format("{}.regex: must be a string, got {}", where, regex.dump()));
            }
            expectation.kind = ValueExpectation::Kind::Regex;
            expectation.text = regex.get<std::string>();
            try {
                expectation.pattern = std::regex(expectation.text, std::regex::ECMAScript);
            } catch (const std::regex_error& error) {
                return Error(fmt::format("{}.regex: \"{}\" is not a regular expression: {}", where,
                                         expectation.text, error.what()));
            }
        } else {
            return Error(fmt::format(
                "{}: must be a value, {{\"equals\": value}} or {{\"regex\": \"pattern\"}}, got {}",
                where, expected.dump()));
        }
        step.expectations.push_back(std::move(expectation));
    }
    return step;
}

std::string describe(const StepAction& action) {
    struct Describe {
        std::string operator()(const TaskStep& step) const {
            std::string text = step.task.value("name", std::string{"task"});
            if (step.expect_fault) text += fmt::format(" expecting fault {}", *step.expect_fault);
            return text;
        }
        std::string operator()(const ExpectValuesStep& step) const {
            return fmt::format("expect values of {} parameter{}", step.expectations.size(),
                               step.expectations.size() == 1 ? "" : "s");
        }
        std::string operator()(const ExpectInformStep& step) const {
            return fmt::format("expect an Inform with {}", fmt::join(step.events, ", "));
        }
        std::string operator()(const WaitRebootStep&) const { return "wait for a reboot"; }
        std::string operator()(const SleepStep& step) const {
            return fmt::format("sleep {} ms", step.duration.count());
        }
    };
    return std::visit(Describe{}, action);
}

constexpr std::string_view kActions[] = {"task", "expect_values", "expect_inform", "wait_reboot",
                                         "sleep"};

phonecwmp::Expected<Step, std::string> parse_step(const Json& value, int number,
                                                  const ScenarioLimits& limits) {
    Location location{fmt::format("step {}", number)};
    if (!value.is_object()) {
        return Error(fmt::format("{}: must be an object, got {}", location.where, value.dump()));
    }
    Step step;
    step.number = number;
    if (value.contains("name")) {
        if (!value["name"].is_string()) {
            return Error(fmt::format("{}: must be a string", location.member("name")));
        }
        step.label = value["name"].get<std::string>();
        location.where = fmt::format("step {} (\"{}\")", number, step.label);
    }
    static const std::set<std::string, std::less<>> known = {
        "name",          "timeout",       "task",        "expect_fault",
        "expect_values", "expect_inform", "wait_reboot", "sleep"};
    for (const auto& [key, member] : value.items()) {
        if (!known.contains(key)) {
            return Error(
                fmt::format("{}: unknown member \"{}\" (a step has \"name\", "
                            "\"timeout\" and one of task, expect_values, "
                            "expect_inform, wait_reboot, sleep)",
                            location.where, key));
        }
    }
    std::string action_name;
    for (auto name : kActions) {
        if (!value.contains(name)) continue;
        if (!action_name.empty()) {
            return Error(fmt::format("{}: has both \"{}\" and \"{}\"; one action per step",
                                     location.where, action_name, name));
        }
        action_name = name;
    }
    if (action_name.empty()) {
        return Error(fmt::format(
            "{}: no action (one of task, expect_values, expect_inform, wait_reboot, sleep)",
            location.where));
    }
    if (value.contains("expect_fault") && action_name != "task") {
        return Error(fmt::format("{}: only a \"task\" step can expect a fault",
                                 location.member("expect_fault")));
    }

    step.timeout = limits.default_step_timeout;
    if (value.contains("timeout")) {
        auto timeout =
            parse_seconds(value["timeout"], location.member("timeout"), limits.max_total_timeout);
        if (!timeout) return Error(timeout.error());
        step.timeout = *timeout;
    }

    const Json& body = value[action_name];
    const std::string where = location.member(action_name);
    if (action_name == "task") {
        if (!body.is_object()) {
            return Error(fmt::format("{}: must be an NBI task object, got {}", where, body.dump()));
        }
        // The simulator's own task parser: what it accepts here, the NBI accepts.
        auto checked =
            parse_task_request(body, [](std::string_view) { return std::optional<std::string>{}; });
        if (!checked) return Error(fmt::format("{}: {}", where, checked.error()));
        TaskStep task{body, std::nullopt};
        if (value.contains("expect_fault")) {
            const auto& fault = value["expect_fault"];
            const bool valid = fault.is_number_unsigned() && fault.get<std::uint64_t>() >= 8000 &&
                               fault.get<std::uint64_t>() <= 9899;
            if (!valid) {
                return Error(fmt::format("{}: must be a CWMP fault code (8000-9899), got {}",
                                         location.member("expect_fault"), fault.dump()));
            }
            task.expect_fault = fault.get<std::uint32_t>();
        }
        step.action = std::move(task);
    } else if (action_name == "expect_values") {
        auto parsed = parse_expect_values(body, where, limits.max_items);
        if (!parsed) return Error(parsed.error());
        step.action = std::move(*parsed);
    } else if (action_name == "expect_inform") {
        auto events = parse_event_object(body, where, true, limits.max_items);
        if (!events) return Error(events.error());
        step.action = ExpectInformStep{std::move(*events)};
    } else if (action_name == "wait_reboot") {
        auto events = parse_event_object(body, where, false, limits.max_items);
        if (!events) return Error(events.error());
        step.action = WaitRebootStep{std::move(*events)};
    } else {
        auto duration = parse_seconds(body, where, limits.max_sleep);
        if (!duration) return Error(duration.error());
        step.action = SleepStep{*duration};
        // A sleep is bounded by its own length, not by the default step timeout.
        step.timeout = *duration;
    }
    if (step.label.empty()) step.label = describe(step.action);
    return step;
}

phonecwmp::Expected<DeviceSelector, std::string> parse_device(const Json& value,
                                                              std::chrono::milliseconds& timeout,
                                                              const ScenarioLimits& limits) {
    if (!value.is_object()) {
        return Error(fmt::format(
            "\"device\": must be an object like {{\"id\": \"...\"}} or {{\"query\": {{...}}}}, "
            "got {}",
            value.dump()));
    }
    for (const auto& [key, member] : value.items()) {
        if (key != "id" && key != "query" && key != "timeout") {
            return Error(fmt::format("\"device\": unknown member \"{}\"", key));
        }
    }
    const bool has_id = value.contains("id");
    const bool has_query = value.contains("query");
    if (has_id == has_query) {
        return Error(std::string{"\"device\": needs exactly one of \"id\" and \"query\""});
    }
    DeviceSelector selector;
    if (has_id) {
        if (!value["id"].is_string() || value["id"].get<std::string>().empty()) {
            return Error(fmt::format("\"device.id\": must be a non-empty string, got {}",
                                     value["id"].dump()));
        }
        selector.id = value["id"].get<std::string>();
    } else {
        if (!value["query"].is_object() || value["query"].empty()) {
            return Error(
                fmt::format("\"device.query\": must be a non-empty NBI query object such as "
                            "{{\"_deviceId._SerialNumber\": \"SN1\"}}, got {}",
                            value["query"].dump()));
        }
        selector.query = value["query"];
    }
    timeout = limits.default_device_timeout;
    if (value.contains("timeout")) {
        auto parsed =
            parse_seconds(value["timeout"], "\"device.timeout\"", limits.max_total_timeout);
        if (!parsed) return Error(parsed.error());
        timeout = *parsed;
    }
    return selector;
}

}  // namespace

phonecwmp::Expected<Scenario, std::string> parse_scenario(std::string_view text,
                                                          const ScenarioLimits& limits) {
    if (text.size() > limits.max_file_bytes) {
        return Error(fmt::format("the scenario is larger than {} bytes", limits.max_file_bytes));
    }
    Json document;
    try {
        document = Json::parse(text);
    } catch (const Json::exception& error) {  // parse_error, or out_of_range: 1e999
        return Error(fmt::format("not valid JSON: {}", error.what()));
    }
    if (!document.is_object()) {
        return Error(
            std::string{"the scenario must be a JSON object with \"device\" and \"steps\""});
    }
    for (const auto& [key, member] : document.items()) {
        if (key != "name" && key != "timeout" && key != "device" && key != "steps") {
            return Error(fmt::format(
                "unknown member \"{}\" (a scenario has name, timeout, device, steps)", key));
        }
    }
    Scenario scenario;
    if (document.contains("name")) {
        if (!document["name"].is_string()) return Error(std::string{"\"name\": must be a string"});
        scenario.name = document["name"].get<std::string>();
    }
    scenario.total_timeout = limits.default_total_timeout;
    if (document.contains("timeout")) {
        auto timeout = parse_seconds(document["timeout"], "\"timeout\"", limits.max_total_timeout);
        if (!timeout) return Error(timeout.error());
        scenario.total_timeout = *timeout;
    }
    if (!document.contains("device")) return Error(std::string{"\"device\" is missing"});
    auto device = parse_device(document["device"], scenario.device_timeout, limits);
    if (!device) return Error(device.error());
    scenario.device = std::move(*device);

    if (!document.contains("steps")) return Error(std::string{"\"steps\" is missing"});
    const auto& steps = document["steps"];
    if (!steps.is_array() || steps.empty()) {
        return Error(std::string{"\"steps\": must be a non-empty array"});
    }
    if (steps.size() > limits.max_steps) {
        return Error(fmt::format("\"steps\": more than {} steps", limits.max_steps));
    }
    int number = 0;
    for (const auto& value : steps) {
        auto step = parse_step(value, ++number, limits);
        if (!step) return Error(step.error());
        scenario.steps.push_back(std::move(*step));
    }
    return scenario;
}

phonecwmp::Expected<Scenario, std::string> load_scenario_file(const std::string& path,
                                                              const ScenarioLimits& limits) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error(fmt::format("{}: cannot open the file", path));
    std::string text;
    text.resize(limits.max_file_bytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return Error(fmt::format("{}: cannot read the file", path));
    text.resize(static_cast<std::size_t>(in.gcount()));
    auto scenario = parse_scenario(text, limits);
    if (!scenario) return Error(fmt::format("{}: {}", path, scenario.error()));
    return scenario;
}

}  // namespace acssim::scenario
