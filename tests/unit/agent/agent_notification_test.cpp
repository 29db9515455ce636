// What the agent tells the ACS beyond events: value changes by notification
// (passive, active, throttled), InformParameter entries, live UpTime, and
// events that survive a restart. The ACS is scripted; the store is real.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "agent.hpp"
#include "agent_fixture.hpp"
#include "cwmp/event_codes.hpp"

namespace agent {
namespace {

using testing::answer;

class AgentNotificationTest : public testing::AgentFixture {
protected:
    static void device_sets(datamodel::Model& model, const std::string& path,
                            const std::string& value) {
        configure(model, {{path, value}});
    }

    // One whole session: InformResponse, then the ACS ends it.
    void script_sessions(int count) {
        for (int i = 0; i < count; ++i) {
            acs.answers.push_back(inform_response());
            acs.answers.push_back(answer(204));
        }
    }

    static bool has_event(const cwmp::Inform& inform, std::string_view code) {
        return std::any_of(inform.event.begin(), inform.event.end(),
                           [&](const cwmp::EventStruct& e) { return e.event_code == code; });
    }
    static std::optional<std::string> parameter(const cwmp::Inform& inform,
                                                const std::string& name) {
        std::optional<std::string> found;
        int count = 0;
        for (const auto& value : inform.parameter_list) {
            if (value.name == name) {
                found = value.value;
                ++count;
            }
        }
        EXPECT_LE(count, 1) << name << " is listed more than once";
        return found;
    }

    // A booted agent whose first session is over.
    void boot(Agent& agent) {
        script_sessions(1);
        agent.start();
        run_until_posted(2, std::chrono::seconds(5));
        acs.posted.clear();
    }
};

TEST_F(AgentNotificationTest, AnActiveChangeStartsASessionWithValueChange) {
    auto model = open_store();
    device_sets(*model, "Device.ManagementServer.URL", "http://acs.invalid/");
    ASSERT_TRUE(model->set_attributes({{"Device.DeviceInfo.ProvisioningCode", 2, std::nullopt}}));
    Agent agent(io, *model, acs, *codec);
    boot(agent);
    script_sessions(1);
    device_sets(*model, "Device.DeviceInfo.ProvisioningCode", "ABC");
    run_until_posted(2, std::chrono::seconds(5));
    const cwmp::Inform inform = inform_at(0);
    EXPECT_TRUE(has_event(inform, cwmp::event::kValueChange));
    EXPECT_EQ(parameter(inform, "Device.DeviceInfo.ProvisioningCode"), "ABC");
}

TEST_F(AgentNotificationTest, APassiveChangeWaitsForTheNextSession) {
    auto model = open_store();
    device_sets(*model, "Device.ManagementServer.URL", "http://acs.invalid/");
    ASSERT_TRUE(model->set_attributes({{"Device.Time.NTPServer1", 1, std::nullopt}}));
    Agent agent(io, *model, acs, *codec);
    boot(agent);
    device_sets(*model, "Device.Time.NTPServer1", "ntp.example.com");
    io.poll();
    EXPECT_TRUE(acs.posted.empty()) << "a passive change started a session";
    script_sessions(2);
    agent.raise(cwmp::event::kPeriodic);
    run_until_posted(2, std::chrono::seconds(5));
    const cwmp::Inform inform = inform_at(0);
    EXPECT_TRUE(has_event(inform, cwmp::event::kPeriodic));
    EXPECT_TRUE(has_event(inform, cwmp::event::kValueChange));
    EXPECT_EQ(parameter(inform, "Device.Time.NTPServer1"), "ntp.example.com");
    // Reported once: the next Inform has no VALUE CHANGE.
    agent.raise(cwmp::event::kPeriodic);
    run_until_posted(4, std::chrono::seconds(5));
    EXPECT_FALSE(has_event(inform_at(2), cwmp::event::kValueChange));
}

TEST_F(AgentNotificationTest, ActiveChangesWithinTheThrottleGoTogetherLater) {
    auto model = open_store();
    device_sets(*model, "Device.ManagementServer.URL", "http://acs.invalid/");
    device_sets(*model, "Device.ManagementServer.DefaultActiveNotificationThrottle", "1");
    ASSERT_TRUE(model->set_attributes({{"Device.DeviceInfo.ProvisioningCode", 2, std::nullopt}}));
    Agent agent(io, *model, acs, *codec);
    boot(agent);
    script_sessions(2);
    device_sets(*model, "Device.DeviceInfo.ProvisioningCode", "A");
    run_until_posted(2, std::chrono::seconds(5));
    // Within the second after that report: held back, and gathered.
    device_sets(*model, "Device.DeviceInfo.ProvisioningCode", "B");
    device_sets(*model, "Device.DeviceInfo.ProvisioningCode", "C");
    io.poll();
    EXPECT_EQ(acs.posted.size(), 2u) << "the throttle did not hold the session back";
    run_until_posted(4, std::chrono::seconds(5));
    EXPECT_EQ(parameter(inform_at(2), "Device.DeviceInfo.ProvisioningCode"), "C");
}

TEST_F(AgentNotificationTest, ChangesMadeByTheAcsAreNotReportedBack) {
    auto model = open_store();
    device_sets(*model, "Device.ManagementServer.URL", "http://acs.invalid/");
    ASSERT_TRUE(model->set_attributes({{"Device.DeviceInfo.ProvisioningCode", 2, std::nullopt}}));
    Agent agent(io, *model, acs, *codec);
    boot(agent);
    ASSERT_TRUE(model->set_values({{"Device.DeviceInfo.ProvisioningCode", "ACS", std::nullopt}})
                    .has_value());
    io.poll();
    EXPECT_TRUE(acs.posted.empty());
}

TEST_F(AgentNotificationTest, InformParameterEntriesJoinTheirEvents) {
    auto model = open_store();
    device_sets(*model, "Device.ManagementServer.URL", "http://acs.invalid/");
    ASSERT_TRUE(model->add_object("Device.ManagementServer.InformParameter.").has_value());
    ASSERT_TRUE(model->add_object("Device.ManagementServer.InformParameter.").has_value());
    ASSERT_TRUE(
        model
            ->set_values({{"Device.ManagementServer.InformParameter.1.Enable", "true", {}},
                          {"Device.ManagementServer.InformParameter.1.ParameterName",
                           "Device.DeviceInfo.Manufacturer",
                           {}},
                          {"Device.ManagementServer.InformParameter.1.EventList", "2 PERIODIC", {}},
                          {"Device.ManagementServer.InformParameter.2.Enable", "true", {}},
                          {"Device.ManagementServer.InformParameter.2.ParameterName",
                           "Device.ManagementServer.PeriodicInformInterval",
                           {}}})
            .has_value());
    Agent agent(io, *model, acs, *codec);
    script_sessions(2);
    agent.start();
    run_until_posted(2, std::chrono::seconds(5));
    const cwmp::Inform boot_inform = inform_at(0);
    // Entry 1 is for PERIODIC only; entry 2 (empty EventList) for any event.
    EXPECT_EQ(parameter(boot_inform, "Device.DeviceInfo.Manufacturer"), std::nullopt);
    EXPECT_TRUE(parameter(boot_inform, "Device.ManagementServer.PeriodicInformInterval"));
    agent.raise(cwmp::event::kPeriodic);
    run_until_posted(4, std::chrono::seconds(5));
    EXPECT_TRUE(parameter(inform_at(2), "Device.DeviceInfo.Manufacturer"));
}

TEST_F(AgentNotificationTest, UpTimeIsLive) {
    auto model = open_store();
    Agent agent(io, *model, acs, *codec);
    const auto read = [&] {
        return std::stoul(model->get_values({"Device.DeviceInfo.UpTime"})->front().value);
    };
    const unsigned long first = read();
    EXPECT_LT(first, 5ul);
    testing::run_until(
        io, [] { return false; }, std::chrono::seconds(1));
    EXPECT_GE(read(), first + 1);
}

TEST_F(AgentNotificationTest, AnUndeliveredTransferCompleteIsSentAfterARestart) {
    {
        auto model = open_store();
        device_sets(*model, "Device.ManagementServer.URL", "http://acs.invalid/");
        Agent agent(io, *model, acs, *codec);
        boot(agent);
        // The ACS is gone when the event is raised.
        agent.raise(cwmp::event::kTransferComplete);
        agent.raise(cwmp::event::kMDownload, "dl-7");
        run_until_posted(1, std::chrono::seconds(5));
    }
    acs.posted.clear();
    acs.answers.clear();
    io.restart();
    auto model = open_store();
    Agent agent(io, *model, acs, *codec);
    script_sessions(1);
    agent.start();
    run_until_posted(2, std::chrono::seconds(5));
    const cwmp::Inform inform = inform_at(0);
    EXPECT_TRUE(has_event(inform, cwmp::event::kBoot));
    EXPECT_TRUE(has_event(inform, cwmp::event::kTransferComplete));
    ASSERT_TRUE(has_event(inform, cwmp::event::kMDownload));
    EXPECT_TRUE(model->pending_events().empty());
}

TEST_F(AgentNotificationTest, ANewAcsUrlDropsWhatWasOwedToTheOldOne) {
    auto model = open_store();
    device_sets(*model, "Device.ManagementServer.URL", "http://acs.invalid/");
    Agent agent(io, *model, acs, *codec);
    boot(agent);
    agent.raise(cwmp::event::kMDownload, "old");  // the ACS does not answer
    run_until_posted(1, std::chrono::seconds(5));
    acs.posted.clear();
    script_sessions(1);
    device_sets(*model, "Device.ManagementServer.URL", "http://other-acs.invalid/");
    run_until_posted(2, std::chrono::seconds(10));
    const cwmp::Inform inform = inform_at(0);
    EXPECT_TRUE(has_event(inform, cwmp::event::kBootstrap));
    EXPECT_FALSE(has_event(inform, cwmp::event::kMDownload));
    EXPECT_TRUE(model->pending_events().empty());
}

}  // namespace
}  // namespace agent
