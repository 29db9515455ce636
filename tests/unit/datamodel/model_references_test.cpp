// Strong path references (BBF pathRef), unique keys and the Alias a device
// gives a new row.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::HasSubstr;

constexpr const char* kReferenceModel = R"xml(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15">
  <model name="Ref:1.0">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="LinkNumberOfEntries" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
      <parameter name="UserNumberOfEntries" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
    </object>
    <object name="Device.Link.{i}." access="readWrite" minEntries="0" maxEntries="unbounded"
            numEntriesParameter="LinkNumberOfEntries" enableParameter="Enable">
      <uniqueKey functional="false"><parameter ref="Alias"/></uniqueKey>
      <uniqueKey><parameter ref="Name"/></uniqueKey>
      <parameter name="Alias" access="readWrite"><syntax><string><size maxLength="64"/></string></syntax></parameter>
      <parameter name="Enable" access="readWrite"><syntax><boolean/><default type="object" value="false"/></syntax></parameter>
      <parameter name="Name" access="readWrite"><syntax><string/></syntax></parameter>
      <parameter name="Lower" access="readWrite">
        <syntax><string><pathRef refType="strong" targetParent="#.Link." targetType="row"/></string></syntax>
      </parameter>
    </object>
    <object name="Device.User.{i}." access="readWrite" minEntries="0" maxEntries="unbounded"
            numEntriesParameter="UserNumberOfEntries">
      <parameter name="Links" access="readWrite">
        <syntax><list/><string><pathRef refType="strong" targetParent=".Link." targetType="row"/></string></syntax>
      </parameter>
      <parameter name="Anything" access="readWrite">
        <syntax><string><pathRef refType="weak" targetType="row"/></string></syntax>
      </parameter>
    </object>
  </model>
</dm:document>
)xml";

class ModelReferences : public ::testing::Test {
protected:
    void SetUp() override {
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(model_.add_object("Device.Link."));
        ASSERT_TRUE(model_.add_object("Device.User."));
    }
    static std::shared_ptr<const Definitions> definitions() {
        auto loaded = Definitions::load_string(kReferenceModel, "references");
        if (!loaded) throw std::runtime_error(loaded.error().message);
        return std::make_shared<const Definitions>(std::move(*loaded));
    }
    phonecwmp::Expected<void, std::vector<Error>> set(const std::string& path,
                                                      const std::string& value) {
        return model_.set_values({{path, value, std::nullopt}});
    }
    Model model_{definitions()};
};

TEST_F(ModelReferences, TheDefinitionKeepsThePathRef) {
    const ParameterDefinition* lower = model_.definitions().find_parameter("Device.Link.{i}.Lower");
    ASSERT_NE(lower, nullptr);
    ASSERT_TRUE(lower->syntax.path_ref);
    EXPECT_TRUE(lower->syntax.path_ref->strong);
    EXPECT_EQ(lower->syntax.path_ref->target_type, PathRef::Target::Row);
    EXPECT_EQ(lower->syntax.path_ref->target_parents, std::vector<std::string>{"#.Link."});
}

TEST_F(ModelReferences, AStrongReferenceMustNameAnExistingRowOfItsTable) {
    EXPECT_TRUE(set("Device.Link.1.Lower", "Device.Link.2"));
    EXPECT_TRUE(set("Device.Link.1.Lower", "Device.Link.3."));
    EXPECT_TRUE(set("Device.Link.1.Lower", ""));
    for (const char* bad : {"Device.Link.9", "Device.User.1", "Device.Link.", "Device.Link.1.Name",
                            "Device.Nowhere.1"}) {
        const auto refused = set("Device.Link.1.Lower", bad);
        ASSERT_FALSE(refused) << bad;
        EXPECT_EQ(refused.error().front().code, ErrorCode::InvalidValue);
        EXPECT_THAT(refused.error().front().message, HasSubstr(bad));
    }
    EXPECT_TRUE(set("Device.User.1.Links", "Device.Link.1,Device.Link.3"));
    EXPECT_FALSE(set("Device.User.1.Links", "Device.Link.1,Device.Link.7"));
    // A weak reference is not checked.
    EXPECT_TRUE(set("Device.User.1.Anything", "Device.Link.99"));
}

TEST_F(ModelReferences, DeletingARowClearsTheStrongReferencesToIt) {
    ASSERT_TRUE(set("Device.Link.1.Lower", "Device.Link.2"));
    ASSERT_TRUE(set("Device.User.1.Links", "Device.Link.2,Device.Link.3"));
    ASSERT_TRUE(set("Device.User.1.Anything", "Device.Link.2"));
    std::vector<ParameterChange> seen;
    model_.observe_subtree("", [&seen](const CommittedChanges& changes) {
        seen.insert(seen.end(), changes.parameters.begin(), changes.parameters.end());
    });
    ASSERT_TRUE(model_.delete_object("Device.Link.2."));
    EXPECT_EQ(model_.value("Device.Link.1.Lower"), "");
    EXPECT_EQ(model_.value("Device.User.1.Links"), "Device.Link.3");
    EXPECT_EQ(model_.value("Device.User.1.Anything"), "Device.Link.2");
    EXPECT_THAT(seen, ::testing::Contains(
                          ParameterChange{"Device.Link.1.Lower", "", ChangeSource::Controller}));
}

TEST_F(ModelReferences, TheDeviceNamesNewRowsWithACpePrefix) {
    EXPECT_EQ(model_.value("Device.Link.1.Alias"), "cpe-1");
    EXPECT_EQ(model_.value("Device.Link.3.Alias"), "cpe-3");
}

TEST_F(ModelReferences, ANonFunctionalKeyIsUniqueAmongAllRows) {
    const auto refused = set("Device.Link.2.Alias", "cpe-1");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().front().path, "Device.Link.2.Alias");
    EXPECT_THAT(refused.error().front().message, HasSubstr("Device.Link.1."));
    // Swapping two aliases in one request is fine: the combined state counts.
    EXPECT_TRUE(model_.set_values({{"Device.Link.1.Alias", "cpe-2", std::nullopt},
                                   {"Device.Link.2.Alias", "cpe-1", std::nullopt}}));
}

TEST_F(ModelReferences, AFunctionalKeyBindsEnabledRowsOnly) {
    EXPECT_TRUE(set("Device.Link.1.Name", "eth0"));
    EXPECT_TRUE(set("Device.Link.2.Name", "eth0"));  // both disabled
    EXPECT_TRUE(set("Device.Link.1.Enable", "true"));
    const auto refused = set("Device.Link.2.Enable", "true");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().front().path, "Device.Link.2.Enable");
    const auto renamed = model_.set_values({{"Device.Link.3.Enable", "true", std::nullopt},
                                            {"Device.Link.3.Name", "eth0", std::nullopt}});
    ASSERT_FALSE(renamed);
    std::vector<std::string> paths;
    for (const Error& error : renamed.error()) paths.push_back(error.path);
    EXPECT_THAT(paths, ::testing::Contains("Device.Link.3.Name"));
}

}  // namespace
}  // namespace datamodel
