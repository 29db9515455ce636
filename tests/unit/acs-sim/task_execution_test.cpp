#include "session/task_execution.hpp"

#include <gtest/gtest.h>

#include "cwmp/summary.hpp"
#include "registry/in_memory_registry.hpp"
#include "test_support.hpp"

namespace acssim {
namespace {

using test::at;
using test::phone_key;

class TaskExecutionTest : public ::testing::Test {
protected:
    TaskExecutionTest() { registry.record_inform(phone_key(), test::phone_inform(), at()); }

    static Task task(TaskSpec spec) {
        Task made;
        made.id = "66322ec0aabbccddee000001";
        made.device_id = phone_key();
        made.spec = std::move(spec);
        made.timestamp = at();
        return made;
    }

    std::optional<CachedParameter> cached(std::string_view name) const {
        return registry.find_parameter(phone_key(), name);
    }

    InMemoryRegistry registry;
};

TEST_F(TaskExecutionTest, GetParameterValuesStoresTheAnswer) {
    TaskExecution execution(task(GetParameterValuesTask{{"Device.DeviceInfo.SoftwareVersion"}}));
    EXPECT_EQ(std::get<cwmp::GetParameterValues>(execution.request()).parameter_names,
              (std::vector<std::string>{"Device.DeviceInfo.SoftwareVersion"}));
    auto outcome = execution.accept(
        cwmp::GetParameterValuesResponse{
            {{"Device.DeviceInfo.SoftwareVersion", "2.0", "xsd:string"}}},
        registry, at(5));
    EXPECT_EQ(outcome.status, TaskExecution::Status::Done);
    EXPECT_EQ(cached("Device.DeviceInfo.SoftwareVersion")->value, "2.0");
    EXPECT_EQ(cached("Device.DeviceInfo.SoftwareVersion")->timestamp, at(5));
}

TEST_F(TaskExecutionTest, SetParameterValuesSendsTheTaskIdAsParameterKeyAndCachesOnSuccess) {
    TaskExecution execution(task(SetParameterValuesTask{
        {{"Device.ManagementServer.PeriodicInformInterval", "3", "xsd:unsignedInt"}}}));
    const auto request = std::get<cwmp::SetParameterValues>(execution.request());
    EXPECT_EQ(request.parameter_key, "66322ec0aabbccddee000001");
    EXPECT_EQ(cwmp::summarize(request),
              "SetParameterValues Device.ManagementServer.PeriodicInformInterval=3");
    auto outcome = execution.accept(cwmp::SetParameterValuesResponse{0}, registry, at(5));
    EXPECT_EQ(outcome.status, TaskExecution::Status::Done);
    EXPECT_EQ(cached("Device.ManagementServer.PeriodicInformInterval")->value, "3");
}

TEST_F(TaskExecutionTest, ACpeFaultFaultsTheTaskWithAGenieAcsCodeAndLeavesTheCache) {
    TaskExecution execution(task(SetParameterValuesTask{
        {{"Device.ManagementServer.PeriodicInformInterval", "0", "xsd:unsignedInt"}}}));
    const cwmp::Fault fault{
        9003,
        "Invalid arguments",
        {{"Device.ManagementServer.PeriodicInformInterval", 9007, "too small"}}};
    auto outcome = execution.accept(fault, registry, at(5));
    EXPECT_EQ(outcome.status, TaskExecution::Status::Faulted);
    ASSERT_TRUE(outcome.fault);
    EXPECT_EQ(outcome.fault->code, "cwmp.9003");
    EXPECT_EQ(outcome.fault->message, "Invalid arguments");
    EXPECT_EQ(outcome.fault->detail, fault);
    EXPECT_EQ(outcome.fault->timestamp, at(5));
    EXPECT_EQ(cached("Device.ManagementServer.PeriodicInformInterval")->value, "900");
}

TEST_F(TaskExecutionTest, AFaultWithoutAStringGetsTheStandardDescription) {
    TaskExecution execution(task(RebootTask{}));
    auto outcome = execution.accept(cwmp::Fault{9001, "", {}}, registry, at());
    ASSERT_TRUE(outcome.fault);
    EXPECT_FALSE(outcome.fault->message.empty());
    EXPECT_EQ(outcome.fault->code, "cwmp.9001");
}

TEST_F(TaskExecutionTest, TheWrongResponseFaultsTheTask) {
    TaskExecution execution(task(GetParameterValuesTask{{"Device."}}));
    auto outcome = execution.accept(cwmp::SetParameterValuesResponse{0}, registry, at());
    EXPECT_EQ(outcome.status, TaskExecution::Status::Faulted);
    EXPECT_EQ(outcome.fault->code, "unexpected_response");
    EXPECT_NE(outcome.fault->message.find("GetParameterValuesResponse"), std::string::npos);
    EXPECT_NE(outcome.fault->message.find("SetParameterValuesResponse"), std::string::npos);
}

TEST_F(TaskExecutionTest, RefreshObjectAsksNamesThenValuesAndForgetsWhatVanished) {
    TaskExecution execution(task(RefreshObjectTask{"Device.ManagementServer."}));
    const auto names = std::get<cwmp::GetParameterNames>(execution.request());
    EXPECT_EQ(names.parameter_path, "Device.ManagementServer.");
    EXPECT_FALSE(names.next_level);

    auto first = execution.accept(
        cwmp::GetParameterNamesResponse{{{"Device.ManagementServer.", false},
                                         {"Device.ManagementServer.PeriodicInformInterval", true},
                                         {"Device.ManagementServer.URL", true}}},
        registry, at(5));
    ASSERT_EQ(first.status, TaskExecution::Status::Continue);
    EXPECT_EQ(cached("Device.ManagementServer.PeriodicInformInterval")->writable, true);
    EXPECT_FALSE(cached("Device.ManagementServer.ParameterKey"));  // no longer listed

    const auto values = std::get<cwmp::GetParameterValues>(execution.request());
    EXPECT_EQ(values.parameter_names,
              (std::vector<std::string>{"Device.ManagementServer.PeriodicInformInterval",
                                        "Device.ManagementServer.URL"}));
    auto second = execution.accept(
        cwmp::GetParameterValuesResponse{
            {{"Device.ManagementServer.PeriodicInformInterval", "60", "xsd:unsignedInt"},
             {"Device.ManagementServer.URL", "http://acs.test/", "xsd:string"}}},
        registry, at(6));
    EXPECT_EQ(second.status, TaskExecution::Status::Done);
    EXPECT_EQ(cached("Device.ManagementServer.URL")->value, "http://acs.test/");
    EXPECT_EQ(cached("Device.ManagementServer.URL")->writable, true);
}

TEST_F(TaskExecutionTest, RefreshOfAnEmptyObjectNeedsNoValues) {
    TaskExecution execution(task(RefreshObjectTask{"Device.X."}));
    auto outcome =
        execution.accept(cwmp::GetParameterNamesResponse{{{"Device.X.", false}}}, registry, at());
    EXPECT_EQ(outcome.status, TaskExecution::Status::Done);
}

TEST_F(TaskExecutionTest, AddObjectCachesTheNewInstanceAndDeleteObjectForgetsIt) {
    TaskExecution add(task(AddObjectTask{"Device.X."}));
    EXPECT_EQ(std::get<cwmp::AddObject>(add.request()).object_name, "Device.X.");
    EXPECT_EQ(add.accept(cwmp::AddObjectResponse{4, 0}, registry, at()).status,
              TaskExecution::Status::Done);
    const auto instance = cached("Device.X.4.");
    ASSERT_TRUE(instance);
    EXPECT_TRUE(instance->object);

    registry.store_values(phone_key(), {{"Device.X.4.Name", "n", "xsd:string"}}, at());
    TaskExecution remove(task(DeleteObjectTask{"Device.X.4."}));
    EXPECT_EQ(std::get<cwmp::DeleteObject>(remove.request()).object_name, "Device.X.4.");
    EXPECT_EQ(remove.accept(cwmp::DeleteObjectResponse{0}, registry, at()).status,
              TaskExecution::Status::Done);
    EXPECT_FALSE(cached("Device.X.4."));
    EXPECT_FALSE(cached("Device.X.4.Name"));
}

TEST_F(TaskExecutionTest, RebootAndFactoryReset) {
    TaskExecution reboot(task(RebootTask{}));
    EXPECT_EQ(std::get<cwmp::Reboot>(reboot.request()).command_key, "66322ec0aabbccddee000001");
    EXPECT_EQ(reboot.accept(cwmp::RebootResponse{}, registry, at()).status,
              TaskExecution::Status::Done);
    TaskExecution reset(task(FactoryResetTask{}));
    EXPECT_TRUE(std::holds_alternative<cwmp::FactoryReset>(reset.request()));
    EXPECT_EQ(reset.accept(cwmp::RebootResponse{}, registry, at()).status,
              TaskExecution::Status::Faulted);
}

}  // namespace
}  // namespace acssim
