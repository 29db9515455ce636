// The SQLite-backed registry: what one instance writes, a new instance on the
// same file reads back whole; bad files are refused with a clear error.
#include "registry/registry_persistence.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "acs_server.hpp"
#include "presets/preset_json.hpp"
#include "registry/sqlite_registry_store.hpp"
#include "registry/task_serialization.hpp"
#include "test_support.hpp"

namespace acssim {
namespace {

namespace fs = std::filesystem;
using test::at;
using test::phone_inform;
using test::phone_key;

constexpr const char* kInterval = "Device.ManagementServer.PeriodicInformInterval";

// A fresh folder per test, removed also when the test fails.
class TemporaryFolder {
public:
    TemporaryFolder() {
        std::random_device random;
        path_ = fs::temp_directory_path() /
                ("acs-sim-registry-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
        fs::create_directories(path_);
    }
    ~TemporaryFolder() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

Task make_task(std::string id, TaskSpec spec, TimePoint when) {
    Task task;
    task.id = std::move(id);
    task.device_id = phone_key();
    task.spec = std::move(spec);
    task.timestamp = when;
    return task;
}

Preset make_preset(std::string name, const char* body) {
    auto preset = parse_preset(name, Json::parse(body));
    EXPECT_TRUE(preset) << preset.error();
    return std::move(*preset);
}

long long pragma(const std::string& file, const char* name) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(
        sqlite3_prepare_v2(db, (std::string{"PRAGMA "} + name).c_str(), -1, &statement, nullptr),
        SQLITE_OK);
    EXPECT_EQ(sqlite3_step(statement), SQLITE_ROW);
    const auto value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
}

void execute(const std::string& file, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
}

class RegistryPersistenceTest : public ::testing::Test {
protected:
    std::unique_ptr<RegistryPersistence> open(InMemoryRegistry& registry) {
        auto persistence = RegistryPersistence::open(file, registry);
        EXPECT_TRUE(persistence) << persistence.error();
        if (!persistence) return nullptr;
        return std::move(*persistence);
    }

    // Fills a registry with one of everything the database keeps.
    void populate(InMemoryRegistry& registry) {
        registry.record_inform(phone_key(), phone_inform({"0 BOOTSTRAP", "1 BOOT"}), at(1));
        registry.record_inform(phone_key(), phone_inform({"2 PERIODIC"}), at(2));
        registry.store_names(phone_key(), "Device.ManagementServer.",
                             {{"Device.ManagementServer.", false}, {kInterval, true}}, false,
                             at(3));
        registry.store_notifications(phone_key(), {{"Device.DeviceInfo.SoftwareVersion", 2}},
                                     at(4));
        registry.record_inform(phone_key("OTHER"), phone_inform({}, "OTHER"), at(5));

        registry.add_task(make_task("done1", RebootTask{}, at(6)));
        registry.complete_task("done1");
        // "007" must come back as written, not as the number 7.
        registry.add_task(
            make_task("spv1", SetParameterValuesTask{{{"Device.X", "007", "xsd:int"}}}, at(7)));
        registry.add_task(make_task("gpv1", GetParameterValuesTask{{kInterval}}, at(8)));
        registry.mark_task_sent("gpv1");
        cwmp::Fault cpe_fault{9003, "Invalid arguments", {{"Device.X", 9007, "Invalid value"}}};
        registry.fail_task("gpv1", TaskFault{"cwmp.9003", "Invalid arguments", cpe_fault, at(9)});
        registry.add_task(make_task(
            "spa1", SetParameterAttributesTask{{{"Device.Y", true, 2, true, {"Subscriber"}}}},
            at(10)));
        registry.add_task(make_task("add1", AddObjectTask{"Device.Z."}, at(11)));

        registry.put_preset(make_preset("bootstrap", R"({
            "weight": 5, "events": {"0 BOOTSTRAP": true},
            "precondition": "{\"_deviceId._ProductClass\": \"IPPhone\"}",
            "configurations": [{"type": "value", "name": "Device.A", "value": 300}]})"));
    }

    TemporaryFolder folder;
    std::string file = (folder.path() / "registry.sqlite").string();
};

void expect_same_devices(const InMemoryRegistry& expected, const InMemoryRegistry& actual) {
    std::vector<DeviceRecord> want;
    std::vector<DeviceRecord> got;
    expected.for_each_device([&](const DeviceRecord& device) { want.push_back(device); });
    actual.for_each_device([&](const DeviceRecord& device) { got.push_back(device); });
    ASSERT_EQ(want.size(), got.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        SCOPED_TRACE(want[i].id);
        EXPECT_EQ(got[i].id, want[i].id);
        EXPECT_EQ(got[i].device_id, want[i].device_id);
        EXPECT_EQ(got[i].registered, want[i].registered);
        EXPECT_EQ(got[i].last_inform, want[i].last_inform);
        EXPECT_EQ(got[i].last_boot, want[i].last_boot);
        EXPECT_EQ(got[i].last_bootstrap, want[i].last_bootstrap);
        EXPECT_EQ(got[i].last_events, want[i].last_events);
        EXPECT_EQ(got[i].parameters, want[i].parameters);
    }
}

void expect_same_tasks(const InMemoryRegistry& expected, const InMemoryRegistry& actual,
                       const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
        SCOPED_TRACE(id);
        const auto want = expected.find_task(id);
        const auto got = actual.find_task(id);
        ASSERT_EQ(want.has_value(), got.has_value());
        if (!want) continue;
        EXPECT_EQ(got->device_id, want->device_id);
        EXPECT_EQ(got->spec, want->spec);
        EXPECT_EQ(got->timestamp, want->timestamp);
        EXPECT_EQ(got->state, want->state);
        EXPECT_EQ(got->fault, want->fault);
        EXPECT_EQ(got->attempts, want->attempts);
        EXPECT_EQ(got->retries, want->retries);
    }
}

std::vector<std::string> open_task_ids(const InMemoryRegistry& registry) {
    std::vector<std::string> ids;
    for (const auto& task : registry.open_tasks()) ids.push_back(task.id);
    return ids;
}

TEST_F(RegistryPersistenceTest, ANewInstanceReadsBackEverythingTheLastOneWrote) {
    InMemoryRegistry first;
    {
        auto persistence = open(first);
        ASSERT_TRUE(persistence);
        populate(first);
        EXPECT_TRUE(persistence->close());
    }
    InMemoryRegistry second;
    auto reopened = open(second);
    ASSERT_TRUE(reopened);

    expect_same_devices(first, second);
    const auto interval = second.find_parameter(phone_key(), kInterval);
    ASSERT_TRUE(interval);
    EXPECT_EQ(interval->type, "xsd:unsignedInt");
    EXPECT_EQ(interval->writable, true);
    EXPECT_EQ(interval->timestamp, at(3));
    EXPECT_EQ(second.find_parameter(phone_key(), "Device.DeviceInfo.SoftwareVersion")->notification,
              2);
    EXPECT_TRUE(second.find_parameter(phone_key(), "Device.ManagementServer.")->object);

    expect_same_tasks(first, second, {"done1", "spv1", "gpv1", "spa1", "add1"});
    EXPECT_EQ(open_task_ids(second), (std::vector<std::string>{"spv1", "gpv1", "spa1", "add1"}));
    EXPECT_EQ(second.find_task("done1")->state, TaskState::Done);
    EXPECT_EQ(
        second.faulted_tasks().at(0).fault->detail->set_parameter_values_faults.at(0).fault_code,
        9007U);
    EXPECT_EQ(std::get<SetParameterValuesTask>(second.find_task("spv1")->spec)
                  .parameter_values.at(0)
                  .value,
              "007");

    const auto presets = second.presets();
    ASSERT_EQ(presets.size(), 1U);
    EXPECT_EQ(presets[0].document, first.presets()[0].document);
    EXPECT_EQ(presets[0].weight, 5);
    EXPECT_EQ(presets[0].events.at("0 BOOTSTRAP"), true);

    // Tasks queued after the restart come after the restored ones.
    second.add_task(make_task("later", RebootTask{}, at(20)));
    EXPECT_EQ(open_task_ids(second).back(), "later");
}

TEST_F(RegistryPersistenceTest, DeletionsAreWrittenToo) {
    InMemoryRegistry first;
    {
        auto persistence = open(first);
        ASSERT_TRUE(persistence);
        populate(first);
        EXPECT_GT(persistence->flush(), 0U);  // a first batch goes to the writer
        first.delete_device(phone_key("OTHER"));
        first.delete_task("add1");
        first.delete_preset("bootstrap");
        first.remove_subtree(phone_key(), "Device.ManagementServer.");
        first.store_values(phone_key(), {{"Device.DeviceInfo.SoftwareVersion", "2.0", ""}}, at(30));
        EXPECT_TRUE(persistence->close());
        EXPECT_EQ(persistence->pending_changes(), 0U);
    }
    InMemoryRegistry second;
    auto reopened = open(second);
    ASSERT_TRUE(reopened);
    expect_same_devices(first, second);
    EXPECT_FALSE(second.has_device(phone_key("OTHER")));
    EXPECT_FALSE(second.find_parameter(phone_key(), kInterval));
    EXPECT_EQ(second.find_parameter(phone_key(), "Device.DeviceInfo.SoftwareVersion")->value,
              "2.0");
    EXPECT_FALSE(second.find_task("add1"));
    EXPECT_TRUE(second.presets().empty());
}

TEST_F(RegistryPersistenceTest, DeletingADeviceDeletesItsOpenTasks) {
    InMemoryRegistry first;
    {
        auto persistence = open(first);
        ASSERT_TRUE(persistence);
        populate(first);
        EXPECT_TRUE(first.delete_device(phone_key()));
        EXPECT_FALSE(first.delete_device(phone_key()));
        EXPECT_TRUE(first.open_tasks().empty());
        EXPECT_TRUE(persistence->close());
    }
    InMemoryRegistry second;
    auto reopened = open(second);
    ASSERT_TRUE(reopened);
    EXPECT_FALSE(second.has_device(phone_key()));
    EXPECT_TRUE(second.open_tasks().empty());
    EXPECT_TRUE(second.has_device(phone_key("OTHER")));
}

TEST_F(RegistryPersistenceTest, TheFileCarriesItsSchemaVersionAndApplicationId) {
    {
        InMemoryRegistry registry;
        auto persistence = open(registry);
        ASSERT_TRUE(persistence);
    }
    EXPECT_EQ(pragma(file, "user_version"), SqliteRegistryStore::kSchemaVersion);
    EXPECT_EQ(pragma(file, "application_id"), SqliteRegistryStore::kApplicationId);
}

TEST_F(RegistryPersistenceTest, ANewerSchemaIsRefusedNamingTheVersion) {
    {
        InMemoryRegistry registry;
        ASSERT_TRUE(open(registry));
    }
    execute(file, "PRAGMA user_version = 2");
    InMemoryRegistry registry;
    auto persistence = RegistryPersistence::open(file, registry);
    ASSERT_FALSE(persistence);
    EXPECT_NE(persistence.error().find(file), std::string::npos) << persistence.error();
    EXPECT_NE(persistence.error().find("schema version is 2"), std::string::npos)
        << persistence.error();
}

TEST_F(RegistryPersistenceTest, AnotherApplicationsDatabaseIsRefusedAndLeftAlone) {
    execute(file, "CREATE TABLE accounts (name TEXT)");
    InMemoryRegistry registry;
    auto persistence = RegistryPersistence::open(file, registry);
    ASSERT_FALSE(persistence);
    EXPECT_NE(persistence.error().find("another application"), std::string::npos)
        << persistence.error();
    EXPECT_EQ(pragma(file, "user_version"), 0);
}

TEST_F(RegistryPersistenceTest, AFileThatIsNotADatabaseIsAClearError) {
    {
        std::ofstream garbage(file, std::ios::binary);
        std::mt19937 random(7);
        for (int i = 0; i < 8192; ++i) garbage.put(static_cast<char>(random()));
    }
    InMemoryRegistry registry;
    auto persistence = RegistryPersistence::open(file, registry);
    ASSERT_FALSE(persistence);
    EXPECT_NE(persistence.error().find(file), std::string::npos) << persistence.error();
    EXPECT_NE(persistence.error().find("not a database"), std::string::npos) << persistence.error();
}

TEST_F(RegistryPersistenceTest, AnUnreadableRowIsAClearErrorNamingIt) {
    {
        InMemoryRegistry registry;
        auto persistence = open(registry);
        ASSERT_TRUE(persistence);
        registry.add_task(make_task("t1", RebootTask{}, at()));
    }
    execute(file, "UPDATE tasks SET spec = '{\"name\": \"explode\"}'");
    InMemoryRegistry registry;
    auto persistence = RegistryPersistence::open(file, registry);
    ASSERT_FALSE(persistence);
    EXPECT_NE(persistence.error().find("task t1"), std::string::npos) << persistence.error();
}

TEST_F(RegistryPersistenceTest, AFolderThatCannotHoldTheFileIsAClearError) {
    const auto missing = (folder.path() / "no-such-folder" / "registry.sqlite").string();
    InMemoryRegistry registry;
    auto persistence = RegistryPersistence::open(missing, registry);
    ASSERT_FALSE(persistence);
    EXPECT_NE(persistence.error().find(missing), std::string::npos) << persistence.error();
}

TEST_F(RegistryPersistenceTest, ASecondInstanceOnTheSameFileIsRefused) {
    InMemoryRegistry registry;
    auto persistence = open(registry);
    ASSERT_TRUE(persistence);
    InMemoryRegistry other;
    auto second = RegistryPersistence::open(file, other);
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().find("another acs-sim"), std::string::npos) << second.error();
}

TEST_F(RegistryPersistenceTest, ManyChangesToOneEntryBetweenFlushesAreOneWrite) {
    InMemoryRegistry registry;
    auto persistence = open(registry);
    ASSERT_TRUE(persistence);
    registry.record_inform(phone_key(), phone_inform({}), at());
    persistence->close();
    InMemoryRegistry again;
    auto reopened = open(again);
    ASSERT_TRUE(reopened);
    for (int i = 0; i < 100; ++i) {
        again.store_values(phone_key(), {{kInterval, std::to_string(i), ""}}, at(i));
    }
    EXPECT_EQ(reopened->pending_changes(), 1U);
}

AcsServerOptions server_options(const std::string& file) {
    AcsServerOptions options;
    options.cwmp_listen.port(0);
    options.nbi_listen.port(0);
    options.database_file = file;
    options.database_flush_interval = std::chrono::milliseconds(10);
    return options;
}

TEST_F(RegistryPersistenceTest, TheServerLoadsAtStartAndWritesEverythingWhenItStops) {
    {
        AcsServer server(server_options(file));
        ASSERT_TRUE(server.start());
        server.registry().record_inform(phone_key(), phone_inform({"0 BOOTSTRAP"}), at());
        server.registry().put_preset(make_preset("p", R"({"weight": 2})"));
        server.stop();
        server.run();  // returns once stopped, after the last batch is written
    }
    AcsServer restarted(server_options(file));
    ASSERT_TRUE(restarted.start());
    EXPECT_TRUE(restarted.registry().has_device(phone_key()));
    ASSERT_EQ(restarted.registry().presets().size(), 1U);
    EXPECT_EQ(restarted.registry().presets()[0].weight, 2);
    restarted.stop();
    restarted.run();
}

TEST_F(RegistryPersistenceTest, TheServerDoesNotStartOnABadDatabase) {
    execute(file, "CREATE TABLE accounts (name TEXT)");
    AcsServer server(server_options(file));
    auto started = server.start();
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find(file), std::string::npos) << started.error();
}

TEST(TaskSerialization, RoundTripsEveryTaskKindAndFault) {
    const std::vector<TaskSpec> specs = {
        GetParameterValuesTask{{"A.B", "A.C."}},
        SetParameterValuesTask{{{"A.B", "0x1F", "xsd:string"}, {"A.C", "true", "xsd:boolean"}}},
        RefreshObjectTask{""},
        AddObjectTask{"A.B."},
        DeleteObjectTask{"A.B.1."},
        RebootTask{},
        FactoryResetTask{},
        SetParameterAttributesTask{{{"A.B", true, 1, false, {}}}},
    };
    for (const auto& spec : specs) {
        const auto parsed = parse_task_spec(serialize_task_spec(spec));
        ASSERT_TRUE(parsed) << parsed.error();
        EXPECT_EQ(*parsed, spec) << serialize_task_spec(spec);
    }
    const TaskFault fault{"cwmp.9005", "Invalid parameter name",
                          cwmp::Fault{9005, "Invalid parameter name", {}}, at(3)};
    const auto parsed = parse_task_fault(serialize_task_fault(fault));
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(*parsed, fault);
    EXPECT_FALSE(parse_task_spec("{\"name\": 5}"));
    EXPECT_FALSE(parse_task_spec("not json"));
    EXPECT_FALSE(parse_task_fault("{}"));
}

}  // namespace
}  // namespace acssim
