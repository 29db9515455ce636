// A CI scenario: which device to wait for, then steps that drive it through
// the northbound API and check what it answers. The file format is in
// docs/acs-sim.md ("Scenarios"); scenario_parser.hpp reads it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <variant>
#include <vector>

#include "nbi/documents.hpp"

namespace acssim::scenario {

// The device under test: by its id, or the first device a query matches.
struct DeviceSelector {
    std::string id;  // empty when `query` selects
    Json query;      // a GET /devices query object; null when `id` selects
};

struct ValueExpectation {
    enum class Kind { Equals, Regex };
    std::string parameter;
    Kind kind = Kind::Equals;
    // Equals: the expected value as text (a JSON number or boolean becomes
    // its JSON text, so 3 and "3" are the same). Regex: the pattern.
    std::string text;
    std::regex pattern;  // compiled `text`, for Regex
};

// One NBI task (the body of POST /devices/<id>/tasks), optionally expected
// to fault with a CWMP fault code.
struct TaskStep {
    Json task;
    std::optional<std::uint32_t> expect_fault;
};

// A getParameterValues task of the named parameters, then a comparison of
// each answered value.
struct ExpectValuesStep {
    std::vector<ValueExpectation> expectations;
};

// The device's next Inform (after the previous step ended) must carry
// every listed event code.
struct ExpectInformStep {
    std::vector<std::string> events;
};

// The device's next Inform that carries "1 BOOT" (and every listed event,
// e.g. "M Reboot").
struct WaitRebootStep {
    std::vector<std::string> events;
};

struct SleepStep {
    std::chrono::milliseconds duration{0};
};

using StepAction =
    std::variant<TaskStep, ExpectValuesStep, ExpectInformStep, WaitRebootStep, SleepStep>;

struct Step {
    int number = 0;     // 1-based, as the report shows it
    std::string label;  // "name" in the file, or a description of the action
    std::chrono::milliseconds timeout{0};
    StepAction action;
};

struct Scenario {
    std::string name;
    DeviceSelector device;
    std::chrono::milliseconds device_timeout{0};  // for the device's first appearance
    std::chrono::milliseconds total_timeout{0};   // the whole run, device wait included
    std::vector<Step> steps;
};

}  // namespace acssim::scenario
