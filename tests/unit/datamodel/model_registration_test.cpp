// What subsystems register with the model: live getters, value checks and
// rules across parameters (datamodel/model.hpp, ParameterHooks and add_rule).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ModelRegistration : public ::testing::Test {
protected:
    Model model_{test::test_definitions()};
};

TEST_F(ModelRegistration, ALiveGetterIsAskedOnEveryRead) {
    int reads = 0;
    ASSERT_TRUE(model_.register_parameter("Device.Test.Status",
                                          {.get =
                                               [&reads](const std::string& path) {
                                                   ++reads;
                                                   return path + "#" + std::to_string(reads);
                                               },
                                           .validate = {}}));
    const auto first = model_.get_values({"Device.Test.Status"});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->front().value, "Device.Test.Status#1");
    EXPECT_EQ(model_.value("Device.Test.Status"), "Device.Test.Status#2");
    // A partial path reads the live value too.
    const auto all = model_.get_values({"Device.Test."});
    ASSERT_TRUE(all);
    const auto status = std::find_if(all->begin(), all->end(), [](const ValueRead& read) {
        return read.path == "Device.Test.Status";
    });
    ASSERT_NE(status, all->end());
    EXPECT_EQ(status->value, "Device.Test.Status#3");
}

TEST_F(ModelRegistration, ALiveHiddenParameterStillReadsEmpty) {
    ASSERT_TRUE(model_.register_parameter(
        "Device.Test.Secret",
        {.get = [](const std::string&) { return std::string("live"); }, .validate = {}}));
    EXPECT_EQ(model_.get_values({"Device.Test.Secret"})->front().value, "");
    EXPECT_EQ(model_.value("Device.Test.Secret"), "live");
}

TEST_F(ModelRegistration, LiveParametersListsEveryInstance) {
    ASSERT_TRUE(model_.add_object("Device.Test.Item."));
    ASSERT_TRUE(model_.add_object("Device.Test.Item."));
    EXPECT_THAT(model_.live_parameters(), IsEmpty());
    ASSERT_TRUE(model_.register_parameter(
        "Device.Test.Item.{i}.Enable",
        {.get = [](const std::string&) { return std::string("true"); }, .validate = {}}));
    EXPECT_THAT(model_.live_parameters(),
                ElementsAre("Device.Test.Item.1.Enable", "Device.Test.Item.2.Enable"));
}

TEST_F(ModelRegistration, RegisteringAnUnknownParameterFails) {
    const auto registered = model_.register_parameter("Device.Test.Nope", {});
    ASSERT_FALSE(registered);
    EXPECT_EQ(registered.error().code, ErrorCode::InvalidName);
}

TEST_F(ModelRegistration, AValidateHookRefusesAValueAndNothingChanges) {
    ASSERT_TRUE(model_.register_parameter(
        "Device.Test.Mode", {.get = {},
                             .validate = [](const std::string&, const std::string& value)
                                 -> std::optional<std::string> {
                                 if (value == "Manual") return "manual mode is not implemented";
                                 return std::nullopt;
                             }}));
    const auto refused = model_.set_values(
        {{"Device.Test.Name", "desk", std::nullopt}, {"Device.Test.Mode", "Manual", std::nullopt}});
    ASSERT_FALSE(refused);
    ASSERT_EQ(refused.error().size(), 1u);
    EXPECT_EQ(refused.error()[0].code, ErrorCode::InvalidValue);
    EXPECT_EQ(refused.error()[0].path, "Device.Test.Mode");
    EXPECT_THAT(refused.error()[0].message, HasSubstr("not implemented"));
    EXPECT_EQ(model_.value("Device.Test.Name"), "phone");
    EXPECT_TRUE(model_.set_values({{"Device.Test.Mode", "Auto", std::nullopt}}));
}

// A rule in the spirit of the restricted access domains: Name must start
// with Code when Code is set.
std::vector<Error> name_starts_with_code(const ProposedState& state) {
    const std::string code = state.value("Device.Test.Code").value_or("");
    const std::string name = state.value("Device.Test.Name").value_or("");
    if (code.empty() || name.starts_with(code)) return {};
    return {Error{ErrorCode::InvalidValue, "Device.Test.Name",
                  "'" + name + "' does not start with '" + code + "'"}};
}

TEST_F(ModelRegistration, ARuleSeesTheCombinedNewState) {
    model_.add_rule({"Device.Test.Code", "Device.Test.Name"}, name_starts_with_code);
    // Both change together: valid only in combination.
    EXPECT_TRUE(model_.set_values(
        {{"Device.Test.Code", "ab", std::nullopt}, {"Device.Test.Name", "abc", std::nullopt}}));
    // Code alone now breaks the rule for Name, which this request did not write.
    const auto refused = model_.set_values({{"Device.Test.Code", "x", std::nullopt}});
    ASSERT_FALSE(refused);
    ASSERT_EQ(refused.error().size(), 1u);
    EXPECT_EQ(refused.error()[0].path, "Device.Test.Name");
    EXPECT_EQ(model_.value("Device.Test.Code"), "ab");
}

TEST_F(ModelRegistration, ARuleRunsOnlyWhenAWatchedParameterIsWritten) {
    int runs = 0;
    model_.add_rule({"Device.Test.Item.{i}."}, [&runs](const ProposedState& state) {
        ++runs;
        EXPECT_FALSE(state.written().empty());
        return std::vector<Error>{};
    });
    ASSERT_TRUE(model_.set_values({{"Device.Test.Name", "x", std::nullopt}}));
    EXPECT_EQ(runs, 0);
    ASSERT_TRUE(model_.add_object("Device.Test.Item."));
    EXPECT_EQ(runs, 1);
    ASSERT_TRUE(model_.set_values({{"Device.Test.Item.1.Enable", "false", std::nullopt}}));
    EXPECT_EQ(runs, 2);
}

TEST_F(ModelRegistration, ARuleCanRefuseTheDefaultsOfANewInstance) {
    model_.add_rule({"Device.Test.Item."}, [](const ProposedState& state) {
        std::vector<Error> errors;
        for (const std::string& path : state.written()) {
            if (path.ends_with(".Enable") && state.value(path) == "true") {
                errors.push_back({ErrorCode::InvalidValue, path, "no enabled items"});
            }
        }
        return errors;
    });
    const auto added = model_.add_object("Device.Test.Item.");
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().path, "Device.Test.Item.1.Enable");
    EXPECT_EQ(model_.value("Device.Test.ItemNumberOfEntries"), "0");
}

TEST_F(ModelRegistration, TheProposedStateReadsUnwrittenAndUnknownParameters) {
    std::optional<std::string> count;
    std::optional<std::string> unknown;
    model_.add_rule({"Device.Test.Name"}, [&](const ProposedState& state) {
        count = state.value("Device.Test.Count");
        unknown = state.value("Device.Test.Missing");
        return std::vector<Error>{};
    });
    ASSERT_TRUE(model_.set_values({{"Device.Test.Name", "y", std::nullopt}}));
    EXPECT_EQ(count, "10");
    EXPECT_EQ(unknown, std::nullopt);
}

}  // namespace
}  // namespace datamodel
