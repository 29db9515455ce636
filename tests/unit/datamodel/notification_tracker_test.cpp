// NotificationTracker: which changes the controller must be told of.
#include "datamodel/notification_tracker.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Change = NotificationTracker::Change;

class Tracker : public ::testing::Test {
protected:
    void SetUp() override {
        tracker_.on_active_change([this] { ++active_calls_; });
    }
    void notify(const std::string& path, int notification) {
        ASSERT_TRUE(model_.set_attributes({{path, notification, std::nullopt}}));
    }
    void device_sets(const std::string& path, const std::string& value) {
        ASSERT_TRUE(model_.set_internal({{path, value, std::nullopt}}));
    }

    Model model_{test::test_definitions()};
    NotificationTracker tracker_{model_};
    int active_calls_ = 0;
};

TEST_F(Tracker, PassiveChangesWaitForTheNextReport) {
    notify("Device.Test.Status", 1);
    device_sets("Device.Test.Status", "Down");
    device_sets("Device.Test.Status", "Dormant");
    EXPECT_THAT(tracker_.pending(), ElementsAre(Change{"Device.Test.Status", "Dormant", false}));
    EXPECT_FALSE(tracker_.active_pending());
    EXPECT_EQ(active_calls_, 0);
}

TEST_F(Tracker, ActiveChangesCallBackAfterTheCommit) {
    notify("Device.Test.Name", 2);
    device_sets("Device.Test.Name", "desk");
    EXPECT_EQ(active_calls_, 1);
    EXPECT_TRUE(tracker_.active_pending());
    EXPECT_THAT(tracker_.pending(), ElementsAre(Change{"Device.Test.Name", "desk", true}));
}

TEST_F(Tracker, ParametersWithoutNotificationAreIgnored) {
    device_sets("Device.Test.Status", "Down");
    notify("Device.Test.Name", 3);  // passive lightweight only: not for the Inform
    device_sets("Device.Test.Name", "desk");
    notify("Device.Test.Code", 5);  // active lightweight only
    device_sets("Device.Test.Code", "x");
    EXPECT_THAT(tracker_.pending(), IsEmpty());
    EXPECT_EQ(active_calls_, 0);
}

TEST_F(Tracker, TheLightweightCombinationsCountAsPassive) {
    notify("Device.Test.Name", 4);
    notify("Device.Test.Code", 6);
    device_sets("Device.Test.Name", "desk");
    device_sets("Device.Test.Code", "x");
    EXPECT_THAT(tracker_.pending(), ElementsAre(Change{"Device.Test.Code", "x", false},
                                                Change{"Device.Test.Name", "desk", false}));
}

TEST_F(Tracker, TheControllersOwnChangesAreNotReportedBack) {
    notify("Device.Test.Name", 2);
    device_sets("Device.Test.Name", "device");
    ASSERT_TRUE(model_.set_values({{"Device.Test.Name", "acs", std::nullopt}}));
    EXPECT_THAT(tracker_.pending(), IsEmpty());
    EXPECT_EQ(active_calls_, 1);
}

TEST_F(Tracker, HiddenValuesAreReportedEmpty) {
    notify("Device.Test.Secret", 1);
    device_sets("Device.Test.Secret", "pw");
    EXPECT_THAT(tracker_.pending(), ElementsAre(Change{"Device.Test.Secret", "", false}));
}

TEST_F(Tracker, ReportedChangesAreForgottenUnlessChangedAgain) {
    notify("Device.Test.Name", 1);
    notify("Device.Test.Code", 1);
    device_sets("Device.Test.Name", "one");
    device_sets("Device.Test.Code", "c");
    const auto sent = tracker_.pending();
    device_sets("Device.Test.Name", "two");  // during the session
    tracker_.reported(sent);
    EXPECT_THAT(tracker_.pending(), ElementsAre(Change{"Device.Test.Name", "two", false}));
}

TEST_F(Tracker, LiveParametersAreSampledAgainstTheLastReport) {
    std::string status = "Up";
    ASSERT_TRUE(model_.register_parameter(
        "Device.Test.Status",
        {.get = [&status](const std::string&) { return status; }, .validate = {}}));
    notify("Device.Test.Status", 1);
    EXPECT_THAT(tracker_.pending(), IsEmpty());  // first sight: the baseline
    status = "Down";
    const auto sent = tracker_.pending();
    EXPECT_THAT(sent, ElementsAre(Change{"Device.Test.Status", "Down", false}));
    tracker_.reported(sent);
    EXPECT_THAT(tracker_.pending(), IsEmpty());
    status = "Up";
    EXPECT_THAT(tracker_.pending(), ElementsAre(Change{"Device.Test.Status", "Up", false}));
}

TEST_F(Tracker, ASignalledLiveChangeWithActiveNotificationCallsBack) {
    std::string status = "Up";
    ASSERT_TRUE(model_.register_parameter(
        "Device.Test.Status",
        {.get = [&status](const std::string&) { return status; }, .validate = {}}));
    notify("Device.Test.Status", 2);
    tracker_.pending();  // baseline "Up"
    status = "Down";
    model_.live_value_changed("Device.Test.Status");
    EXPECT_EQ(active_calls_, 1);
    // Back to the reported value before the report: nothing left to say.
    status = "Up";
    model_.live_value_changed("Device.Test.Status");
    EXPECT_THAT(tracker_.pending(), IsEmpty());
}

TEST_F(Tracker, ADeletedInstanceHasNothingToReport) {
    ASSERT_TRUE(model_.add_object("Device.Test.Item."));
    notify("Device.Test.Item.1.Enable", 1);
    device_sets("Device.Test.Item.1.Enable", "false");
    ASSERT_TRUE(model_.delete_object("Device.Test.Item.1."));
    EXPECT_THAT(tracker_.pending(), IsEmpty());
}

TEST_F(Tracker, ClearDropsEverythingPending) {
    notify("Device.Test.Name", 2);
    device_sets("Device.Test.Name", "desk");
    tracker_.clear();
    EXPECT_THAT(tracker_.pending(), IsEmpty());
    EXPECT_FALSE(tracker_.active_pending());
}

}  // namespace
}  // namespace datamodel
