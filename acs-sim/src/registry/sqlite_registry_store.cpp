#include "registry/sqlite_registry_store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "presets/preset_json.hpp"
#include "registry/task_serialization.hpp"

namespace acssim {

namespace {

using phonecwmp::Unexpected;

constexpr const char* kSchema = R"sql(
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    manufacturer TEXT NOT NULL,
    oui TEXT NOT NULL,
    product_class TEXT NOT NULL,
    serial_number TEXT NOT NULL,
    registered INTEGER NOT NULL,
    last_inform INTEGER NOT NULL,
    last_boot INTEGER,
    last_bootstrap INTEGER,
    last_events TEXT NOT NULL
);
CREATE TABLE parameters (
    device_id TEXT NOT NULL,
    name TEXT NOT NULL,
    object INTEGER NOT NULL,
    value TEXT,
    type TEXT NOT NULL,
    writable INTEGER,
    notification INTEGER,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY (device_id, name)
) WITHOUT ROWID;
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    sequence INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    spec TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    state TEXT NOT NULL,
    fault TEXT,
    attempts INTEGER NOT NULL,
    retries INTEGER NOT NULL
);
CREATE TABLE presets (
    name TEXT PRIMARY KEY,
    document TEXT NOT NULL
);
)sql";

struct StatementDeleter {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

std::string message(sqlite3* db) {
    return sqlite3_errmsg(db);
}

phonecwmp::Expected<Statement, std::string> prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
        return Unexpected(message(db));
    }
    return Statement{statement};
}

phonecwmp::Expected<void, std::string> execute(sqlite3* db, const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        std::string text = error != nullptr ? error : message(db);
        sqlite3_free(error);
        return Unexpected(std::move(text));
    }
    return {};
}

phonecwmp::Expected<long long, std::string> single_integer(sqlite3* db, const char* sql) {
    auto statement = prepare(db, sql);
    if (!statement) return Unexpected(statement.error());
    if (sqlite3_step(statement->get()) != SQLITE_ROW) return Unexpected(message(db));
    return sqlite3_column_int64(statement->get(), 0);
}

void bind_text(sqlite3_stmt* statement, int index, std::string_view text) {
    sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
}

void bind_optional_time(sqlite3_stmt* statement, int index, const std::optional<TimePoint>& time) {
    if (time) {
        sqlite3_bind_int64(statement, index, to_stored_time(*time));
    } else {
        sqlite3_bind_null(statement, index);
    }
}

std::string column_text(sqlite3_stmt* statement, int index) {
    const auto* text = sqlite3_column_text(statement, index);
    if (text == nullptr) return {};
    return {reinterpret_cast<const char*>(text),
            static_cast<std::size_t>(sqlite3_column_bytes(statement, index))};
}

bool column_null(sqlite3_stmt* statement, int index) {
    return sqlite3_column_type(statement, index) == SQLITE_NULL;
}

std::optional<TimePoint> column_optional_time(sqlite3_stmt* statement, int index) {
    if (column_null(statement, index)) return std::nullopt;
    return from_stored_time(sqlite3_column_int64(statement, index));
}

std::string events_text(const std::vector<cwmp::EventStruct>& events) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& event : events) list.push_back({event.event_code, event.command_key});
    return list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

phonecwmp::Expected<std::vector<cwmp::EventStruct>, std::string> parse_events(
    const std::string& text) {
    try {
        std::vector<cwmp::EventStruct> events;
        for (const auto& entry : nlohmann::json::parse(text)) {
            events.push_back({entry.at(0).get<std::string>(), entry.at(1).get<std::string>()});
        }
        return events;
    } catch (const std::exception& error) {
        return Unexpected(std::string{"unreadable events: "} + error.what());
    }
}

std::optional<TaskState> parse_state(std::string_view text) {
    for (auto state :
         {TaskState::Pending, TaskState::Transferring, TaskState::Done, TaskState::Fault}) {
        if (to_string(state) == text) return state;
    }
    return std::nullopt;
}

// Checks or creates the schema; the error says what is wrong with the file.
phonecwmp::Expected<void, std::string> prepare_schema(sqlite3* db) {
    // The first read is where SQLite finds out that a file is not a database.
    auto tables = single_integer(db, "SELECT count(*) FROM sqlite_schema");
    if (!tables) return Unexpected(tables.error());
    auto application = single_integer(db, "PRAGMA application_id");
    if (!application) return Unexpected(application.error());
    auto version = single_integer(db, "PRAGMA user_version");
    if (!version) return Unexpected(version.error());

    if (*tables == 0) {
        if (auto begun = execute(db, "BEGIN IMMEDIATE"); !begun) return begun;
        auto created = execute(db, kSchema);
        if (created) {
            created =
                execute(db, fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}",
                                        SqliteRegistryStore::kApplicationId,
                                        SqliteRegistryStore::kSchemaVersion)
                                .c_str());
        }
        if (!created) {
            (void)execute(db, "ROLLBACK");
            return created;
        }
        return execute(db, "COMMIT");
    }
    if (*application != SqliteRegistryStore::kApplicationId) {
        return Unexpected(fmt::format(
            "it is a SQLite database of another application (application_id {}, not acs-sim's {})",
            *application, SqliteRegistryStore::kApplicationId));
    }
    if (*version != SqliteRegistryStore::kSchemaVersion) {
        return Unexpected(
            fmt::format("its schema version is {}; this acs-sim reads version {} only", *version,
                        SqliteRegistryStore::kSchemaVersion));
    }
    return {};
}

}  // namespace

phonecwmp::Expected<std::unique_ptr<SqliteRegistryStore>, std::string> SqliteRegistryStore::open(
    const std::string& file) {
    if (file != ":memory:") {
        // Owner-only from the first byte, whatever the umask: it keeps the
        // values ACS-side tasks set, passwords included. SQLite creates its
        // -wal and -shm files with the mode of this one.
        const int created = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (created >= 0) ::close(created);
    }
    sqlite3* db = nullptr;
    const int opened =
        sqlite3_open_v2(file.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    auto store = std::make_unique<SqliteRegistryStore>(Key{}, db, file);
    auto fail = [&](std::string why) {
        if (db != nullptr && (sqlite3_extended_errcode(db) & 0xff) == SQLITE_BUSY) {
            why += " (is another acs-sim using it?)";
        }
        return Unexpected(fmt::format("database {}: {}", file, why));
    };
    if (opened != SQLITE_OK) {
        return fail(db != nullptr ? message(db) : std::string{sqlite3_errstr(opened)});
    }
    sqlite3_extended_result_codes(db, 1);
    // A second acs-sim holding the lock: give up quickly with a clear error.
    sqlite3_busy_timeout(db, 1000);
    // WAL with synchronous=NORMAL: a crash or power cut can lose the last
    // batches but never leaves a half-written one.
    for (const char* pragma : {"PRAGMA locking_mode = EXCLUSIVE", "PRAGMA journal_mode = WAL",
                               "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = OFF"}) {
        if (auto done = execute(db, pragma); !done) return fail(done.error());
    }
    if (auto schema = prepare_schema(db); !schema) return fail(schema.error());
    // Take the exclusive lock now rather than at the first write.
    if (auto locked = execute(db, "BEGIN EXCLUSIVE; COMMIT"); !locked) {
        return fail(locked.error());
    }
    return store;
}

SqliteRegistryStore::~SqliteRegistryStore() {
    sqlite3_close_v2(db_);
}

phonecwmp::Expected<SqliteRegistryStore::LoadCounts, std::string> SqliteRegistryStore::load_into(
    InMemoryRegistry& registry) const {
    auto fail = [&](std::string why) {
        return Unexpected(fmt::format("database {}: {}", file_, why));
    };
    LoadCounts counts;

    std::map<std::string, DeviceRecord, std::less<>> devices;
    {
        auto select = prepare(db_,
                              "SELECT id, manufacturer, oui, product_class, serial_number, "
                              "registered, last_inform, last_boot, last_bootstrap, last_events "
                              "FROM devices");
        if (!select) return fail(select.error());
        int step;
        while ((step = sqlite3_step(select->get())) == SQLITE_ROW) {
            auto* row = select->get();
            DeviceRecord device;
            device.id = column_text(row, 0);
            device.device_id = {column_text(row, 1), column_text(row, 2), column_text(row, 3),
                                column_text(row, 4)};
            device.registered = from_stored_time(sqlite3_column_int64(row, 5));
            device.last_inform = from_stored_time(sqlite3_column_int64(row, 6));
            device.last_boot = column_optional_time(row, 7);
            device.last_bootstrap = column_optional_time(row, 8);
            auto events = parse_events(column_text(row, 9));
            if (!events) return fail("device " + device.id + ": " + events.error());
            device.last_events = std::move(*events);
            auto id = device.id;
            devices.emplace(std::move(id), std::move(device));
        }
        if (step != SQLITE_DONE) return fail(message(db_));
    }
    {
        auto select = prepare(db_,
                              "SELECT device_id, name, object, value, type, writable, "
                              "notification, timestamp FROM parameters");
        if (!select) return fail(select.error());
        int step;
        while ((step = sqlite3_step(select->get())) == SQLITE_ROW) {
            auto* row = select->get();
            auto device = devices.find(column_text(row, 0));
            // A row whose device is gone cannot be shown anywhere: skip it.
            if (device == devices.end()) continue;
            CachedParameter parameter;
            parameter.object = sqlite3_column_int(row, 2) != 0;
            if (!column_null(row, 3)) parameter.value = column_text(row, 3);
            parameter.type = column_text(row, 4);
            if (!column_null(row, 5)) parameter.writable = sqlite3_column_int(row, 5) != 0;
            if (!column_null(row, 6)) parameter.notification = sqlite3_column_int(row, 6);
            parameter.timestamp = from_stored_time(sqlite3_column_int64(row, 7));
            device->second.parameters.insert_or_assign(column_text(row, 1), std::move(parameter));
            ++counts.parameters;
        }
        if (step != SQLITE_DONE) return fail(message(db_));
    }
    counts.devices = devices.size();
    for (auto& [id, device] : devices) registry.restore_device(std::move(device));

    {
        auto select = prepare(db_,
                              "SELECT id, sequence, device_id, spec, timestamp, state, fault, "
                              "attempts, retries FROM tasks ORDER BY sequence");
        if (!select) return fail(select.error());
        int step;
        while ((step = sqlite3_step(select->get())) == SQLITE_ROW) {
            auto* row = select->get();
            Task task;
            task.id = column_text(row, 0);
            const auto sequence = static_cast<std::uint64_t>(sqlite3_column_int64(row, 1));
            task.device_id = column_text(row, 2);
            auto spec = parse_task_spec(column_text(row, 3));
            if (!spec) return fail("task " + task.id + ": " + spec.error());
            task.spec = std::move(*spec);
            task.timestamp = from_stored_time(sqlite3_column_int64(row, 4));
            auto state = parse_state(column_text(row, 5));
            if (!state) return fail("task " + task.id + ": unknown state " + column_text(row, 5));
            task.state = *state;
            if (!column_null(row, 6)) {
                auto fault = parse_task_fault(column_text(row, 6));
                if (!fault) return fail("task " + task.id + ": " + fault.error());
                task.fault = std::move(*fault);
            }
            task.attempts = static_cast<unsigned>(sqlite3_column_int64(row, 7));
            task.retries = static_cast<unsigned>(sqlite3_column_int64(row, 8));
            registry.restore_task(std::move(task), sequence);
            ++counts.tasks;
        }
        if (step != SQLITE_DONE) return fail(message(db_));
    }
    {
        auto select = prepare(db_, "SELECT name, document FROM presets");
        if (!select) return fail(select.error());
        int step;
        while ((step = sqlite3_step(select->get())) == SQLITE_ROW) {
            auto* row = select->get();
            const auto name = column_text(row, 0);
            Json document;
            try {
                document = Json::parse(column_text(row, 1));
            } catch (const Json::parse_error& error) {
                return fail("preset " + name + ": " + error.what());
            }
            auto preset = parse_preset(name, document);
            if (!preset) return fail("preset " + name + ": " + preset.error());
            registry.put_preset(std::move(*preset));
            ++counts.presets;
        }
        if (step != SQLITE_DONE) return fail(message(db_));
    }
    return counts;
}

phonecwmp::Expected<void, std::string> SqliteRegistryStore::write(const RegistryBatch& batch) {
    if (batch.empty()) return {};
    auto fail = [&](std::string why) {
        (void)execute(db_, "ROLLBACK");
        return Unexpected(fmt::format("database {}: {}", file_, why));
    };
    if (auto begun = execute(db_, "BEGIN IMMEDIATE"); !begun) {
        return Unexpected(fmt::format("database {}: {}", file_, begun.error()));
    }

    struct Statements {
        Statement delete_device, delete_device_parameters, upsert_device, upsert_parameter,
            delete_parameter, upsert_task, delete_task, upsert_preset, delete_preset;
    } sql;
    const std::pair<Statement*, const char*> texts[] = {
        {&sql.delete_device, "DELETE FROM devices WHERE id = ?1"},
        {&sql.delete_device_parameters, "DELETE FROM parameters WHERE device_id = ?1"},
        {&sql.upsert_device,
         "INSERT OR REPLACE INTO devices (id, manufacturer, oui, product_class, serial_number, "
         "registered, last_inform, last_boot, last_bootstrap, last_events) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
        {&sql.upsert_parameter,
         "INSERT OR REPLACE INTO parameters (device_id, name, object, value, type, writable, "
         "notification, timestamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
        {&sql.delete_parameter, "DELETE FROM parameters WHERE device_id = ?1 AND name = ?2"},
        {&sql.upsert_task,
         "INSERT OR REPLACE INTO tasks (id, sequence, device_id, spec, timestamp, state, fault, "
         "attempts, retries) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
        {&sql.delete_task, "DELETE FROM tasks WHERE id = ?1"},
        {&sql.upsert_preset, "INSERT OR REPLACE INTO presets (name, document) VALUES (?1, ?2)"},
        {&sql.delete_preset, "DELETE FROM presets WHERE name = ?1"},
    };
    for (const auto& [target, text] : texts) {
        auto prepared = prepare(db_, text);
        if (!prepared) return fail(prepared.error());
        *target = std::move(*prepared);
    }
    auto run = [&](Statement& statement) {
        const int step = sqlite3_step(statement.get());
        sqlite3_reset(statement.get());
        sqlite3_clear_bindings(statement.get());
        return step == SQLITE_DONE;
    };

    for (const auto& write : batch.devices) {
        if (!write.device) {
            for (auto* statement : {&sql.delete_device, &sql.delete_device_parameters}) {
                bind_text(statement->get(), 1, write.id);
                if (!run(*statement)) return fail(message(db_));
            }
            continue;
        }
        const auto& device = *write.device;
        auto* s = sql.upsert_device.get();
        bind_text(s, 1, device.id);
        bind_text(s, 2, device.device_id.manufacturer);
        bind_text(s, 3, device.device_id.oui);
        bind_text(s, 4, device.device_id.product_class);
        bind_text(s, 5, device.device_id.serial_number);
        sqlite3_bind_int64(s, 6, to_stored_time(device.registered));
        sqlite3_bind_int64(s, 7, to_stored_time(device.last_inform));
        bind_optional_time(s, 8, device.last_boot);
        bind_optional_time(s, 9, device.last_bootstrap);
        bind_text(s, 10, events_text(device.last_events));
        if (!run(sql.upsert_device)) return fail(message(db_));
    }
    for (const auto& write : batch.parameters) {
        if (!write.parameter) {
            auto* s = sql.delete_parameter.get();
            bind_text(s, 1, write.device_id);
            bind_text(s, 2, write.name);
            if (!run(sql.delete_parameter)) return fail(message(db_));
            continue;
        }
        const auto& parameter = *write.parameter;
        auto* s = sql.upsert_parameter.get();
        bind_text(s, 1, write.device_id);
        bind_text(s, 2, write.name);
        sqlite3_bind_int(s, 3, parameter.object ? 1 : 0);
        if (parameter.value) bind_text(s, 4, *parameter.value);
        bind_text(s, 5, parameter.type);
        if (parameter.writable) sqlite3_bind_int(s, 6, *parameter.writable ? 1 : 0);
        if (parameter.notification) sqlite3_bind_int(s, 7, *parameter.notification);
        sqlite3_bind_int64(s, 8, to_stored_time(parameter.timestamp));
        if (!run(sql.upsert_parameter)) return fail(message(db_));
    }
    for (const auto& write : batch.tasks) {
        if (!write.task) {
            bind_text(sql.delete_task.get(), 1, write.id);
            if (!run(sql.delete_task)) return fail(message(db_));
            continue;
        }
        const auto& task = *write.task;
        auto* s = sql.upsert_task.get();
        bind_text(s, 1, task.id);
        sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(write.sequence));
        bind_text(s, 3, task.device_id);
        bind_text(s, 4, serialize_task_spec(task.spec));
        sqlite3_bind_int64(s, 5, to_stored_time(task.timestamp));
        bind_text(s, 6, to_string(task.state));
        if (task.fault) bind_text(s, 7, serialize_task_fault(*task.fault));
        sqlite3_bind_int64(s, 8, task.attempts);
        sqlite3_bind_int64(s, 9, task.retries);
        if (!run(sql.upsert_task)) return fail(message(db_));
    }
    for (const auto& write : batch.presets) {
        if (!write.document) {
            bind_text(sql.delete_preset.get(), 1, write.name);
            if (!run(sql.delete_preset)) return fail(message(db_));
            continue;
        }
        bind_text(sql.upsert_preset.get(), 1, write.name);
        bind_text(sql.upsert_preset.get(), 2, *write.document);
        if (!run(sql.upsert_preset)) return fail(message(db_));
    }
    if (auto committed = execute(db_, "COMMIT"); !committed) return fail(committed.error());
    return {};
}

}  // namespace acssim
