#include <gtest/gtest.h>

#include "registry/device_id.hpp"
#include "registry/in_memory_registry.hpp"
#include "test_support.hpp"

namespace acssim {
namespace {

using test::at;
using test::phone_inform;
using test::phone_key;

TEST(DeviceId, IsOuiProductClassSerial) {
    EXPECT_EQ(make_device_id(test::phone_id("SN0001")), "00256D-IPPhone-SN0001");
}

TEST(DeviceId, LeavesOutAnEmptyProductClass) {
    EXPECT_EQ(make_device_id(cwmp::DeviceId{"M", "00256D", "", "SN1"}), "00256D-SN1");
}

TEST(DeviceId, EscapesEverythingButLettersDigitsAndUnderscoreLikeGenieAcs) {
    // GenieACS's own example device: "BM632w" stays, and '-' or spaces inside
    // a field cannot be confused with the separator.
    EXPECT_EQ(make_device_id(cwmp::DeviceId{"Huawei", "202BC1", "BM632w", "000000"}),
              "202BC1-BM632w-000000");
    EXPECT_EQ(make_device_id(cwmp::DeviceId{"M", "00256D", "IP Phone-8", "A_1.2"}),
              "00256D-IP%20Phone%2D8-A_1%2E2");
    EXPECT_EQ(escape_device_id_part("\xc3\xa9\n"), "%C3%A9%0A");
}

class RegistryTest : public ::testing::Test {
protected:
    InMemoryRegistry registry;
};

TEST_F(RegistryTest, InformRegistersTheDeviceAndCachesItsParameters) {
    EXPECT_FALSE(registry.has_device(phone_key()));
    EXPECT_TRUE(registry.record_inform(phone_key(), phone_inform({"0 BOOTSTRAP", "1 BOOT"}), at()));
    ASSERT_TRUE(registry.has_device(phone_key()));

    const auto device = registry.find_device(phone_key());
    ASSERT_TRUE(device);
    EXPECT_EQ(device->id, phone_key());
    EXPECT_EQ(device->device_id, test::phone_id());
    EXPECT_EQ(device->registered, at());
    EXPECT_EQ(device->last_inform, at());
    EXPECT_EQ(device->last_boot, at());
    EXPECT_EQ(device->last_bootstrap, at());
    ASSERT_EQ(device->last_events.size(), 2U);
    EXPECT_EQ(device->last_events[0].event_code, "0 BOOTSTRAP");

    const auto interval =
        registry.find_parameter(phone_key(), "Device.ManagementServer.PeriodicInformInterval");
    ASSERT_TRUE(interval);
    EXPECT_EQ(interval->value, "900");
    EXPECT_EQ(interval->type, "xsd:unsignedInt");
    EXPECT_EQ(interval->timestamp, at());
    EXPECT_FALSE(interval->writable);
    EXPECT_FALSE(interval->object);
}

TEST_F(RegistryTest, ALaterInformUpdatesButKeepsRegistrationAndBootTimes) {
    registry.record_inform(phone_key(), phone_inform({"1 BOOT"}), at());
    auto periodic = phone_inform({"2 PERIODIC"});
    periodic.parameter_list = {{"Device.DeviceInfo.SoftwareVersion", "1.0.1", "xsd:string"}};
    EXPECT_FALSE(registry.record_inform(phone_key(), periodic, at(60)));

    const auto device = registry.find_device(phone_key());
    ASSERT_TRUE(device);
    EXPECT_EQ(device->registered, at());
    EXPECT_EQ(device->last_inform, at(60));
    EXPECT_EQ(device->last_boot, at());
    EXPECT_FALSE(device->last_bootstrap);
    ASSERT_EQ(device->last_events.size(), 1U);
    EXPECT_EQ(device->last_events[0].event_code, "2 PERIODIC");
    EXPECT_EQ(device->parameters.at("Device.DeviceInfo.SoftwareVersion").value, "1.0.1");
    EXPECT_EQ(device->parameters.at("Device.DeviceInfo.SoftwareVersion").timestamp, at(60));
    // Parameters the later Inform did not carry are still cached.
    EXPECT_EQ(device->parameters.at("Device.ManagementServer.PeriodicInformInterval").value, "900");
}

TEST_F(RegistryTest, StoredValuesWithoutATypeKeepTheCachedType) {
    registry.record_inform(phone_key(), phone_inform(), at());
    registry.store_values(phone_key(),
                          {{"Device.ManagementServer.PeriodicInformInterval", "60", ""},
                           {"Device.New.Thing", "x", ""}},
                          at(5));
    const auto interval =
        registry.find_parameter(phone_key(), "Device.ManagementServer.PeriodicInformInterval");
    EXPECT_EQ(interval->value, "60");
    EXPECT_EQ(interval->type, "xsd:unsignedInt");
    EXPECT_EQ(interval->timestamp, at(5));
    EXPECT_EQ(registry.find_parameter(phone_key(), "Device.New.Thing")->type, "");
}

TEST_F(RegistryTest, StoreValuesForAnUnknownDeviceDoesNothing) {
    registry.store_values("nobody", {{"Device.X", "1", "xsd:int"}}, at());
    EXPECT_FALSE(registry.has_device("nobody"));
}

TEST_F(RegistryTest, NamesSetWritableFlagsAndObjects) {
    registry.record_inform(phone_key(), phone_inform(), at());
    registry.store_names(phone_key(), "Device.ManagementServer.",
                         {{"Device.ManagementServer.", false},
                          {"Device.ManagementServer.PeriodicInformInterval", true}},
                         false, at(1));
    const auto object = registry.find_parameter(phone_key(), "Device.ManagementServer.");
    ASSERT_TRUE(object);
    EXPECT_TRUE(object->object);
    EXPECT_EQ(object->writable, false);
    const auto interval =
        registry.find_parameter(phone_key(), "Device.ManagementServer.PeriodicInformInterval");
    EXPECT_EQ(interval->writable, true);
    EXPECT_EQ(interval->value, "900");  // a name does not forget the value
    // Not complete: entries the response did not list stay.
    EXPECT_TRUE(registry.find_parameter(phone_key(), "Device.ManagementServer.ParameterKey"));
}

TEST_F(RegistryTest, ACompleteNameListForgetsWhatItDoesNotListUnderItsRootOnly) {
    registry.record_inform(phone_key(), phone_inform(), at());
    registry.store_names(phone_key(), "Device.ManagementServer.",
                         {{"Device.ManagementServer.", false},
                          {"Device.ManagementServer.PeriodicInformInterval", true}},
                         true, at(1));
    EXPECT_FALSE(registry.find_parameter(phone_key(), "Device.ManagementServer.ParameterKey"));
    EXPECT_FALSE(
        registry.find_parameter(phone_key(), "Device.ManagementServer.PeriodicInformEnable"));
    EXPECT_TRUE(
        registry.find_parameter(phone_key(), "Device.ManagementServer.PeriodicInformInterval"));
    EXPECT_TRUE(registry.find_parameter(phone_key(), "Device.DeviceInfo.SoftwareVersion"));
}

TEST_F(RegistryTest, RemoveSubtreeForgetsAnObjectAndItsChildrenOnly) {
    registry.record_inform(phone_key(), phone_inform(), at());
    registry.store_values(phone_key(),
                          {{"Device.X.1.A", "a", "xsd:string"},
                           {"Device.X.1.B", "b", "xsd:string"},
                           {"Device.X.10.A", "c", "xsd:string"}},
                          at());
    registry.remove_subtree(phone_key(), "Device.X.1.");
    EXPECT_FALSE(registry.find_parameter(phone_key(), "Device.X.1.A"));
    EXPECT_FALSE(registry.find_parameter(phone_key(), "Device.X.1.B"));
    EXPECT_TRUE(registry.find_parameter(phone_key(), "Device.X.10.A"));
}

TEST_F(RegistryTest, ForEachDeviceVisitsEveryDeviceInIdOrder) {
    registry.record_inform(phone_key("B"), phone_inform({}, "B"), at());
    registry.record_inform(phone_key("A"), phone_inform({}, "A"), at());
    std::vector<std::string> ids;
    registry.for_each_device([&](const DeviceRecord& device) { ids.push_back(device.id); });
    EXPECT_EQ(ids, (std::vector<std::string>{phone_key("A"), phone_key("B")}));
}

Task make_task(std::string id, std::string device) {
    Task task;
    task.id = std::move(id);
    task.device_id = std::move(device);
    task.spec = GetParameterValuesTask{{"Device.DeviceInfo.SoftwareVersion"}};
    task.timestamp = at();
    return task;
}

TEST_F(RegistryTest, PendingTasksComeOutOldestFirstPerDevice) {
    registry.add_task(make_task("t1", "d1"));
    registry.add_task(make_task("t2", "d2"));
    registry.add_task(make_task("t3", "d1"));
    EXPECT_EQ(registry.next_pending_task("d1")->id, "t1");
    EXPECT_EQ(registry.next_pending_task("d2")->id, "t2");
    EXPECT_FALSE(registry.next_pending_task("d3"));

    registry.complete_task("t1");
    EXPECT_EQ(registry.next_pending_task("d1")->id, "t3");
    registry.complete_task("t3");
    EXPECT_FALSE(registry.next_pending_task("d1"));
}

TEST_F(RegistryTest, DoneTasksLeaveTheOpenListButCanStillBeFound) {
    registry.add_task(make_task("t1", "d1"));
    registry.add_task(make_task("t2", "d1"));
    registry.complete_task("t1");
    const auto open = registry.open_tasks();
    ASSERT_EQ(open.size(), 1U);
    EXPECT_EQ(open[0].id, "t2");
    const auto done = registry.find_task("t1");
    ASSERT_TRUE(done);
    EXPECT_EQ(done->state, TaskState::Done);
    EXPECT_FALSE(registry.delete_task("t1"));  // history, not an open task
}

TEST_F(RegistryTest, AFaultedTaskIsNotPendingButStaysListedWithItsFault) {
    registry.add_task(make_task("t1", "d1"));
    registry.add_task(make_task("t2", "d1"));
    registry.fail_task("t1", TaskFault{"cwmp.9005", "Invalid parameter name", std::nullopt, at()});
    EXPECT_EQ(registry.next_pending_task("d1")->id, "t2");
    ASSERT_EQ(registry.open_tasks().size(), 2U);
    const auto faulted = registry.faulted_tasks();
    ASSERT_EQ(faulted.size(), 1U);
    EXPECT_EQ(faulted[0].id, "t1");
    EXPECT_EQ(faulted[0].state, TaskState::Fault);
    EXPECT_EQ(faulted[0].fault->code, "cwmp.9005");
    EXPECT_EQ(fault_id(faulted[0]), "d1:task_t1");
}

TEST_F(RegistryTest, RetryMakesAFaultedTaskPendingAgain) {
    registry.add_task(make_task("t1", "d1"));
    EXPECT_FALSE(registry.retry_task("t1"));  // not faulted
    EXPECT_EQ(registry.mark_task_sent("t1"), 1U);
    registry.fail_task("t1", TaskFault{"cwmp.9002", "Internal error", std::nullopt, at()});
    EXPECT_TRUE(registry.retry_task("t1"));
    const auto task = registry.find_task("t1");
    EXPECT_EQ(task->state, TaskState::Pending);
    EXPECT_FALSE(task->fault);
    EXPECT_EQ(task->retries, 1U);
    EXPECT_EQ(task->attempts, 0U);
    EXPECT_TRUE(registry.faulted_tasks().empty());
}

TEST_F(RegistryTest, DeleteRemovesAnOpenTask) {
    registry.add_task(make_task("t1", "d1"));
    EXPECT_TRUE(registry.delete_task("t1"));
    EXPECT_FALSE(registry.delete_task("t1"));
    EXPECT_FALSE(registry.find_task("t1"));
    EXPECT_FALSE(registry.next_pending_task("d1"));
}

TEST_F(RegistryTest, MarkSentCountsAttempts) {
    registry.add_task(make_task("t1", "d1"));
    EXPECT_EQ(registry.mark_task_sent("t1"), 1U);
    EXPECT_EQ(registry.mark_task_sent("t1"), 2U);
    EXPECT_EQ(registry.find_task("t1")->attempts, 2U);
    EXPECT_EQ(registry.mark_task_sent("missing"), 0U);
}

TEST_F(RegistryTest, KeepsABoundedHistoryOfDoneTasks) {
    for (std::size_t i = 0; i < InMemoryRegistry::kDoneTasksKept + 1; ++i) {
        const auto id = "t" + std::to_string(i);
        registry.add_task(make_task(id, "d1"));
        registry.complete_task(id);
    }
    EXPECT_FALSE(registry.find_task("t0"));
    EXPECT_TRUE(registry.find_task("t1"));
}

}  // namespace
}  // namespace acssim
