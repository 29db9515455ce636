// AddObject / DeleteObject (instances, numbering, NumberOfEntries, limits,
// atomicity, the store) and parameter attributes (Notification, AccessList).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <utility>
#include <vector>

#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Tables with limits and nesting, and one parameter per activeNotify kind.
constexpr const char* kObjectsModel = R"xml(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15">
  <model name="Objects:1.0">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="SlotNumberOfEntries" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
      <parameter name="GroupNumberOfEntries" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
      <parameter name="Key" access="readOnly">
        <syntax><string><size maxLength="8"/></string></syntax>
      </parameter>
    </object>
    <object name="Device.Slot.{i}." access="readWrite" minEntries="1" maxEntries="2"
            numEntriesParameter="SlotNumberOfEntries">
      <parameter name="Name" access="readWrite">
        <syntax><string/><default type="object" value="new"/></syntax>
      </parameter>
    </object>
    <object name="Device.Group.{i}." access="readWrite" minEntries="0" maxEntries="unbounded"
            numEntriesParameter="GroupNumberOfEntries">
      <parameter name="Label" access="readWrite">
        <syntax><string/><default type="object" value="group"/></syntax>
      </parameter>
      <parameter name="MemberNumberOfEntries" access="readOnly">
        <syntax><unsignedInt/></syntax>
      </parameter>
    </object>
    <object name="Device.Group.{i}.Member.{i}." access="readWrite" minEntries="0"
            maxEntries="unbounded" numEntriesParameter="MemberNumberOfEntries">
      <parameter name="Who" access="readWrite"><syntax><string/></syntax></parameter>
    </object>
    <object name="Device.Fixed.{i}." access="readOnly" minEntries="0" maxEntries="unbounded">
      <parameter name="Value" access="readOnly"><syntax><string/></syntax></parameter>
    </object>
    <object name="Device.Notify." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="Normal" access="readWrite"><syntax><string/></syntax></parameter>
      <parameter name="Deny" access="readOnly" activeNotify="canDeny">
        <syntax><string/></syntax>
      </parameter>
      <parameter name="Forced" access="readOnly" activeNotify="forceEnabled">
        <syntax><string/></syntax>
      </parameter>
      <parameter name="DefaultOn" access="readOnly" activeNotify="forceDefaultEnabled">
        <syntax><string/></syntax>
      </parameter>
    </object>
    <object name="Device.Plain." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="A" access="readWrite"><syntax><string/></syntax></parameter>
      <parameter name="B" access="readOnly"><syntax><string/></syntax></parameter>
    </object>
  </model>
</dm:document>
)xml";

std::shared_ptr<const Definitions> objects_definitions() {
    auto loaded = Definitions::load_string(kObjectsModel, "objects-model");
    if (!loaded) {
        ADD_FAILURE() << loaded.error().message;
        return std::make_shared<const Definitions>();
    }
    EXPECT_THAT(loaded->skipped(), IsEmpty());
    return std::make_shared<const Definitions>(std::move(*loaded));
}

// The instance number an add_object returned, 0 for an error.
std::uint32_t number_of(const phonecwmp::Expected<std::uint32_t, Error>& added) {
    return added ? *added : 0;
}

class ModelObjects : public ::testing::Test {
protected:
    std::unique_ptr<Model> open() {
        auto opened = Model::open(definitions_, file_);
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            return nullptr;
        }
        return std::move(*opened);
    }

    static std::string read(const Model& model, const std::string& path) {
        const auto values = model.get_values({path});
        if (!values || values->size() != 1) return "<error>";
        return values->front().value;
    }

    static std::vector<std::string> names(const Model& model, const std::string& path) {
        std::vector<std::string> result;
        const auto listed = model.get_names(path, true);
        if (listed) {
            for (const NameInfo& name : *listed) result.push_back(name.path);
        }
        return result;
    }

    std::string count_rows(const std::string& table, const std::string& where) {
        return test::query_text(file_, "SELECT count(*) FROM " + table + " WHERE " + where);
    }

    test::TempDir dir_;
    std::filesystem::path file_ = dir_.path() / "values.db";
    std::shared_ptr<const Definitions> definitions_ = objects_definitions();
};

TEST_F(ModelObjects, AddObjectCreatesAnInstanceAtItsObjectDefaults) {
    Model model(test::test_definitions());
    EXPECT_EQ(read(model, "Device.Test.ItemNumberOfEntries"), "0");
    const auto first = model.add_object("Device.Test.Item.");
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(*first, 1u);
    const auto values = model.get_values({"Device.Test.Item.1."});
    ASSERT_TRUE(values);
    EXPECT_THAT(*values,
                ElementsAre(ValueRead{"Device.Test.Item.1.Alias", "cpe-1", BaseType::String},
                            ValueRead{"Device.Test.Item.1.Enable", "true", BaseType::Boolean}));
    EXPECT_EQ(read(model, "Device.Test.ItemNumberOfEntries"), "1");
    EXPECT_EQ(model.value("Device.Test.ItemNumberOfEntries"), "1");

    const auto second = model.add_object("Device.Test.Item.");
    ASSERT_TRUE(second);
    EXPECT_EQ(*second, 2u);
    EXPECT_EQ(read(model, "Device.Test.ItemNumberOfEntries"), "2");
    const auto listed = model.get_names("Device.Test.Item.", true);
    ASSERT_TRUE(listed);
    EXPECT_THAT(*listed, ElementsAre(NameInfo{"Device.Test.Item.1.", true},
                                     NameInfo{"Device.Test.Item.2.", true}));
    // The new instance's parameters are writable like any other.
    ASSERT_TRUE(model.set_values({{"Device.Test.Item.2.Enable", "false", std::nullopt}}));
    EXPECT_EQ(read(model, "Device.Test.Item.2.Enable"), "false");
    EXPECT_EQ(read(model, "Device.Test.Item.1.Enable"), "true");
}

TEST_F(ModelObjects, InstanceNumbersAreNeverReusedAcrossDeleteAndReopen) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        for (std::uint32_t expected : {1u, 2u, 3u}) {
            const auto number = model->add_object("Device.Group.");
            ASSERT_TRUE(number);
            EXPECT_EQ(*number, expected);
        }
        ASSERT_TRUE(model->delete_object("Device.Group.3."));
        EXPECT_EQ(number_of(model->add_object("Device.Group.")), 4u);
        ASSERT_TRUE(model->delete_object("Device.Group.4."));
        ASSERT_TRUE(model->delete_object("Device.Group.1."));
        ASSERT_TRUE(model->set_values({{"Device.Group.2.Label", "kept", std::nullopt}}));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_THAT(names(*model, "Device.Group."), ElementsAre("Device.Group.2."));
    EXPECT_EQ(read(*model, "Device.Group.2.Label"), "kept");
    EXPECT_EQ(read(*model, "Device.GroupNumberOfEntries"), "1");
    EXPECT_EQ(number_of(model->add_object("Device.Group.")), 5u);
    EXPECT_EQ(read(*model, "Device.Group.5.Label"), "group");
}

TEST_F(ModelObjects, NumberingContinuesAfterInstancesThatCameFromTheStore) {
    ASSERT_TRUE(open());
    // Instances written before there were counters (or by a factory file).
    test::run_sql(file_,
                  "INSERT INTO instances VALUES('Device.Group.', 7);"
                  "INSERT INTO parameter_values VALUES('Device.Group.7.Label', 'old');");
    {
        const auto model = open();
        ASSERT_TRUE(model);
        EXPECT_EQ(read(*model, "Device.Group.7.Label"), "old");
        ASSERT_TRUE(model->delete_object("Device.Group.7."));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(number_of(model->add_object("Device.Group.")), 8u);
    EXPECT_EQ(read(*model, "Device.Group.8.Label"), "group");
}

TEST_F(ModelObjects, MaxEntriesIsResourcesExceededAndChangesNothing) {
    const auto model = open();
    ASSERT_TRUE(model);
    ASSERT_TRUE(model->add_object("Device.Slot."));
    ASSERT_TRUE(model->add_object("Device.Slot."));
    const auto third = model->add_object("Device.Slot.", {{}, {{"Device.Key", "k", {}}}, {}});
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().code, ErrorCode::ResourcesExceeded);
    EXPECT_EQ(third.error().path, "Device.Slot.");
    EXPECT_EQ(read(*model, "Device.SlotNumberOfEntries"), "2");
    EXPECT_EQ(read(*model, "Device.Key"), "");
    EXPECT_EQ(count_rows("instances", "table_path = 'Device.Slot.'"), "2");
    // Room again after a deletion, with the next number.
    ASSERT_TRUE(model->delete_object("Device.Slot.1."));
    EXPECT_EQ(number_of(model->add_object("Device.Slot.")), 3u);
}

TEST_F(ModelObjects, DeletingBelowMinEntriesIsRefused) {
    Model model(definitions_);
    ASSERT_TRUE(model.add_object("Device.Slot."));
    ASSERT_TRUE(model.add_object("Device.Slot."));
    ASSERT_TRUE(model.delete_object("Device.Slot.2."));
    const auto last = model.delete_object("Device.Slot.1.");
    ASSERT_FALSE(last);
    EXPECT_EQ(last.error().code, ErrorCode::InvalidName);
    EXPECT_EQ(read(model, "Device.Slot.1.Name"), "new");
    EXPECT_EQ(read(model, "Device.SlotNumberOfEntries"), "1");
}

TEST_F(ModelObjects, PathsThatAreNoWritableTableOrInstanceAreInvalidNames) {
    Model model(definitions_);
    ASSERT_TRUE(model.add_object("Device.Group."));
    ASSERT_TRUE(model.add_object("Device.Group.1.Member."));
    for (const char* path : {"", "Device.", "Device.Group", "Device.Group.1.", "Device.Group.{i}.",
                             "Device.Group.1.Label", "Device.Fixed.", "Device.Nope.",
                             "Device.Group.2.Member.", "Device.Notify."}) {
        const auto added = model.add_object(path);
        ASSERT_FALSE(added) << path;
        EXPECT_EQ(added.error().code, ErrorCode::InvalidName) << path;
    }
    for (const char* path : {"", "Device.", "Device.Group.", "Device.Group.1", "Device.Group.2.",
                             "Device.Group.01.", "Device.Group.1.Label", "Device.Group.1.Member.",
                             "Device.Group.1.Member.2.", "Device.Notify."}) {
        const auto deleted = model.delete_object(path);
        ASSERT_FALSE(deleted) << path;
        EXPECT_EQ(deleted.error().code, ErrorCode::InvalidName) << path;
    }
    EXPECT_EQ(read(model, "Device.GroupNumberOfEntries"), "1");
    EXPECT_EQ(read(model, "Device.Group.1.MemberNumberOfEntries"), "1");
}

TEST_F(ModelObjects, AddObjectAndItsAlongsideWritesAreOneTransaction) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ChangeSet alongside;
        alongside.internal_writes.push_back({"Device.Key", "key-1", std::nullopt});
        alongside.meta.push_back({"event", "M X"});
        EXPECT_EQ(number_of(model->add_object("Device.Group.", alongside)), 1u);
        EXPECT_EQ(model->value("Device.Key"), "key-1");
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(read(*model, "Device.Key"), "key-1");
    EXPECT_EQ(model->meta("event"), "M X");
    EXPECT_EQ(read(*model, "Device.Group.1.Label"), "group");
}

TEST_F(ModelObjects, AFailingAddOrDeleteChangesNothing) {
    const auto model = open();
    ASSERT_TRUE(model);
    std::vector<std::string> notified;
    model->observe(
        [&notified](const std::string& path, const std::string&) { notified.push_back(path); });
    // An alongside write that fails validation (longer than 8 characters).
    const ChangeSet bad{{}, {{"Device.Key", "far-too-long", std::nullopt}}, {{"m", "v"}}};
    const auto added = model->add_object("Device.Group.", bad);
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, ErrorCode::InvalidValue);
    EXPECT_EQ(read(*model, "Device.GroupNumberOfEntries"), "0");
    EXPECT_EQ(count_rows("instances", "1"), "0");
    EXPECT_EQ(count_rows("instance_counters", "1"), "0");
    EXPECT_FALSE(model->meta("m"));
    EXPECT_THAT(notified, IsEmpty());

    // A store that cannot commit: memory stays as it was too.
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    const auto locked = model->add_object("Device.Group.");
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().code, ErrorCode::Internal);
    EXPECT_THAT(names(*model, "Device.Group."), IsEmpty());
    ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_THAT(notified, IsEmpty());

    EXPECT_EQ(number_of(model->add_object("Device.Group.")), 1u);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    const auto deleted = model->delete_object("Device.Group.1.");
    ASSERT_FALSE(deleted);
    EXPECT_EQ(deleted.error().code, ErrorCode::Internal);
    EXPECT_EQ(read(*model, "Device.Group.1.Label"), "group");
    ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(other);
    const auto refused = model->delete_object("Device.Group.1.", bad);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidValue);
    EXPECT_EQ(read(*model, "Device.GroupNumberOfEntries"), "1");
    EXPECT_EQ(count_rows("instances", "table_path = 'Device.Group.'"), "1");
}

TEST_F(ModelObjects, DeletingAnInstanceRemovesEverythingBelowIt) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ASSERT_TRUE(model->add_object("Device.Group."));
        ASSERT_TRUE(model->add_object("Device.Group.1.Member."));
        ASSERT_TRUE(model->add_object("Device.Group.1.Member."));
        EXPECT_EQ(read(*model, "Device.Group.1.MemberNumberOfEntries"), "2");
        ASSERT_TRUE(model->set_values({{"Device.Group.1.Member.2.Who", "bob", std::nullopt}}));
        ASSERT_TRUE(model->set_attributes({{"Device.Group.1.", 1, std::nullopt}}));
        ASSERT_TRUE(model->delete_object("Device.Group.1."));
        EXPECT_THAT(names(*model, "Device.Group."), IsEmpty());
        const auto gone = model->get_values({"Device.Group.1.Member.2.Who"});
        ASSERT_FALSE(gone);
        EXPECT_EQ(gone.error().code, ErrorCode::InvalidName);
    }
    for (const char* table : {"instances", "instance_counters"}) {
        EXPECT_EQ(count_rows(table, "substr(table_path, 1, 15) = 'Device.Group.1.'"), "0") << table;
    }
    EXPECT_EQ(count_rows("parameter_values", "substr(path, 1, 15) = 'Device.Group.1.'"), "0");
    EXPECT_EQ(count_rows("attributes", "1"), "0");
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(number_of(model->add_object("Device.Group.")), 2u);
    // A new instance's own tables start at 1.
    EXPECT_EQ(number_of(model->add_object("Device.Group.2.Member.")), 1u);
    EXPECT_EQ(read(*model, "Device.Group.2.Member.1.Who"), "");
}

TEST_F(ModelObjects, ObserversSeeInstancesComeAndGo) {
    Model model(definitions_);
    std::vector<std::pair<std::string, std::string>> values;
    std::vector<std::pair<std::string, ObjectChange>> objects;
    model.observe([&values](const std::string& path, const std::string& value) {
        values.emplace_back(path, value);
    });
    model.observe_objects([&objects, &model](const std::string& path, ObjectChange change) {
        // Called after the commit: the instance is there (or gone) already.
        EXPECT_EQ(model.get_values({path}).has_value(), change == ObjectChange::Added);
        objects.emplace_back(path, change);
    });
    ASSERT_TRUE(model.add_object("Device.Group.", {{}, {{"Device.Key", "k1", std::nullopt}}, {}}));
    EXPECT_THAT(objects,
                ElementsAre(std::pair{std::string("Device.Group.1."), ObjectChange::Added}));
    EXPECT_THAT(values,
                ElementsAre(std::pair<std::string, std::string>{"Device.Group.1.Label", "group"},
                            std::pair<std::string, std::string>{
                                "Device.Group.1.MemberNumberOfEntries", "0"},
                            std::pair<std::string, std::string>{"Device.GroupNumberOfEntries", "1"},
                            std::pair<std::string, std::string>{"Device.Key", "k1"}));
    values.clear();
    objects.clear();
    ASSERT_TRUE(model.delete_object("Device.Group.1."));
    EXPECT_THAT(objects,
                ElementsAre(std::pair{std::string("Device.Group.1."), ObjectChange::Removed}));
    EXPECT_THAT(values, ElementsAre(std::pair<std::string, std::string>{
                            "Device.GroupNumberOfEntries", "0"}));
}

TEST_F(ModelObjects, AStoreOfTheFirstSchemaVersionIsMigrated) {
    // The tables as schema version 1 created them, with a value and an
    // instance in them.
    test::run_sql(file_,
                  "CREATE TABLE parameter_values(path TEXT PRIMARY KEY NOT NULL,"
                  "  value TEXT NOT NULL) WITHOUT ROWID;"
                  "CREATE TABLE instances(table_path TEXT NOT NULL, number INTEGER NOT NULL,"
                  "  PRIMARY KEY(table_path, number)) WITHOUT ROWID;"
                  "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
                  "  WITHOUT ROWID;"
                  "INSERT INTO instances VALUES('Device.Group.', 3);"
                  "INSERT INTO parameter_values VALUES('Device.Group.3.Label', 'before'),"
                  "  ('Device.Plain.A', 'a');"
                  "INSERT INTO meta VALUES('acs-url', 'http://acs/');"
                  "PRAGMA user_version=1;");
    {
        const auto model = open();
        ASSERT_TRUE(model);
        EXPECT_FALSE(model->freshly_created());
        EXPECT_EQ(read(*model, "Device.Group.3.Label"), "before");
        EXPECT_EQ(read(*model, "Device.Plain.A"), "a");
        EXPECT_EQ(model->meta("acs-url"), "http://acs/");
        EXPECT_EQ(number_of(model->add_object("Device.Group.")), 4u);
        ASSERT_TRUE(model->set_attributes({{"Device.Plain.A", 1, std::nullopt}}));
    }
    EXPECT_EQ(test::query_text(file_, "PRAGMA user_version"), "3");
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(read(*model, "Device.GroupNumberOfEntries"), "2");
    const auto attributes = model->get_attributes({"Device.Plain.A"});
    ASSERT_TRUE(attributes);
    EXPECT_EQ(attributes->front().attributes.notification, 1);
}

// --- attributes ---

int notification_of(const Model& model, const std::string& path) {
    const auto attributes = model.get_attributes({path});
    if (!attributes || attributes->size() != 1) return -1;
    return attributes->front().attributes.notification;
}

TEST_F(ModelObjects, AttributesStartAtTheirDefaults) {
    Model model(definitions_);
    const auto attributes = model.get_attributes({"Device.Notify."});
    ASSERT_TRUE(attributes);
    EXPECT_THAT(*attributes, ElementsAre(AttributeRead{"Device.Notify.Normal", {0, {}}},
                                         AttributeRead{"Device.Notify.Deny", {0, {}}},
                                         AttributeRead{"Device.Notify.Forced", {2, {}}},
                                         AttributeRead{"Device.Notify.DefaultOn", {2, {}}}));
    const auto unknown = model.get_attributes({"Device.Notify.Nope"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::InvalidName);
}

TEST_F(ModelObjects, APartialPathSetsEveryParameterBelowIt) {
    Model model(definitions_);
    ASSERT_TRUE(model.add_object("Device.Group."));
    ASSERT_TRUE(model.set_attributes({{"Device.Plain.", 4, std::vector<std::string>{"Subscriber"}},
                                      {"Device.Group.1.", 1, std::nullopt}}));
    const auto plain = model.get_attributes({"Device.Plain."});
    ASSERT_TRUE(plain);
    EXPECT_THAT(*plain, ElementsAre(AttributeRead{"Device.Plain.A", {4, {"Subscriber"}}},
                                    AttributeRead{"Device.Plain.B", {4, {"Subscriber"}}}));
    EXPECT_EQ(notification_of(model, "Device.Group.1.Label"), 1);
    EXPECT_EQ(notification_of(model, "Device.Group.1.MemberNumberOfEntries"), 1);
    EXPECT_EQ(notification_of(model, "Device.Notify.Normal"), 0);
    // A later entry wins over an earlier one for the same parameter.
    ASSERT_TRUE(model.set_attributes(
        {{"Device.Plain.", 1, std::nullopt}, {"Device.Plain.B", 0, std::nullopt}}));
    EXPECT_EQ(notification_of(model, "Device.Plain.A"), 1);
    EXPECT_EQ(notification_of(model, "Device.Plain.B"), 0);
}

TEST_F(ModelObjects, AnAttributeWithoutAChangeIsLeftAlone) {
    Model model(definitions_);
    ASSERT_TRUE(model.set_attributes({{"Device.Plain.A", 1, std::nullopt}}));
    ASSERT_TRUE(model.set_attributes(
        {{"Device.Plain.A", std::nullopt, std::vector<std::string>{"Subscriber", "Subscriber"}}}));
    auto attributes = model.get_attributes({"Device.Plain.A"});
    ASSERT_TRUE(attributes);
    EXPECT_EQ(attributes->front().attributes, (Attributes{1, {"Subscriber"}}));
    ASSERT_TRUE(model.set_attributes({{"Device.Plain.A", 3, std::nullopt}}));
    attributes = model.get_attributes({"Device.Plain.A"});
    ASSERT_TRUE(attributes);
    EXPECT_EQ(attributes->front().attributes, (Attributes{3, {"Subscriber"}}));
    ASSERT_TRUE(
        model.set_attributes({{"Device.Plain.A", std::nullopt, std::vector<std::string>{}}}));
    attributes = model.get_attributes({"Device.Plain.A"});
    ASSERT_TRUE(attributes);
    EXPECT_EQ(attributes->front().attributes, (Attributes{3, {}}));
}

TEST_F(ModelObjects, InvalidAttributeRequestsChangeNothing) {
    Model model(definitions_);
    const auto fails = [&model](std::vector<AttributeWrite> writes, ErrorCode code) {
        // The first entry alone would be fine.
        writes.insert(writes.begin(), AttributeWrite{"Device.Plain.A", 1, std::nullopt});
        const auto result = model.set_attributes(writes);
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, code) << result.error().message;
        EXPECT_EQ(notification_of(model, "Device.Plain.A"), 0);
    };
    fails({{"Device.Plain.B", 7, std::nullopt}}, ErrorCode::InvalidArguments);
    fails({{"Device.Plain.B", -1, std::nullopt}}, ErrorCode::InvalidArguments);
    fails({{"Device.Plain.B", std::nullopt, std::vector<std::string>{"Admin"}}},
          ErrorCode::InvalidArguments);
    fails({{"Device.Plain.B", std::nullopt, std::vector<std::string>{"Subscriber", ""}}},
          ErrorCode::InvalidArguments);
    fails({{"Device.Plain.Nope", 1, std::nullopt}}, ErrorCode::InvalidName);
    fails({{"Device.Group.1.", 1, std::nullopt}}, ErrorCode::InvalidName);
    fails({{"Device.Notify.Deny", 2, std::nullopt}}, ErrorCode::NotificationRejected);
}

TEST_F(ModelObjects, ActiveNotifyDecidesWhichNotificationsAreRejected) {
    Model model(definitions_);
    const auto set = [&model](const char* path, int notification) {
        const auto result = model.set_attributes({{path, notification, std::nullopt}});
        return result ? std::optional<ErrorCode>() : result.error().code;
    };
    // canDeny: no active notification in any form; passive is fine.
    for (int active : {2, 5, 6}) {
        EXPECT_EQ(set("Device.Notify.Deny", active), ErrorCode::NotificationRejected) << active;
    }
    for (int passive : {1, 3, 4, 0}) {
        EXPECT_EQ(set("Device.Notify.Deny", passive), std::nullopt) << passive;
        EXPECT_EQ(notification_of(model, "Device.Notify.Deny"), passive);
    }
    // forceEnabled: active, always.
    for (int other : {0, 1, 3, 4, 5, 6}) {
        EXPECT_EQ(set("Device.Notify.Forced", other), ErrorCode::NotificationRejected) << other;
    }
    EXPECT_EQ(set("Device.Notify.Forced", 2), std::nullopt);
    EXPECT_EQ(notification_of(model, "Device.Notify.Forced"), 2);
    // forceDefaultEnabled: active by default, the controller may change it.
    EXPECT_EQ(set("Device.Notify.DefaultOn", 0), std::nullopt);
    EXPECT_EQ(notification_of(model, "Device.Notify.DefaultOn"), 0);
    // normal: anything.
    EXPECT_EQ(set("Device.Notify.Normal", 6), std::nullopt);
    EXPECT_EQ(notification_of(model, "Device.Notify.Normal"), 6);
    // A partial path sets what it may and leaves the refusing parameters as
    // they are, instead of failing.
    EXPECT_EQ(set("Device.Notify.Deny", 1), std::nullopt);
    EXPECT_EQ(set("Device.Notify.", 2), std::nullopt);
    EXPECT_EQ(notification_of(model, "Device.Notify.Normal"), 2);
    EXPECT_EQ(notification_of(model, "Device.Notify.Deny"), 1);
    EXPECT_EQ(set("Device.Notify.", 0), std::nullopt);
    EXPECT_EQ(notification_of(model, "Device.Notify.Normal"), 0);
    EXPECT_EQ(notification_of(model, "Device.Notify.Deny"), 0);
    EXPECT_EQ(notification_of(model, "Device.Notify.Forced"), 2);
}

TEST_F(ModelObjects, AttributesPersistAcrossReopen) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ASSERT_TRUE(
            model->set_attributes({{"Device.Plain.A", 2, std::vector<std::string>{"Subscriber"}},
                                   {"Device.Notify.DefaultOn", 0, std::nullopt}}));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    const auto attributes = model->get_attributes({"Device.Plain.A", "Device.Notify."});
    ASSERT_TRUE(attributes);
    EXPECT_THAT(*attributes, ElementsAre(AttributeRead{"Device.Plain.A", {2, {"Subscriber"}}},
                                         AttributeRead{"Device.Notify.Normal", {0, {}}},
                                         AttributeRead{"Device.Notify.Deny", {0, {}}},
                                         AttributeRead{"Device.Notify.Forced", {2, {}}},
                                         AttributeRead{"Device.Notify.DefaultOn", {0, {}}}));
}

TEST_F(ModelObjects, AttributesOfAStoreThatCannotCommitStayAsTheyWere) {
    const auto model = open();
    ASSERT_TRUE(model);
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(file_.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    const auto result = model->set_attributes({{"Device.Plain.A", 1, std::nullopt}});
    ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(other);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::Internal);
    EXPECT_EQ(notification_of(*model, "Device.Plain.A"), 0);
    EXPECT_EQ(count_rows("attributes", "1"), "0");
}

}  // namespace
}  // namespace datamodel
