// Writing the tree: validation of every write first, then commit, then
// observers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

class ModelWrite : public ::testing::Test {
protected:
    void SetUp() override {
        model_.observe([this](const std::string& path, const std::string& value) {
            notified_.emplace_back(path, value);
        });
    }

    std::vector<ErrorCode> codes(const std::vector<Error>& errors) {
        std::vector<ErrorCode> result;
        for (const Error& error : errors) result.push_back(error.code);
        return result;
    }

    std::shared_ptr<const Definitions> definitions_ = test::test_definitions();
    Model model_{definitions_};
    std::vector<std::pair<std::string, std::string>> notified_;
};

TEST_F(ModelWrite, SetValuesStoresTheCanonicalValue) {
    ASSERT_TRUE(model_.set_values({{"Device.Test.Flag", "1", std::nullopt},
                                   {"Device.Test.Count", "042", BaseType::UnsignedInt},
                                   {"Device.Test.Name", "desk", BaseType::String}}));
    EXPECT_EQ(model_.value("Device.Test.Flag"), "true");
    EXPECT_EQ(model_.value("Device.Test.Count"), "42");
    EXPECT_EQ(model_.value("Device.Test.Name"), "desk");
}

TEST_F(ModelWrite, EveryFailureIsReportedAndNothingChanges) {
    const auto result = model_.set_values({
        {"Device.Test.Name", "changed", std::nullopt},    // fine on its own
        {"Device.Test.Count", "0", std::nullopt},         // out of range
        {"Device.Test.Status", "Down", std::nullopt},     // read-only
        {"Device.Test.Nope", "1", std::nullopt},          // no such parameter
        {"Device.Test.Flag", "true", BaseType::String},   // wrong declared type
        {"Device.Test.Mode", "Sometimes", std::nullopt},  // not in the enumeration
        {"Device.Test.", "x", std::nullopt},              // an object
    });
    ASSERT_FALSE(result);
    EXPECT_THAT(
        codes(result.error()),
        ElementsAre(ErrorCode::InvalidValue, ErrorCode::NotWritable, ErrorCode::InvalidName,
                    ErrorCode::InvalidType, ErrorCode::InvalidValue, ErrorCode::InvalidName));
    EXPECT_EQ(result.error()[0].path, "Device.Test.Count");
    EXPECT_EQ(result.error()[1].path, "Device.Test.Status");
    EXPECT_EQ(result.error()[2].path, "Device.Test.Nope");
    EXPECT_EQ(result.error()[3].path, "Device.Test.Flag");
    EXPECT_EQ(result.error()[4].path, "Device.Test.Mode");
    EXPECT_FALSE(result.error()[0].message.empty());
    EXPECT_EQ(model_.value("Device.Test.Name"), "phone");
    EXPECT_THAT(notified_, IsEmpty());
}

TEST_F(ModelWrite, ADuplicatePathIsInvalidArguments) {
    const auto result = model_.set_values(
        {{"Device.Test.Name", "a", std::nullopt}, {"Device.Test.Name", "b", std::nullopt}});
    ASSERT_FALSE(result);
    ASSERT_EQ(result.error().size(), 1u);
    EXPECT_EQ(result.error()[0].code, ErrorCode::InvalidArguments);
    EXPECT_EQ(result.error()[0].path, "Device.Test.Name");
    EXPECT_EQ(model_.value("Device.Test.Name"), "phone");
}

TEST_F(ModelWrite, IntegerTypesAreInterchangeableWhenTheValueFits) {
    EXPECT_TRUE(model_.set_values({{"Device.Test.Count", "50", BaseType::Int}}));
    EXPECT_TRUE(model_.set_values({{"Device.Test.Count", "51", BaseType::UnsignedLong}}));
    EXPECT_TRUE(model_.set_values({{"Device.Test.Count", "52", BaseType::Long}}));
    EXPECT_TRUE(model_.set_values({{"Device.Test.Even", "4", BaseType::UnsignedInt}}));

    const auto negative = model_.set_values({{"Device.Test.Count", "-1", BaseType::Int}});
    ASSERT_FALSE(negative);
    EXPECT_EQ(negative.error()[0].code, ErrorCode::InvalidValue);

    for (const BaseType declared : {BaseType::String, BaseType::Boolean, BaseType::DateTime}) {
        const auto wrong = model_.set_values({{"Device.Test.Count", "53", declared}});
        ASSERT_FALSE(wrong);
        EXPECT_EQ(wrong.error()[0].code, ErrorCode::InvalidType);
    }
    EXPECT_EQ(model_.value("Device.Test.Count"), "52");
}

TEST_F(ModelWrite, DeclaredTypeOfAListIsString) {
    EXPECT_TRUE(model_.set_values({{"Device.Test.Ports", "80,443", BaseType::String}}));
    const auto wrong = model_.set_values({{"Device.Test.Ports", "80", BaseType::UnsignedInt}});
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error()[0].code, ErrorCode::InvalidType);
}

TEST_F(ModelWrite, ReadOnlyEnumerationValuesAreForTheDeviceOnly) {
    const auto controller = model_.set_values({{"Device.Test.Mode", "Failed", std::nullopt}});
    ASSERT_FALSE(controller);
    EXPECT_EQ(controller.error()[0].code, ErrorCode::InvalidValue);
    EXPECT_TRUE(model_.set_internal({{"Device.Test.Mode", "Failed", std::nullopt}}));
    EXPECT_EQ(model_.value("Device.Test.Mode"), "Failed");
}

TEST_F(ModelWrite, SetInternalIgnoresWritabilityButChecksValues) {
    ASSERT_TRUE(model_.set_internal({{"Device.Test.Status", "Down", std::nullopt}}));
    EXPECT_EQ(model_.value("Device.Test.Status"), "Down");
    EXPECT_THAT(notified_, ElementsAre(Pair("Device.Test.Status", "Down")));

    const auto bad = model_.set_internal(
        {{"Device.Test.Count", "many", std::nullopt}, {"Device.Test.Gone", "1", std::nullopt}});
    ASSERT_FALSE(bad);
    EXPECT_THAT(codes(bad.error()), ElementsAre(ErrorCode::InvalidValue, ErrorCode::InvalidName));
}

TEST_F(ModelWrite, EnumerationRefTakesValuesFromTheTarget) {
    EXPECT_TRUE(model_.set_values({{"Device.Test.Chosen", "A", std::nullopt}}));
    EXPECT_TRUE(model_.set_values({{"Device.Test.Chosen", "None", std::nullopt}}));
    const auto unsupported = model_.set_values({{"Device.Test.Chosen", "C", std::nullopt}});
    ASSERT_FALSE(unsupported);
    EXPECT_EQ(unsupported.error()[0].code, ErrorCode::InvalidValue);

    ASSERT_TRUE(model_.set_internal({{"Device.Test.Supported", "A, B, C", std::nullopt}}));
    EXPECT_TRUE(model_.set_values({{"Device.Test.Chosen", "C", std::nullopt}}));
}

TEST_F(ModelWrite, EnumerationRefSeesTheTargetOfTheSameChangeSet) {
    ChangeSet changes;
    changes.writes = {{"Device.Test.Chosen", "C", std::nullopt}};
    changes.internal_writes = {{"Device.Test.Supported", "C", std::nullopt}};
    ASSERT_TRUE(model_.apply(changes));
    EXPECT_EQ(model_.value("Device.Test.Chosen"), "C");

    ChangeSet conflicting;
    conflicting.writes = {{"Device.Test.Chosen", "A", std::nullopt}};
    conflicting.internal_writes = {{"Device.Test.Supported", "B", std::nullopt}};
    ASSERT_FALSE(model_.apply(conflicting));
    EXPECT_EQ(model_.value("Device.Test.Supported"), "C");
}

TEST_F(ModelWrite, ApplyChecksWritabilityOnlyForControllerWrites) {
    ChangeSet changes;
    changes.writes = {{"Device.Test.Name", "desk", std::nullopt}};
    changes.internal_writes = {{"Device.Test.Status", "Down", std::nullopt}};
    changes.meta = {{"parameter-key", "k1"}};
    ASSERT_TRUE(model_.apply(changes));
    EXPECT_EQ(model_.value("Device.Test.Name"), "desk");
    EXPECT_EQ(model_.value("Device.Test.Status"), "Down");
    EXPECT_EQ(model_.meta("parameter-key"), "k1");

    ChangeSet duplicate;
    duplicate.writes = {{"Device.Test.Name", "a", std::nullopt}};
    duplicate.internal_writes = {{"Device.Test.Name", "b", std::nullopt}};
    duplicate.meta = {{"parameter-key", "k2"}};
    const auto result = model_.apply(duplicate);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error()[0].code, ErrorCode::InvalidArguments);
    EXPECT_EQ(model_.meta("parameter-key"), "k1");
}

TEST_F(ModelWrite, ObserversRunAfterCommitForChangedValuesInRequestOrder) {
    std::vector<std::string> seen_by_observer;
    model_.observe([this, &seen_by_observer](const std::string& path, const std::string&) {
        // The whole transaction is visible by the time any observer runs.
        seen_by_observer.push_back(path + "=" + *model_.value(path) +
                                   ";Flag=" + *model_.value("Device.Test.Flag"));
    });
    ASSERT_TRUE(model_.set_values({{"Device.Test.Name", "desk", std::nullopt},
                                   {"Device.Test.Count", "10", std::nullopt},  // unchanged
                                   {"Device.Test.Flag", "1", std::nullopt}}));
    EXPECT_THAT(notified_,
                ElementsAre(Pair("Device.Test.Name", "desk"), Pair("Device.Test.Flag", "true")));
    EXPECT_THAT(seen_by_observer,
                ElementsAre("Device.Test.Name=desk;Flag=true", "Device.Test.Flag=true;Flag=true"));
}

TEST_F(ModelWrite, ObserversAreNotCalledOnFailure) {
    ASSERT_FALSE(model_.set_values(
        {{"Device.Test.Name", "desk", std::nullopt}, {"Device.Test.Count", "1000", std::nullopt}}));
    EXPECT_THAT(notified_, IsEmpty());
}

TEST_F(ModelWrite, CommandParametersNotifyEveryWriteAndReadNull) {
    ASSERT_TRUE(model_.set_values({{"Device.Test.Reset", "true", std::nullopt}}));
    ASSERT_TRUE(model_.set_values({{"Device.Test.Reset", "1", std::nullopt}}));
    EXPECT_THAT(notified_,
                ElementsAre(Pair("Device.Test.Reset", "true"), Pair("Device.Test.Reset", "true")));
    EXPECT_EQ(model_.value("Device.Test.Reset"), "false");
}

TEST_F(ModelWrite, AnObserverMayWriteToTheModel) {
    model_.observe([this](const std::string& path, const std::string& value) {
        if (path == "Device.Test.Name") {
            ASSERT_TRUE(model_.set_internal({{"Device.Test.Status", "Renamed " + value, {}}}));
        }
    });
    ASSERT_TRUE(model_.set_values({{"Device.Test.Name", "desk", std::nullopt}}));
    EXPECT_EQ(model_.value("Device.Test.Status"), "Renamed desk");
}

TEST_F(ModelWrite, HiddenValuesAreWrittenButReadBackEmpty) {
    ASSERT_TRUE(model_.set_values({{"Device.Test.Secret", "new", std::nullopt}}));
    EXPECT_EQ(model_.value("Device.Test.Secret"), "new");
    const auto values = model_.get_values({"Device.Test.Secret"});
    ASSERT_TRUE(values);
    EXPECT_EQ(values->front().value, "");
}

TEST_F(ModelWrite, MetaInMemory) {
    EXPECT_FALSE(model_.meta("k"));
    ASSERT_TRUE(model_.set_meta("k", "v"));
    EXPECT_EQ(model_.meta("k"), "v");
    ASSERT_TRUE(model_.erase_meta("k"));
    EXPECT_FALSE(model_.meta("k"));
    EXPECT_THAT(notified_, IsEmpty());
}

}  // namespace
}  // namespace datamodel
