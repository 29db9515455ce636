// Reboot, FactoryReset and ScheduleInform as the ACS sees them: argument
// checks, faults, and what is committed before the response is built.
#include <gtest/gtest.h>

#include <algorithm>

#include "cwmp/event_codes.hpp"
#include "cwmp/fault_codes.hpp"
#include "lifecycle/device_lifecycle.hpp"
#include "lifecycle/scheduled_informs.hpp"
#include "rpc/rpc_dispatcher.hpp"
#include "test_model.hpp"

namespace agent::rpc {
namespace {

class LifecycleRpc : public ::testing::Test {
protected:
    boost::asio::io_context io;
    datamodel::Model model{testing::phone_definitions()};
    lifecycle::ScheduledInforms scheduled{io, model, [] {}};
    int restarts = 0;
    lifecycle::DeviceLifecycle device{
        io, model, scheduled, lifecycle::LifecycleSettings{.restart = [this] { ++restarts; }}};
    RpcDispatcher dispatcher{model};

    LifecycleRpc() { dispatcher.context().lifecycle = &device; }

    cwmp::Fault expect_fault(const cwmp::Body& body) {
        EXPECT_TRUE(std::holds_alternative<cwmp::Fault>(body)) << cwmp::method_name(body);
        return std::holds_alternative<cwmp::Fault>(body) ? std::get<cwmp::Fault>(body)
                                                         : cwmp::Fault{};
    }
    std::size_t pending(std::string_view code, std::string_view key) const {
        const auto& events = model.pending_events();
        return static_cast<std::size_t>(
            std::count_if(events.begin(), events.end(), [&](const datamodel::PendingEvent& e) {
                return e.code == code && e.command_key == key;
            }));
    }
};

TEST_F(LifecycleRpc, RebootCommitsMRebootWithItsCommandKeyBeforeAnswering) {
    const cwmp::Body answer = dispatcher.dispatch(cwmp::Reboot{"reboot-42"});
    ASSERT_TRUE(std::holds_alternative<cwmp::RebootResponse>(answer)) << cwmp::method_name(answer);
    EXPECT_EQ(pending(cwmp::event::kMReboot, "reboot-42"), 1u);
    EXPECT_TRUE(device.action_pending());
    EXPECT_FALSE(device.in_progress());
    EXPECT_EQ(restarts, 0) << "the reboot waits for the end of the session";
}

TEST_F(LifecycleRpc, RebootRepeatedWithTheSameKeyIsOneEvent) {
    dispatcher.dispatch(cwmp::Reboot{"same"});
    dispatcher.dispatch(cwmp::Reboot{"same"});
    EXPECT_EQ(pending(cwmp::event::kMReboot, "same"), 1u);
}

TEST_F(LifecycleRpc, RebootWithTooLongCommandKeyFaults9003AndDoesNothing) {
    const auto fault = expect_fault(dispatcher.dispatch(cwmp::Reboot{std::string(33, 'k')}));
    EXPECT_EQ(fault.fault_code, cwmp::kInvalidArguments);
    EXPECT_NE(fault.fault_string.find("CommandKey"), std::string::npos);
    EXPECT_TRUE(model.pending_events().empty());
    EXPECT_FALSE(device.action_pending());
    // 32 characters is the limit, not beyond it.
    EXPECT_TRUE(std::holds_alternative<cwmp::RebootResponse>(
        dispatcher.dispatch(cwmp::Reboot{std::string(32, 'k')})));
}

TEST_F(LifecycleRpc, FactoryResetIsRecordedBeforeAnswering) {
    const cwmp::Body answer = dispatcher.dispatch(cwmp::FactoryReset{});
    ASSERT_TRUE(std::holds_alternative<cwmp::FactoryResetResponse>(answer));
    EXPECT_TRUE(model.meta(lifecycle::DeviceLifecycle::kFactoryResetOwedKey).has_value());
    EXPECT_TRUE(device.action_pending());
    EXPECT_EQ(restarts, 0);
}

TEST_F(LifecycleRpc, ScheduleInformWithZeroDelayFaults9003) {
    const auto fault = expect_fault(dispatcher.dispatch(cwmp::ScheduleInform{0, "key"}));
    EXPECT_EQ(fault.fault_code, cwmp::kInvalidArguments);
    EXPECT_NE(fault.fault_string.find("DelaySeconds"), std::string::npos);
    EXPECT_EQ(scheduled.outstanding(), 0u);
}

TEST_F(LifecycleRpc, ScheduleInformWithTooLongCommandKeyFaults9003) {
    const auto fault =
        expect_fault(dispatcher.dispatch(cwmp::ScheduleInform{60, std::string(33, 'k')}));
    EXPECT_EQ(fault.fault_code, cwmp::kInvalidArguments);
    EXPECT_EQ(scheduled.outstanding(), 0u);
}

TEST_F(LifecycleRpc, ScheduleInformIsStoredBeforeAnswering) {
    const cwmp::Body answer = dispatcher.dispatch(cwmp::ScheduleInform{3600, "later"});
    ASSERT_TRUE(std::holds_alternative<cwmp::ScheduleInformResponse>(answer));
    EXPECT_EQ(scheduled.outstanding(), 1u);
    const auto stored = model.meta(lifecycle::ScheduledInforms::kMetaKey);
    ASSERT_TRUE(stored.has_value());
    EXPECT_NE(stored->find("later"), std::string::npos);
    // Nothing is owed before the due time.
    EXPECT_TRUE(model.pending_events().empty());
}

TEST_F(LifecycleRpc, TooManyOutstandingSchedulesFault9004) {
    for (std::size_t i = 0; i < lifecycle::ScheduledInforms::kMaxOutstanding; ++i) {
        ASSERT_TRUE(std::holds_alternative<cwmp::ScheduleInformResponse>(
            dispatcher.dispatch(cwmp::ScheduleInform{600, "k" + std::to_string(i)})));
    }
    const auto fault = expect_fault(dispatcher.dispatch(cwmp::ScheduleInform{600, "one more"}));
    EXPECT_EQ(fault.fault_code, cwmp::kResourcesExceeded);
    EXPECT_EQ(scheduled.outstanding(), lifecycle::ScheduledInforms::kMaxOutstanding);
}

TEST_F(LifecycleRpc, WithoutALifecycleTheMethodsAreDenied) {
    RpcDispatcher bare{model};
    EXPECT_EQ(expect_fault(bare.dispatch(cwmp::Reboot{"k"})).fault_code, cwmp::kRequestDenied);
    EXPECT_EQ(expect_fault(bare.dispatch(cwmp::FactoryReset{})).fault_code, cwmp::kRequestDenied);
    EXPECT_EQ(expect_fault(bare.dispatch(cwmp::ScheduleInform{5, "k"})).fault_code,
              cwmp::kRequestDenied);
    EXPECT_TRUE(model.pending_events().empty());
}

TEST_F(LifecycleRpc, GetRPCMethodsListsTheLifecycleMethods) {
    const cwmp::Body answer = dispatcher.dispatch(cwmp::GetRPCMethods{});
    ASSERT_TRUE(std::holds_alternative<cwmp::GetRPCMethodsResponse>(answer));
    const auto& methods = std::get<cwmp::GetRPCMethodsResponse>(answer).method_list;
    for (const char* method : {"Reboot", "FactoryReset", "ScheduleInform"}) {
        EXPECT_NE(std::find(methods.begin(), methods.end(), method), methods.end()) << method;
    }
}

}  // namespace
}  // namespace agent::rpc
