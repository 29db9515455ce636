// The scenario file format: a valid file read member by member, and every
// malformed case refused with a message naming the step and the member.
#include "scenario/scenario_parser.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace acssim::scenario {
namespace {

constexpr const char* kValid = R"({
  "name": "provisioning",
  "timeout": 90,
  "device": {"query": {"_deviceId._SerialNumber": "SN1"}, "timeout": 20.5},
  "steps": [
    {"name": "set interval", "task": {"name": "setParameterValues",
       "parameterValues": [["Device.ManagementServer.PeriodicInformInterval", 300]]}},
    {"task": {"name": "setParameterValues",
       "parameterValues": [["Device.DeviceInfo.SerialNumber", "X"]]}, "expect_fault": 9003,
     "timeout": 5},
    {"expect_values": {"Device.ManagementServer.PeriodicInformInterval": 300,
                       "Device.DeviceInfo.ModelName": {"regex": "^Phone"},
                       "Device.X.Enable": {"equals": true}}},
    {"task": {"name": "reboot"}},
    {"wait_reboot": {"events": ["M Reboot"]}, "timeout": 120},
    {"expect_inform": {"events": ["2 PERIODIC"]}},
    {"sleep": 0.25}
  ]})";

TEST(ScenarioParser, ReadsEveryKindOfStep) {
    auto scenario = parse_scenario(kValid);
    ASSERT_TRUE(scenario) << scenario.error();
    EXPECT_EQ(scenario->name, "provisioning");
    EXPECT_EQ(scenario->total_timeout, std::chrono::seconds(90));
    EXPECT_EQ(scenario->device_timeout, std::chrono::milliseconds(20500));
    EXPECT_TRUE(scenario->device.id.empty());
    EXPECT_EQ(scenario->device.query["_deviceId._SerialNumber"], "SN1");
    ASSERT_EQ(scenario->steps.size(), 7U);

    const auto& set = scenario->steps[0];
    EXPECT_EQ(set.number, 1);
    EXPECT_EQ(set.label, "set interval");
    EXPECT_EQ(set.timeout, std::chrono::seconds(60));  // the default
    ASSERT_TRUE(std::holds_alternative<TaskStep>(set.action));
    EXPECT_FALSE(std::get<TaskStep>(set.action).expect_fault);

    const auto& refused = scenario->steps[1];
    EXPECT_EQ(refused.label, "setParameterValues expecting fault 9003");
    EXPECT_EQ(refused.timeout, std::chrono::seconds(5));
    EXPECT_EQ(std::get<TaskStep>(refused.action).expect_fault, 9003U);

    const auto& values = std::get<ExpectValuesStep>(scenario->steps[2].action);
    ASSERT_EQ(values.expectations.size(), 3U);
    EXPECT_EQ(values.expectations[0].kind, ValueExpectation::Kind::Equals);
    EXPECT_EQ(values.expectations[0].text, "300");
    EXPECT_EQ(values.expectations[1].kind, ValueExpectation::Kind::Regex);
    EXPECT_TRUE(std::regex_search("Phone 7", values.expectations[1].pattern));
    EXPECT_EQ(values.expectations[2].text, "true");

    EXPECT_TRUE(std::get<WaitRebootStep>(scenario->steps[4].action).events ==
                std::vector<std::string>{"M Reboot"});
    EXPECT_EQ(scenario->steps[4].timeout, std::chrono::seconds(120));
    EXPECT_EQ(std::get<ExpectInformStep>(scenario->steps[5].action).events.front(), "2 PERIODIC");
    EXPECT_EQ(std::get<SleepStep>(scenario->steps[6].action).duration,
              std::chrono::milliseconds(250));
    EXPECT_EQ(scenario->steps[6].timeout, std::chrono::milliseconds(250));
}

TEST(ScenarioParser, DefaultsAndDeviceById) {
    auto scenario = parse_scenario(
        R"({"device": {"id": "00256D-IPPhone-SN1"}, "steps": [{"wait_reboot": {}}]})");
    ASSERT_TRUE(scenario) << scenario.error();
    EXPECT_EQ(scenario->device.id, "00256D-IPPhone-SN1");
    EXPECT_EQ(scenario->total_timeout, std::chrono::seconds(300));
    EXPECT_EQ(scenario->device_timeout, std::chrono::seconds(120));
    EXPECT_EQ(scenario->steps[0].label, "wait for a reboot");
}

struct MalformedCase {
    const char* text;
    const char* message;  // a part of the error
};

// ctest names the cases by what they expect.
void PrintTo(const MalformedCase& malformed, std::ostream* out) {
    *out << malformed.message;
}

class MalformedScenario : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedScenario, IsRefusedWithAMessageNamingTheProblem) {
    auto scenario = parse_scenario(GetParam().text);
    ASSERT_FALSE(scenario) << GetParam().text;
    EXPECT_NE(scenario.error().find(GetParam().message), std::string::npos)
        << "error: " << scenario.error();
}

#define DEVICE R"("device": {"id": "D"})"

INSTANTIATE_TEST_SUITE_P(
    EveryCase, MalformedScenario,
    ::testing::Values(
        MalformedCase{"", "not valid JSON"}, MalformedCase{"{\"device\": ", "not valid JSON"},
        MalformedCase{"[]", "must be a JSON object"},
        MalformedCase{R"({"steps": [{"sleep": 1}]})", "\"device\" is missing"},
        MalformedCase{"{" DEVICE "}", "\"steps\" is missing"},
        MalformedCase{"{" DEVICE R"(, "steps": []})", "\"steps\": must be a non-empty array"},
        MalformedCase{"{" DEVICE R"(, "steps": {}})", "\"steps\": must be a non-empty array"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"sleep": 1}], "extra": 1})",
                      "unknown member \"extra\""},
        MalformedCase{"{" DEVICE R"(, "name": 3, "steps": [{"sleep": 1}]})",
                      "\"name\": must be a string"},
        MalformedCase{"{" DEVICE R"(, "timeout": "long", "steps": [{"sleep": 1}]})",
                      "\"timeout\": must be a number of seconds"},
        MalformedCase{"{" DEVICE R"(, "timeout": 0, "steps": [{"sleep": 1}]})",
                      "\"timeout\": must be more than 0"},
        MalformedCase{"{" DEVICE R"(, "timeout": 100000, "steps": [{"sleep": 1}]})",
                      "at most 86400 seconds"},
        MalformedCase{R"({"device": "D", "steps": [{"sleep": 1}]})",
                      "\"device\": must be an object"},
        MalformedCase{R"({"device": {}, "steps": [{"sleep": 1}]})",
                      "needs exactly one of \"id\" and \"query\""},
        MalformedCase{R"({"device": {"id": "D", "query": {"a": 1}}, "steps": [{"sleep": 1}]})",
                      "needs exactly one of \"id\" and \"query\""},
        MalformedCase{R"({"device": {"id": ""}, "steps": [{"sleep": 1}]})",
                      "\"device.id\": must be a non-empty string"},
        MalformedCase{R"({"device": {"query": {}}, "steps": [{"sleep": 1}]})",
                      "\"device.query\": must be a non-empty NBI query object"},
        MalformedCase{R"({"device": {"query": "SN1"}, "steps": [{"sleep": 1}]})",
                      "\"device.query\""},
        MalformedCase{R"({"device": {"id": "D", "serial": 1}, "steps": [{"sleep": 1}]})",
                      "\"device\": unknown member \"serial\""},
        MalformedCase{R"({"device": {"id": "D", "timeout": -1}, "steps": [{"sleep": 1}]})",
                      "\"device.timeout\": must be more than 0"},
        MalformedCase{"{" DEVICE R"(, "steps": [3]})", "step 1: must be an object"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"sleep": 1}, {}]})", "step 2: no action"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"sleep": 1, "task": {"name": "reboot"}}]})",
                      "step 1: has both \"task\" and \"sleep\""},
        MalformedCase{"{" DEVICE R"(, "steps": [{"sleep": 1, "wait": 2}]})",
                      "step 1: unknown member \"wait\""},
        MalformedCase{"{" DEVICE R"(, "steps": [{"name": 1, "sleep": 1}]})",
                      "step 1, \"name\": must be a string"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"name": "nap", "sleep": 1, "timeout": "x"}]})",
                      "step 1 (\"nap\"), \"timeout\": must be a number of seconds"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"sleep": 0}]})",
                      "step 1, \"sleep\": must be more than 0"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"sleep": 4000}]})", "at most 3600 seconds"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"task": "reboot"}]})",
                      "step 1, \"task\": must be an NBI task object"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"task": {"name": "explode"}}]})",
                      "step 1, \"task\": "},
        MalformedCase{"{" DEVICE R"(, "steps": [{"task": {"name": "getParameterValues"}}]})",
                      "step 1, \"task\": "},
        MalformedCase{"{" DEVICE
                      R"(, "steps": [{"task": {"name": "reboot"}, "expect_fault": "9001"}]})",
                      "step 1, \"expect_fault\": must be a CWMP fault code"},
        MalformedCase{"{" DEVICE
                      R"(, "steps": [{"task": {"name": "reboot"}, "expect_fault": 404}]})",
                      "must be a CWMP fault code (8000-9899)"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"sleep": 1, "expect_fault": 9001}]})",
                      "only a \"task\" step can expect a fault"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_values": {}}]})",
                      "step 1, \"expect_values\": must be a non-empty object"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_values": ["A.B"]}]})",
                      "\"expect_values\": must be a non-empty object"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_values": {"A.": 1}}]})",
                      "[\"A.\"]: a parameter name"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_values": {"A.B": null}}]})",
                      "[\"A.B\"]: must be a value"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_values": {"A.B": {"equals": [1]}}}]})",
                      "[\"A.B\"].equals: must be a string, number or boolean"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_values": {"A.B": {"regex": 1}}}]})",
                      "[\"A.B\"].regex: must be a string"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_values": {"A.B": {"regex": "("}}}]})",
                      "is not a regular expression"},
        MalformedCase{"{" DEVICE
                      R"(, "steps": [{"expect_values": {"A.B": {"equals": 1, "regex": "x"}}}]})",
                      "[\"A.B\"]: must be a value"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_inform": {}}]})",
                      "step 1, \"expect_inform\": \"events\" is missing"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_inform": {"events": []}}]})",
                      "\"expect_inform\".events: lists no event"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_inform": ["1 BOOT"]}]})",
                      "\"expect_inform\": must be an object"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_inform": {"events": [1]}}]})",
                      "every event code must be a non-empty string"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"expect_inform": {"events": "1 BOOT"}}]})",
                      "must be an array of event codes"},
        MalformedCase{"{" DEVICE R"(, "steps": [{"wait_reboot": {"event": ["M Reboot"]}}]})",
                      "\"wait_reboot\": unknown member \"event\""}));

TEST(ScenarioParser, BoundsTheFileStepsAndItems) {
    ScenarioLimits limits;
    limits.max_file_bytes = 64;
    auto large = parse_scenario(std::string(65, ' '), limits);
    ASSERT_FALSE(large);
    EXPECT_NE(large.error().find("larger than 64 bytes"), std::string::npos);

    limits = {};
    limits.max_steps = 2;
    auto many = parse_scenario(
        R"({"device": {"id": "D"}, "steps": [{"sleep": 1}, {"sleep": 1}, {"sleep": 1}]})", limits);
    ASSERT_FALSE(many);
    EXPECT_NE(many.error().find("more than 2 steps"), std::string::npos);

    limits = {};
    limits.max_items = 1;
    auto events = parse_scenario(
        R"({"device": {"id": "D"}, "steps": [{"expect_inform": {"events": ["1 BOOT", "2 PERIODIC"]}}]})",
        limits);
    ASSERT_FALSE(events);
    EXPECT_NE(events.error().find("more than 1 event codes"), std::string::npos);
}

TEST(ScenarioParser, FileErrorsNameTheFile) {
    auto missing = load_scenario_file("/nonexistent/scenario.json");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("/nonexistent/scenario.json: cannot open"), std::string::npos);

    const std::string path = ::testing::TempDir() + "scenario_parser_test.json";
    {
        std::ofstream out(path);
        out << R"({"device": {"id": "D"}, "steps": [{"sleep": -1}]})";
    }
    auto bad = load_scenario_file(path);
    std::remove(path.c_str());
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find(path + ": step 1, \"sleep\""), std::string::npos) << bad.error();
}

}  // namespace
}  // namespace acssim::scenario
