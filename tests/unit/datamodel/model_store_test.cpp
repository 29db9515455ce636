// The persistent store behind Model::open.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ModelStore : public ::testing::Test {
protected:
    std::unique_ptr<Model> open() {
        auto opened = Model::open(definitions_, file_);
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            return nullptr;
        }
        return std::move(*opened);
    }

    test::TempDir dir_;
    std::filesystem::path file_ = dir_.path() / "values.db";
    std::shared_ptr<const Definitions> definitions_ = test::test_definitions();
};

TEST_F(ModelStore, FreshlyCreatedOnlyWhenTheStoreDidNotExist) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        EXPECT_TRUE(model->freshly_created());
        EXPECT_EQ(model->value("Device.Test.Name"), "phone");
    }
    EXPECT_TRUE(std::filesystem::exists(file_));
    const auto again = open();
    ASSERT_TRUE(again);
    EXPECT_FALSE(again->freshly_created());
}

TEST_F(ModelStore, AnEmptyStoreFileCountsAsFreshlyCreated) {
    std::ofstream{file_};
    ASSERT_TRUE(std::filesystem::exists(file_));
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_TRUE(model->freshly_created());
}

TEST_F(ModelStore, ValuesPersistAcrossReopen) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ASSERT_TRUE(model->set_values({{"Device.Test.Name", "desk", std::nullopt},
                                       {"Device.Test.Secret", "pw", std::nullopt},
                                       {"Device.Test.Flag", "1", std::nullopt}}));
        ASSERT_TRUE(model->set_internal({{"Device.Test.Status", "Down", std::nullopt}}));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(model->value("Device.Test.Name"), "desk");
    EXPECT_EQ(model->value("Device.Test.Secret"), "pw");
    EXPECT_EQ(model->value("Device.Test.Flag"), "true");
    EXPECT_EQ(model->value("Device.Test.Status"), "Down");
    EXPECT_EQ(model->value("Device.Test.Count"), "10");  // never set: factory default
}

TEST_F(ModelStore, CommandParametersAreNotStored) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ASSERT_TRUE(model->set_values({{"Device.Test.Reset", "true", std::nullopt}}));
    }
    EXPECT_EQ(test::query_text(file_,
                               "SELECT count(*) FROM parameter_values "
                               "WHERE path = 'Device.Test.Reset'"),
              "0");
    EXPECT_EQ(test::query_text(file_, "SELECT count(*) FROM parameter_values"), "0");
}

TEST_F(ModelStore, ObserversRunOnceTheChangeIsInTheStore) {
    const auto model = open();
    ASSERT_TRUE(model);
    std::vector<std::string> stored_when_notified;
    model->observe([this, &stored_when_notified](const std::string& path, const std::string&) {
        stored_when_notified.push_back(test::query_text(
            file_, "SELECT value FROM parameter_values WHERE path = '" + path + "'"));
    });
    ASSERT_TRUE(model->set_values(
        {{"Device.Test.Name", "desk", std::nullopt}, {"Device.Test.Count", "20", std::nullopt}}));
    EXPECT_EQ(stored_when_notified, (std::vector<std::string>{"desk", "20"}));
}

TEST_F(ModelStore, MetaPersistsAndCanBeErased) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ASSERT_TRUE(model->set_meta("acs-url", "https://acs.example.test/"));
        ASSERT_TRUE(model->set_meta("events", "0 BOOTSTRAP"));
        ASSERT_TRUE(model->erase_meta("events"));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(model->meta("acs-url"), "https://acs.example.test/");
    EXPECT_FALSE(model->meta("events"));
}

TEST_F(ModelStore, ValuesAndMetaOfAChangeSetAreCommittedTogether) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ChangeSet changes;
        changes.writes = {{"Device.Test.Name", "desk", std::nullopt}};
        changes.internal_writes = {{"Device.Test.Status", "Down", std::nullopt}};
        changes.meta = {{"parameter-key", "k1"}};
        ASSERT_TRUE(model->apply(changes));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(model->value("Device.Test.Name"), "desk");
    EXPECT_EQ(model->value("Device.Test.Status"), "Down");
    EXPECT_EQ(model->meta("parameter-key"), "k1");
}

TEST_F(ModelStore, AFailedValidationWritesNothing) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ChangeSet changes;
        changes.writes = {{"Device.Test.Name", "desk", std::nullopt},
                          {"Device.Test.Count", "0", std::nullopt}};
        changes.meta = {{"parameter-key", "k1"}};
        ASSERT_FALSE(model->apply(changes));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(model->value("Device.Test.Name"), "phone");
    EXPECT_FALSE(model->meta("parameter-key"));
}

TEST_F(ModelStore, AStoreThatCannotCommitChangesNothing) {
    const auto model = open();
    ASSERT_TRUE(model);
    std::vector<std::string> notified;
    model->observe(
        [&notified](const std::string& path, const std::string&) { notified.push_back(path); });
    // Another connection holds the write lock for longer than the store waits.
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

    const auto result = model->set_values({{"Device.Test.Name", "desk", std::nullopt}});
    ASSERT_FALSE(result);
    ASSERT_EQ(result.error().size(), 1u);
    EXPECT_EQ(result.error()[0].code, ErrorCode::Internal);
    EXPECT_THAT(result.error()[0].message, HasSubstr(file_.string()));
    EXPECT_EQ(model->value("Device.Test.Name"), "phone");
    EXPECT_THAT(notified, IsEmpty());
    const auto meta = model->set_meta("k", "v");
    ASSERT_FALSE(meta);
    EXPECT_EQ(meta.error().code, ErrorCode::Internal);
    EXPECT_FALSE(model->meta("k"));

    ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(other);
    ASSERT_TRUE(model->set_values({{"Device.Test.Name", "desk", std::nullopt}}));
    EXPECT_EQ(model->value("Device.Test.Name"), "desk");
}

TEST_F(ModelStore, StoreUsesWalAndIsPrivate) {
    ASSERT_TRUE(open());
    const auto permissions = std::filesystem::status(file_).permissions();
    EXPECT_EQ(
        permissions & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
        std::filesystem::perms::none);

    EXPECT_EQ(test::query_text(file_, "PRAGMA journal_mode"), "wal");
}

TEST_F(ModelStore, AStoreFromANewerVersionIsRefused) {
    ASSERT_TRUE(open());
    test::run_sql(file_, "PRAGMA user_version=99;");
    const auto opened = Model::open(definitions_, file_);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::Internal);
    EXPECT_THAT(opened.error().message, HasSubstr("newer version"));
}

TEST_F(ModelStore, AFileThatIsNoDatabaseIsAnError) {
    std::ofstream(file_) << "this is not a database, just text that is long enough to matter "
                            "for the header check of the library reading it";
    const auto opened = Model::open(definitions_, file_);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::Internal);
    EXPECT_THAT(opened.error().message, HasSubstr(file_.string()));
}

TEST_F(ModelStore, AMissingFolderIsAnError) {
    const auto opened = Model::open(definitions_, dir_.path() / "no" / "such" / "values.db");
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::Internal);
}

}  // namespace
}  // namespace datamodel
