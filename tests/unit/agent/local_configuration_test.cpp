#include "local_configuration.hpp"

#include <gtest/gtest.h>

#include "test_model.hpp"

namespace agent {
namespace {

constexpr const char* kInterval = "Device.ManagementServer.PeriodicInformInterval";
constexpr const char* kSerial = "Device.DeviceInfo.SerialNumber";

class LocalConfiguration : public ::testing::Test {
protected:
    datamodel::Model model{testing::phone_definitions()};

    void acs_sets(const char* path, const char* value) {
        ASSERT_TRUE(model.set_values({{path, value, std::nullopt}}).has_value());
    }
};

TEST_F(LocalConfiguration, InitialValuesApplyOnce) {
    ASSERT_TRUE(apply_local_configuration(model, {{kInterval, "30"}, {kSerial, "S1"}}));
    EXPECT_EQ(model.value(kInterval), "30");
    EXPECT_EQ(model.value(kSerial), "S1");
}

TEST_F(LocalConfiguration, TheSameLocalValueDoesNotUndoTheAcs) {
    ASSERT_TRUE(apply_local_configuration(model, {{kInterval, "30"}}));
    acs_sets(kInterval, "900");
    ASSERT_TRUE(apply_local_configuration(model, {{kInterval, "30"}}));  // restart
    EXPECT_EQ(model.value(kInterval), "900");
}

TEST_F(LocalConfiguration, AChangedLocalValueApplies) {
    ASSERT_TRUE(apply_local_configuration(model, {{kInterval, "30"}}));
    acs_sets(kInterval, "900");
    ASSERT_TRUE(apply_local_configuration(model, {{kInterval, "45"}}));
    EXPECT_EQ(model.value(kInterval), "45");
}

TEST_F(LocalConfiguration, DeviceIdentityAppliesAtEveryStart) {
    ASSERT_TRUE(apply_local_configuration(model, {{kSerial, "S1"}}));
    ASSERT_TRUE(apply_local_configuration(model, {{kSerial, "S2"}}));
    EXPECT_EQ(model.value(kSerial), "S2");
}

TEST_F(LocalConfiguration, InvalidValuesAreAllReportedAndNothingChanges) {
    auto result = apply_local_configuration(
        model, {{kSerial, "S9"}, {kInterval, "zero"}, {"Device.Nope", "1"}});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().size(), 2u);
    EXPECT_NE(model.value(kSerial), "S9");
}

}  // namespace
}  // namespace agent
