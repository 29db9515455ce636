// Reading the tree: GetParameterValues / GetParameterNames semantics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

std::vector<std::string> paths_of(const std::vector<ValueRead>& values) {
    std::vector<std::string> paths;
    for (const ValueRead& value : values) paths.push_back(value.path);
    return paths;
}

std::vector<std::string> paths_of(const std::vector<NameInfo>& names) {
    std::vector<std::string> paths;
    for (const NameInfo& name : names) paths.push_back(name.path);
    return paths;
}

class ModelRead : public ::testing::Test {
protected:
    std::shared_ptr<const Definitions> definitions_ = test::test_definitions();
    Model model_{definitions_};

    std::string read(const std::string& path) {
        const auto values = model_.get_values({path});
        if (!values || values->size() != 1) {
            ADD_FAILURE() << "cannot read " << path;
            return "<none>";
        }
        return values->front().value;
    }
};

const std::vector<std::string> kTestObjectParameters = {
    "Device.Test.Name",    "Device.Test.Code",
    "Device.Test.Secret",  "Device.Test.Count",
    "Device.Test.Even",    "Device.Test.Big",
    "Device.Test.Signed",  "Device.Test.Flag",
    "Device.Test.When",    "Device.Test.Blob",
    "Device.Test.Mac",     "Device.Test.Mode",
    "Device.Test.Address", "Device.Test.Ports",
    "Device.Test.Range",   "Device.Test.Supported",
    "Device.Test.Chosen",  "Device.Test.Status",
    "Device.Test.Reset",   "Device.Test.ItemNumberOfEntries"};

TEST_F(ModelRead, FullPathGivesValueAndType) {
    const auto values = model_.get_values({"Device.Test.Count", "Device.Test.Name"});
    ASSERT_TRUE(values);
    ASSERT_EQ(values->size(), 2u);
    EXPECT_EQ((*values)[0], (ValueRead{"Device.Test.Count", "10", BaseType::UnsignedInt}));
    EXPECT_EQ((*values)[1], (ValueRead{"Device.Test.Name", "phone", BaseType::String}));
}

TEST_F(ModelRead, ValuesStartAtFactoryDefaultOrTheTypesNullValue) {
    EXPECT_EQ(read("Device.Test.Mode"), "Auto");
    EXPECT_EQ(read("Device.Test.Range"), "1,2");
    EXPECT_EQ(read("Device.Test.Code"), "");
    EXPECT_EQ(read("Device.Test.Even"), "0");
    EXPECT_EQ(read("Device.Test.Flag"), "false");
    EXPECT_EQ(read("Device.Test.When"), "0001-01-01T00:00:00Z");
    EXPECT_EQ(read("Device.Test.Ports"), "");
}

TEST_F(ModelRead, ListsAreStrings) {
    const auto values = model_.get_values({"Device.Test.Ports"});
    ASSERT_TRUE(values);
    EXPECT_EQ(values->front().type, BaseType::String);
}

TEST_F(ModelRead, PartialPathGivesEveryParameterBelowInDefinitionOrder) {
    const auto values = model_.get_values({"Device.Test."});
    ASSERT_TRUE(values);
    EXPECT_EQ(paths_of(*values), kTestObjectParameters);
}

TEST_F(ModelRead, EmptyPathGivesEverything) {
    const auto values = model_.get_values({""});
    ASSERT_TRUE(values);
    std::vector<std::string> expected = {"Device.Version"};
    expected.insert(expected.end(), kTestObjectParameters.begin(), kTestObjectParameters.end());
    EXPECT_EQ(paths_of(*values), expected);
}

TEST_F(ModelRead, SeveralPathsAreConcatenatedInRequestOrder) {
    const auto values = model_.get_values({"Device.Test.Status", "Device."});
    ASSERT_TRUE(values);
    ASSERT_EQ(values->size(), 2u + kTestObjectParameters.size());
    EXPECT_EQ((*values)[0].path, "Device.Test.Status");
    EXPECT_EQ((*values)[1].path, "Device.Version");
}

TEST_F(ModelRead, UnknownPathsAreInvalidName) {
    for (const char* bad :
         {"Device.Nope", "Device.Test", "Device.Test.Name.", "Device..Test.", ".Device.",
          "Device.Test.Item.1.", "Device.Test.Item.{i}.", "Device.Test.Item.*.", "device."}) {
        const auto values = model_.get_values({"Device.Version", bad});
        ASSERT_FALSE(values) << bad;
        EXPECT_EQ(values.error().code, ErrorCode::InvalidName) << bad;
        EXPECT_EQ(values.error().path, bad);
    }
}

TEST_F(ModelRead, HiddenValuesReadAsTheNullValue) {
    EXPECT_EQ(read("Device.Test.Secret"), "");
    EXPECT_EQ(model_.value("Device.Test.Secret"), "s3cret");
    const auto all = model_.get_values({"Device.Test."});
    ASSERT_TRUE(all);
    EXPECT_THAT(*all, Contains(ValueRead{"Device.Test.Secret", "", BaseType::String}));
    // A command parameter reads as its null value.
    EXPECT_EQ(read("Device.Test.Reset"), "false");
}

TEST_F(ModelRead, ValueOfUnknownPathIsEmpty) {
    EXPECT_FALSE(model_.value("Device.Test.Nope"));
    EXPECT_FALSE(model_.value("Device.Test."));
}

TEST_F(ModelRead, NamesNextLevelOfTheRootIsDevice) {
    const auto names = model_.get_names("", true);
    ASSERT_TRUE(names);
    EXPECT_THAT(*names, ElementsAre(NameInfo{"Device.", false}));
}

TEST_F(ModelRead, NamesOfTheRootAreEverything) {
    const auto names = model_.get_names("", false);
    ASSERT_TRUE(names);
    std::vector<std::string> expected = {"Device.", "Device.Version", "Device.Test."};
    expected.insert(expected.end(), kTestObjectParameters.begin(), kTestObjectParameters.end());
    expected.push_back("Device.Test.Item.");
    EXPECT_EQ(paths_of(*names), expected);
}

TEST_F(ModelRead, NamesNextLevelAreTheDirectChildren) {
    const auto names = model_.get_names("Device.", true);
    ASSERT_TRUE(names);
    EXPECT_THAT(*names,
                ElementsAre(NameInfo{"Device.Version", false}, NameInfo{"Device.Test.", false}));

    const auto test_names = model_.get_names("Device.Test.", true);
    ASSERT_TRUE(test_names);
    std::vector<std::string> expected = kTestObjectParameters;
    expected.push_back("Device.Test.Item.");
    EXPECT_EQ(paths_of(*test_names), expected);
}

TEST_F(ModelRead, NamesBelowAPartialPathIncludeTheObjectItself) {
    const auto names = model_.get_names("Device.Test.", false);
    ASSERT_TRUE(names);
    std::vector<std::string> expected = {"Device.Test."};
    expected.insert(expected.end(), kTestObjectParameters.begin(), kTestObjectParameters.end());
    expected.push_back("Device.Test.Item.");
    EXPECT_EQ(paths_of(*names), expected);
}

TEST_F(ModelRead, WritableFollowsAccess) {
    const auto names = model_.get_names("Device.Test.", true);
    ASSERT_TRUE(names);
    EXPECT_THAT(*names, Contains(NameInfo{"Device.Test.Name", true}));
    EXPECT_THAT(*names, Contains(NameInfo{"Device.Test.Status", false}));
    EXPECT_THAT(*names, Contains(NameInfo{"Device.Test.Supported", false}));
    // A table whose instances may be added is writable.
    EXPECT_THAT(*names, Contains(NameInfo{"Device.Test.Item.", true}));
    const auto self = model_.get_names("Device.Test.", false);
    ASSERT_TRUE(self);
    EXPECT_EQ(self->front(), (NameInfo{"Device.Test.", false}));
}

TEST_F(ModelRead, NamesOfAParameterPath) {
    const auto names = model_.get_names("Device.Test.Name", false);
    ASSERT_TRUE(names);
    EXPECT_THAT(*names, ElementsAre(NameInfo{"Device.Test.Name", true}));
    const auto read_only = model_.get_names("Device.Test.Status", false);
    ASSERT_TRUE(read_only);
    EXPECT_THAT(*read_only, ElementsAre(NameInfo{"Device.Test.Status", false}));

    const auto next_level = model_.get_names("Device.Test.Name", true);
    ASSERT_FALSE(next_level);
    EXPECT_EQ(next_level.error().code, ErrorCode::InvalidArguments);
}

TEST_F(ModelRead, NamesOfUnknownPathsAreInvalidName) {
    for (const char* bad : {"Device.Nope.", "Device.Test", "Device.Nope", "Dev"}) {
        for (const bool next_level : {false, true}) {
            const auto names = model_.get_names(bad, next_level);
            ASSERT_FALSE(names) << bad;
            EXPECT_EQ(names.error().code, ErrorCode::InvalidName);
        }
    }
}

// Instances come from the store; the test writes them as an earlier run (or
// AddObject) would have.
class ModelInstances : public ::testing::Test {
protected:
    void SetUp() override {
        {
            auto created = Model::open(definitions_, file_);
            ASSERT_TRUE(created) << created.error().message;
        }
        test::run_sql(file_,
                      "INSERT INTO instances VALUES('Device.Test.Item.', 2);"
                      "INSERT INTO parameter_values VALUES"
                      " ('Device.Test.Item.1.Enable', 'false'),"
                      " ('Device.Test.Item.3.Alias', 'cpe-3'),"
                      " ('Device.Test.Item.1.Sub.2.Level', '-5'),"
                      " ('Device.Test.Count', '1000'),"  // no longer valid: ignored
                      " ('Device.Gone.Thing', 'x'),"     // no longer defined: ignored
                      " ('Device.Test.Item.x.Enable', 'true'),"
                      " ('Device.Test.Item.04.Enable', 'true');");
        auto opened = Model::open(definitions_, file_);
        ASSERT_TRUE(opened) << opened.error().message;
        model_ = std::move(*opened);
    }

    std::string read(const std::string& path) {
        const auto values = model_->get_values({path});
        if (!values || values->size() != 1) {
            ADD_FAILURE() << "cannot read " << path;
            return "<none>";
        }
        return values->front().value;
    }

    test::TempDir dir_;
    std::filesystem::path file_ = dir_.path() / "store.db";
    std::shared_ptr<const Definitions> definitions_ = test::test_definitions();
    std::unique_ptr<Model> model_;
};

TEST_F(ModelInstances, StoredInstancesAreListed) {
    const auto names = model_->get_names("Device.Test.Item.", true);
    ASSERT_TRUE(names);
    EXPECT_THAT(*names, ElementsAre(NameInfo{"Device.Test.Item.1.", true},
                                    NameInfo{"Device.Test.Item.2.", true},
                                    NameInfo{"Device.Test.Item.3.", true}));
}

TEST_F(ModelInstances, InstanceValuesAndDefaults) {
    EXPECT_EQ(read("Device.Test.Item.1.Enable"), "false");
    EXPECT_EQ(read("Device.Test.Item.2.Enable"), "true");  // object default
    EXPECT_EQ(read("Device.Test.Item.3.Alias"), "cpe-3");
    EXPECT_EQ(read("Device.Test.Item.1.Sub.2.Level"), "-5");
    EXPECT_EQ(read("Device.Test.Count"), "10");
    for (const char* bad :
         {"Device.Test.Item.4.Enable", "Device.Test.Item.04.Enable", "Device.Test.Item.x.Enable",
          "Device.Test.Item.2.Sub.2.Level", "Device.Gone.Thing", "Device.Test.Item.0."}) {
        const auto values = model_->get_values({bad});
        ASSERT_FALSE(values) << bad;
        EXPECT_EQ(values.error().code, ErrorCode::InvalidName);
    }
}

TEST_F(ModelInstances, NamesWalkInstancesInOrder) {
    const auto names = model_->get_names("Device.Test.Item.", false);
    ASSERT_TRUE(names);
    EXPECT_THAT(
        paths_of(*names),
        ElementsAre("Device.Test.Item.", "Device.Test.Item.1.", "Device.Test.Item.1.Alias",
                    "Device.Test.Item.1.Enable", "Device.Test.Item.1.Sub.",
                    "Device.Test.Item.1.Sub.2.", "Device.Test.Item.1.Sub.2.Level",
                    "Device.Test.Item.1.Sub.2.Pick", "Device.Test.Item.2.",
                    "Device.Test.Item.2.Alias", "Device.Test.Item.2.Enable",
                    "Device.Test.Item.2.Sub.", "Device.Test.Item.3.", "Device.Test.Item.3.Alias",
                    "Device.Test.Item.3.Enable", "Device.Test.Item.3.Sub."));
    const auto sub = model_->get_names("Device.Test.Item.1.Sub.", true);
    ASSERT_TRUE(sub);
    // Sub is a read-only table: its instances cannot be deleted.
    EXPECT_THAT(*sub, ElementsAre(NameInfo{"Device.Test.Item.1.Sub.2.", false}));
}

TEST_F(ModelInstances, ValuesOfATable) {
    const auto values = model_->get_values({"Device.Test.Item."});
    ASSERT_TRUE(values);
    EXPECT_THAT(paths_of(*values),
                ElementsAre("Device.Test.Item.1.Alias", "Device.Test.Item.1.Enable",
                            "Device.Test.Item.1.Sub.2.Level", "Device.Test.Item.1.Sub.2.Pick",
                            "Device.Test.Item.2.Alias", "Device.Test.Item.2.Enable",
                            "Device.Test.Item.3.Alias", "Device.Test.Item.3.Enable"));
}

TEST_F(ModelInstances, EnumerationRefClimbsOutOfInstances) {
    // Pick takes its values from ##.Supported: up from Sub.2 to Item.1, then
    // to Device.Test.
    EXPECT_TRUE(model_->set_values({{"Device.Test.Item.1.Sub.2.Pick", "B", std::nullopt}}));
    const auto result = model_->set_values({{"Device.Test.Item.1.Sub.2.Pick", "C", std::nullopt}});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error()[0].code, ErrorCode::InvalidValue);
    EXPECT_NE(result.error()[0].message.find("Device.Test.Supported"), std::string::npos);
}

TEST_F(ModelInstances, InstanceParametersCanBeSet) {
    ASSERT_TRUE(model_->set_values({{"Device.Test.Item.2.Enable", "0", BaseType::Boolean}}));
    EXPECT_EQ(read("Device.Test.Item.2.Enable"), "false");
    const auto missing = model_->set_values({{"Device.Test.Item.7.Enable", "1", std::nullopt}});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().front().code, ErrorCode::InvalidName);
}

}  // namespace
}  // namespace datamodel
