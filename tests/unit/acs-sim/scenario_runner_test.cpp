// The scenario runner against a real acs-sim on loopback (in this process)
// and a scripted CPE informing it every 100 ms: passing runs, the first
// failed expectation stopping the run, timeouts, and the command's exit
// statuses.
#include "scenario/scenario_runner.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/nbi_client.hpp"
#include "cli/run_command.hpp"
#include "scenario/nbi_inform_source.hpp"
#include "scenario/registry_inform_source.hpp"
#include "scenario/scenario_parser.hpp"
#include "scenario_scripted_cpe.hpp"

namespace acssim::scenario {
namespace {

using test::RunningServer;
using test::ScriptedCpe;

std::string url_of(const test::tcp::endpoint& endpoint) {
    return "http://127.0.0.1:" + std::to_string(endpoint.port());
}

class ScenarioRunnerTest : public ::testing::Test {
protected:
    ScenarioRunnerTest()
        : nbi_(url_of(running_.server().nbi_endpoint())),
          informs_(running_.server().io_context(), running_.server().registry()),
          cpe_(running_.server().cwmp_endpoint(), "RUN0001") {}

    RunResult run(const std::string& text) {
        auto scenario = parse_scenario(text);
        EXPECT_TRUE(scenario) << scenario.error();
        if (!scenario) return {};
        RunnerOptions options;
        options.poll_interval = std::chrono::milliseconds{50};
        ScenarioRunner runner(nbi_, informs_, report_, options);
        return runner.run(*scenario);
    }

    RunningServer running_;
    cli::NbiClient nbi_;
    RegistryInformSource informs_;
    ScriptedCpe cpe_;
    std::ostringstream report_;
};

constexpr const char* kPassing = R"({
  "name": "everything", "timeout": 60,
  "device": {"query": {"_deviceId._SerialNumber": "RUN0001"}, "timeout": 10},
  "steps": [
    {"name": "set interval", "task": {"name": "setParameterValues",
       "parameterValues": [["Device.ManagementServer.PeriodicInformInterval", "300"]]}},
    {"expect_values": {"Device.ManagementServer.PeriodicInformInterval": 300,
                       "Device.DeviceInfo.ModelName": {"regex": "^Scripted"}}},
    {"task": {"name": "setParameterValues",
       "parameterValues": [["Device.DeviceInfo.SerialNumber", "X"]]}, "expect_fault": 9008},
    {"task": {"name": "getParameterValues", "parameterNames": ["Device.Nope"]},
     "expect_fault": 9005},
    {"expect_inform": {"events": ["2 PERIODIC"]}, "timeout": 10},
    {"task": {"name": "reboot"}},
    {"wait_reboot": {"events": ["M Reboot"]}, "timeout": 10},
    {"sleep": 0.1}
  ]})";

TEST_F(ScenarioRunnerTest, PassesEveryStepAgainstAScriptedCpe) {
    cpe_.start();
    const auto result = run(kPassing);
    EXPECT_TRUE(result.passed) << report_.str();
    EXPECT_EQ(result.steps_passed, 8);
    EXPECT_EQ(cpe_.value("Device.ManagementServer.PeriodicInformInterval"), "300");
    const auto report = report_.str();
    EXPECT_NE(report.find("step 1/8 PASS  set interval"), std::string::npos) << report;
    EXPECT_NE(report.find("faulted as expected: cwmp.9003"), std::string::npos) << report;
    EXPECT_NE(report.find("step 7/8 PASS  wait for a reboot"), std::string::npos) << report;
    EXPECT_NE(report.find("\"M Reboot\""), std::string::npos) << report;
    EXPECT_NE(report.find("PASSED: 8 steps"), std::string::npos) << report;
}

TEST_F(ScenarioRunnerTest, StopsAtTheFirstWrongValue) {
    cpe_.start();
    const auto result = run(R"({
      "device": {"id": "00256D-IPPhone-RUN0001", "timeout": 10},
      "steps": [
        {"expect_values": {"Device.DeviceInfo.SoftwareVersion": "1.0.0"}},
        {"name": "wrong", "expect_values": {"Device.DeviceInfo.SoftwareVersion": "9.9"}},
        {"task": {"name": "reboot"}}
      ]})");
    EXPECT_FALSE(result.passed);
    EXPECT_EQ(result.failed_step, 2);
    EXPECT_EQ(result.steps_passed, 1);
    EXPECT_NE(
        result.reason.find("Device.DeviceInfo.SoftwareVersion is \"1.0.0\", expected \"9.9\""),
        std::string::npos)
        << result.reason;
    const auto report = report_.str();
    EXPECT_NE(report.find("step 2/3 FAIL  wrong"), std::string::npos) << report;
    EXPECT_EQ(report.find("step 3/3"), std::string::npos) << "a step after the failure ran";
    EXPECT_NE(report.find("FAILED at step 2 of 3"), std::string::npos) << report;
}

TEST_F(ScenarioRunnerTest, FailsWhenAFaultWasExpectedButTheDeviceAccepted) {
    cpe_.start();
    const auto result = run(R"({"device": {"id": "00256D-IPPhone-RUN0001", "timeout": 10},
      "steps": [{"task": {"name": "getParameterValues",
                          "parameterNames": ["Device.DeviceInfo.ModelName"]},
                 "expect_fault": 9005}]})");
    EXPECT_FALSE(result.passed);
    EXPECT_NE(result.reason.find("the device accepted it; expected fault 9005"), std::string::npos)
        << result.reason;
}

TEST_F(ScenarioRunnerTest, FailsWhenTheDeviceNeverAppears) {
    const auto result = run(R"({"device": {"id": "00256D-IPPhone-ABSENT", "timeout": 0.3},
                "steps": [{"sleep": 0.1}]})");
    EXPECT_FALSE(result.passed);
    EXPECT_EQ(result.failed_step, 0);
    EXPECT_NE(result.reason.find("did not appear within"), std::string::npos) << result.reason;
}

TEST_F(ScenarioRunnerTest, FailsATaskTheDeviceDoesNotRunInTime) {
    cpe_.start();
    // Known to the registry, then silent.
    for (int i = 0; i < 100 && cpe_.sessions() == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    cpe_.stop();
    const auto result = run(R"({"device": {"id": "00256D-IPPhone-RUN0001"},
      "steps": [{"task": {"name": "reboot"}, "timeout": 0.5}]})");
    EXPECT_FALSE(result.passed);
    EXPECT_NE(result.reason.find("not done after"), std::string::npos) << result.reason;
    // The unfinished task was deleted, not left for the device's next session.
    test::Client client(running_.server().nbi_endpoint());
    EXPECT_EQ(client.request(test::bhttp::verb::get, "/tasks").body(), "[]");
}

TEST_F(ScenarioRunnerTest, AnAcsSimNbiShowsEveryEvent) {
    cpe_.start();
    NbiInformSource remote(nbi_);
    auto scenario = parse_scenario(R"({"device": {"id": "00256D-IPPhone-RUN0001", "timeout": 10},
      "steps": [{"expect_inform": {"events": ["2 PERIODIC"]}, "timeout": 10}]})");
    ASSERT_TRUE(scenario) << scenario.error();
    RunnerOptions options;
    options.poll_interval = std::chrono::milliseconds{20};
    ScenarioRunner runner(nbi_, remote, report_, options);
    const auto result = runner.run(*scenario);
    EXPECT_TRUE(result.passed) << report_.str();
    EXPECT_TRUE(remote.sees_every_event());
}

TEST(NbiInformState, ReadsAcsSimEventList) {
    const auto result = inform_state_of(Json::parse(R"({"_lastInform": "2026-01-01T00:00:05.000Z",
      "_lastBoot": "2026-01-01T00:00:00.000Z",
      "_lastEvents": [{"code": "2 PERIODIC", "commandKey": ""},
                      {"code": "M Download", "commandKey": "k1"}]})"));
    EXPECT_TRUE(result.lists_every_event);
    EXPECT_EQ(result.state.events, (std::vector<std::string>{"2 PERIODIC", "M Download"}));
    EXPECT_EQ(result.state.last_boot, "2026-01-01T00:00:00.000Z");
}

TEST(NbiInformState, TellsOnlyBootsFromGenieAcsDocuments) {
    const std::string at = "2026-01-01T00:00:05.000Z";
    const auto result =
        inform_state_of(Json{{"_lastInform", at}, {"_lastBoot", at}, {"_lastBootstrap", at}});
    EXPECT_FALSE(result.lists_every_event);
    EXPECT_EQ(result.state.events, (std::vector<std::string>{"1 BOOT", "0 BOOTSTRAP"}));
    const auto periodic = inform_state_of(Json{{"_lastInform", at},
                                               {"_lastBoot", "2026-01-01T00:00:00.000Z"},
                                               {"_lastBootstrap", "2026-01-01T00:00:00.000Z"}});
    EXPECT_TRUE(periodic.state.events.empty());
}

TEST_F(ScenarioRunnerTest, AGenieAcsNbiCannotShowEveryEvent) {
    cpe_.start();
    // A source that has read no `_lastEvents` (as against GenieACS).
    class BootsOnly final : public InformSource {
    public:
        explicit BootsOnly(cli::NbiClient& nbi) : nbi_(nbi) {}
        phonecwmp::Expected<std::optional<InformState>, std::string> latest(
            const std::string& id, std::chrono::steady_clock::time_point deadline) override {
            return NbiInformSource(nbi_).latest(id, deadline);
        }
        bool sees_every_event() const override { return false; }
        std::string description() const override { return "a GenieACS NBI"; }

    private:
        cli::NbiClient& nbi_;
    } remote(nbi_);
    auto scenario = parse_scenario(R"({"device": {"id": "00256D-IPPhone-RUN0001", "timeout": 10},
      "steps": [{"expect_inform": {"events": ["2 PERIODIC"]}}]})");
    ASSERT_TRUE(scenario) << scenario.error();
    ScenarioRunner runner(nbi_, remote, report_);
    const auto result = runner.run(*scenario);
    EXPECT_FALSE(result.passed);
    EXPECT_NE(result.reason.find("run the scenario in-process"), std::string::npos)
        << result.reason;
}

TEST_F(ScenarioRunnerTest, ARemoteNbiShowsBoots) {
    cpe_.start();
    NbiInformSource remote(nbi_);
    auto scenario = parse_scenario(R"({"device": {"id": "00256D-IPPhone-RUN0001", "timeout": 10},
      "steps": [{"task": {"name": "reboot"}}, {"wait_reboot": {}, "timeout": 10}]})");
    ASSERT_TRUE(scenario) << scenario.error();
    RunnerOptions options;
    options.poll_interval = std::chrono::milliseconds{20};
    ScenarioRunner runner(nbi_, remote, report_, options);
    const auto result = runner.run(*scenario);
    EXPECT_TRUE(result.passed) << report_.str();
}

std::string write_temporary(const std::string& name, const std::string& text) {
    const std::string path = ::testing::TempDir() + name;
    std::ofstream out(path);
    out << text;
    return path;
}

TEST(RunCommand, MalformedScenarioExitsTwoNamingTheStep) {
    const auto path = write_temporary(
        "run_command_malformed.json",
        R"({"device": {"id": "D"}, "steps": [{"sleep": 1}, {"task": {"name": "reboot"}, "expect_fault": "x"}]})");
    std::ostringstream out;
    std::ostringstream err;
    const int status =
        cli::run_command({path, "", std::nullopt, true, ""}, test::loopback_options(), out, err);
    std::remove(path.c_str());
    EXPECT_EQ(status, 2);
    EXPECT_NE(err.str().find("step 2, \"expect_fault\""), std::string::npos) << err.str();

    std::ostringstream missing_err;
    EXPECT_EQ(cli::run_command({"/nonexistent.json", "", std::nullopt, true, ""},
                               test::loopback_options(), out, missing_err),
              2);
}

TEST(RunCommand, InProcessRunFailsWithOneWhenTheDeviceNeverCame) {
    const auto path =
        write_temporary("run_command_absent.json",
                        R"({"device": {"id": "D", "timeout": 0.2}, "steps": [{"sleep": 0.1}]})");
    std::ostringstream out;
    std::ostringstream err;
    const int status =
        cli::run_command({path, "", std::nullopt, true, ""}, test::loopback_options(), out, err);
    std::remove(path.c_str());
    EXPECT_EQ(status, 1) << out.str() << err.str();
    EXPECT_NE(out.str().find("acs-sim in-process: CPEs inform http://127.0.0.1:"),
              std::string::npos)
        << out.str();
}

TEST(RunCommand, InProcessRunPassesWithTheScriptedCpe) {
    // The CWMP port must be known before the CPE starts: take a free one.
    auto options = test::loopback_options();
    {
        test::asio::io_context io;
        test::tcp::acceptor probe(
            io, test::tcp::endpoint(test::asio::ip::make_address("127.0.0.1"), 0));
        options.cwmp_listen = probe.local_endpoint();
    }
    ScriptedCpe cpe(options.cwmp_listen, "RUN0002");
    cpe.start();
    const auto path = write_temporary(
        "run_command_pass.json",
        R"({"device": {"query": {"_deviceId._SerialNumber": "RUN0002"}, "timeout": 10},
            "steps": [{"expect_inform": {"events": ["2 PERIODIC"]}, "timeout": 10},
                      {"expect_values": {"Device.DeviceInfo.SerialNumber": "RUN0002"}}]})");
    std::ostringstream out;
    std::ostringstream err;
    const int status = cli::run_command({path, "", std::nullopt, true, ""}, options, out, err);
    std::remove(path.c_str());
    EXPECT_EQ(status, 0) << out.str() << err.str();
    EXPECT_NE(out.str().find("PASSED: 2 steps"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace acssim::scenario
