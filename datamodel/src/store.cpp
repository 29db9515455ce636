#include "store.hpp"

#include <sqlite3.h>

#include <fstream>
#include <string>
#include <system_error>

namespace datamodel {

namespace {

// Bumped when the tables change; a store written by a newer version is
// refused rather than misread. An older store is brought up to date by
// creating the tables it lacks: version 2 added instance_counters and
// attributes, whose absence means "no instance added yet" and "every
// attribute at its default"; version 3 added pending_events (none pending).
constexpr int kSchemaVersion = 3;

// How long a commit waits for another connection (a diagnostic tool) that
// holds the write lock before it fails.
constexpr int kBusyTimeoutMs = 1000;

struct StatementDeleter {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

Statement prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
        sqlite3_finalize(statement);
        return nullptr;
    }
    return Statement(statement);
}

bool bind_text(sqlite3_stmt* statement, int index, std::string_view text) {
    return sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                             SQLITE_TRANSIENT) == SQLITE_OK;
}

std::string column_text(sqlite3_stmt* statement, int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
    const int size = sqlite3_column_bytes(statement, column);
    return text ? std::string(text, static_cast<std::size_t>(size)) : std::string();
}

// Executes a statement that returns no rows.
bool run(sqlite3_stmt* statement) {
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return rc == SQLITE_DONE;
}

}  // namespace

phonecwmp::Expected<std::unique_ptr<Store>, Error> Store::open(const std::filesystem::path& file) {
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        // Create it first so that it is never readable by others, not even
        // for a moment: it holds the ACS and connection-request passwords.
        std::ofstream create(file, std::ios::binary);
        if (!create) {
            return phonecwmp::Unexpected(
                Error{ErrorCode::Internal, "", "cannot create the store " + file.string()});
        }
        create.close();
        std::filesystem::permissions(
            file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
            std::filesystem::perm_options::replace, error);
    }
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    auto store = std::make_unique<Store>(Key(), db, file.string());
    if (rc != SQLITE_OK) return phonecwmp::Unexpected(store->failure("cannot open"));
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    // WAL keeps readers (diagnostic tools) from blocking commits; FULL makes
    // each commit durable before it returns. Should the file system refuse WAL,
    // SQLite keeps its rollback journal, which is just as atomic.
    if (!store->exec("PRAGMA journal_mode=WAL") || !store->exec("PRAGMA synchronous=FULL")) {
        return phonecwmp::Unexpected(store->failure("cannot configure"));
    }
    const Statement version = prepare(db, "PRAGMA user_version");
    if (!version || sqlite3_step(version.get()) != SQLITE_ROW) {
        return phonecwmp::Unexpected(store->failure("cannot read the version of"));
    }
    const int found = sqlite3_column_int(version.get(), 0);
    if (found > kSchemaVersion) {
        return phonecwmp::Unexpected(Error{ErrorCode::Internal, "",
                                           "the store " + file.string() +
                                               " was written by a newer version (schema " +
                                               std::to_string(found) + ")"});
    }
    if (found < kSchemaVersion) {
        const std::string create =
            "BEGIN IMMEDIATE;"
            "CREATE TABLE IF NOT EXISTS parameter_values("
            "  path TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS instances("
            "  table_path TEXT NOT NULL, number INTEGER NOT NULL,"
            "  PRIMARY KEY(table_path, number)) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS meta("
            "  key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS instance_counters("
            "  table_path TEXT PRIMARY KEY NOT NULL, last INTEGER NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS attributes("
            "  path TEXT PRIMARY KEY NOT NULL, notification INTEGER NOT NULL,"
            "  access_list TEXT NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS pending_events("
            "  id INTEGER PRIMARY KEY NOT NULL, code TEXT NOT NULL, command_key TEXT NOT NULL);"
            "PRAGMA user_version=" +
            std::to_string(kSchemaVersion) + ";COMMIT;";
        if (!store->exec(create.c_str())) {
            store->exec("ROLLBACK");
            return phonecwmp::Unexpected(store->failure("cannot create the tables of"));
        }
        store->created_ = found == 0;
    }
    return store;
}

Store::~Store() {
    sqlite3_close_v2(db_);
}

Error Store::failure(std::string_view what) const {
    return Error{ErrorCode::Internal, "",
                 std::string(what) + " the store " + file_ + ": " +
                     (db_ ? sqlite3_errmsg(db_) : "out of memory")};
}

bool Store::exec(const char* sql) const {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

phonecwmp::Expected<Store::Contents, Error> Store::read_all() const {
    Contents contents;
    const Statement values = prepare(db_, "SELECT path, value FROM parameter_values");
    const Statement instances = prepare(db_, "SELECT table_path, number FROM instances");
    const Statement meta = prepare(db_, "SELECT key, value FROM meta");
    const Statement counters = prepare(db_, "SELECT table_path, last FROM instance_counters");
    const Statement attributes =
        prepare(db_, "SELECT path, notification, access_list FROM attributes");
    const Statement events =
        prepare(db_, "SELECT id, code, command_key FROM pending_events ORDER BY id");
    if (!values || !instances || !meta || !counters || !attributes || !events) {
        return phonecwmp::Unexpected(failure("cannot read"));
    }
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(values.get())) == SQLITE_ROW) {
        contents.values.emplace_back(column_text(values.get(), 0), column_text(values.get(), 1));
    }
    if (rc != SQLITE_DONE) return phonecwmp::Unexpected(failure("cannot read values from"));
    while ((rc = sqlite3_step(instances.get())) == SQLITE_ROW) {
        const sqlite3_int64 number = sqlite3_column_int64(instances.get(), 1);
        if (number >= 1 && number <= 0xFFFFFFFF) {
            contents.instances.emplace_back(column_text(instances.get(), 0),
                                            static_cast<std::uint32_t>(number));
        }
    }
    if (rc != SQLITE_DONE) return phonecwmp::Unexpected(failure("cannot read instances from"));
    while ((rc = sqlite3_step(meta.get())) == SQLITE_ROW) {
        contents.meta.emplace(column_text(meta.get(), 0), column_text(meta.get(), 1));
    }
    if (rc != SQLITE_DONE) return phonecwmp::Unexpected(failure("cannot read metadata from"));
    while ((rc = sqlite3_step(counters.get())) == SQLITE_ROW) {
        const sqlite3_int64 last = sqlite3_column_int64(counters.get(), 1);
        if (last >= 1 && last <= 0xFFFFFFFF) {
            contents.counters.emplace_back(column_text(counters.get(), 0),
                                           static_cast<std::uint32_t>(last));
        }
    }
    if (rc != SQLITE_DONE) return phonecwmp::Unexpected(failure("cannot read counters from"));
    while ((rc = sqlite3_step(attributes.get())) == SQLITE_ROW) {
        contents.attributes.push_back({column_text(attributes.get(), 0),
                                       sqlite3_column_int(attributes.get(), 1),
                                       column_text(attributes.get(), 2)});
    }
    if (rc != SQLITE_DONE) return phonecwmp::Unexpected(failure("cannot read attributes from"));
    while ((rc = sqlite3_step(events.get())) == SQLITE_ROW) {
        const sqlite3_int64 id = sqlite3_column_int64(events.get(), 0);
        if (id >= 1) {
            contents.events.push_back({static_cast<std::uint64_t>(id), column_text(events.get(), 1),
                                       column_text(events.get(), 2)});
        }
    }
    if (rc != SQLITE_DONE) {
        return phonecwmp::Unexpected(failure("cannot read pending events from"));
    }
    return contents;
}

phonecwmp::Expected<void, Error> Store::commit(const StoreChange& change) {
    if (change.empty()) return {};
    const Statement put_value = prepare(db_,
                                        "INSERT INTO parameter_values(path, value) VALUES(?1, ?2) "
                                        "ON CONFLICT(path) DO UPDATE SET value = excluded.value");
    const Statement put_meta = prepare(db_,
                                       "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    const Statement erase_meta = prepare(db_, "DELETE FROM meta WHERE key = ?1");
    const Statement put_instance =
        prepare(db_, "INSERT OR IGNORE INTO instances(table_path, number) VALUES(?1, ?2)");
    const Statement put_counter =
        prepare(db_,
                "INSERT INTO instance_counters(table_path, last) VALUES(?1, ?2) "
                "ON CONFLICT(table_path) DO UPDATE SET last = excluded.last");
    const Statement put_attributes =
        prepare(db_,
                "INSERT INTO attributes(path, notification, access_list) VALUES(?1, ?2, ?3) "
                "ON CONFLICT(path) DO UPDATE SET notification = excluded.notification, "
                "access_list = excluded.access_list");
    // An instance: its own row (?1 table path, ?2 number) and everything
    // whose path starts with the instance path ?3. substr, not LIKE: names
    // hold '_', which LIKE would take for a wildcard.
    const Statement erase_instance =
        prepare(db_, "DELETE FROM instances WHERE table_path = ?1 AND number = ?2");
    const Statement erase_nested =
        prepare(db_, "DELETE FROM instances WHERE substr(table_path, 1, length(?1)) = ?1");
    const Statement erase_values =
        prepare(db_, "DELETE FROM parameter_values WHERE substr(path, 1, length(?1)) = ?1");
    const Statement erase_counters =
        prepare(db_, "DELETE FROM instance_counters WHERE substr(table_path, 1, length(?1)) = ?1");
    const Statement erase_attributes =
        prepare(db_, "DELETE FROM attributes WHERE substr(path, 1, length(?1)) = ?1");
    const Statement put_event =
        prepare(db_, "INSERT INTO pending_events(id, code, command_key) VALUES(?1, ?2, ?3)");
    const Statement erase_event = prepare(db_, "DELETE FROM pending_events WHERE id = ?1");
    if (!put_value || !put_meta || !erase_meta || !put_instance || !put_counter ||
        !put_attributes || !erase_instance || !erase_nested || !erase_values || !erase_counters ||
        !erase_attributes || !put_event || !erase_event) {
        return phonecwmp::Unexpected(failure("cannot prepare a write to"));
    }
    // IMMEDIATE takes the write lock up front, so a busy store fails here,
    // before any row is touched.
    if (!exec("BEGIN IMMEDIATE")) return phonecwmp::Unexpected(failure("cannot write to"));
    bool ok = true;
    if (change.erase_everything) {
        ok = exec(
            "DELETE FROM parameter_values; DELETE FROM instances; DELETE FROM meta;"
            "DELETE FROM instance_counters; DELETE FROM attributes; DELETE FROM pending_events;");
    }
    for (const auto& [table, number] : change.removed_instances) {
        const std::string instance = table + std::to_string(number) + ".";
        ok = ok && bind_text(erase_instance.get(), 1, table) &&
             sqlite3_bind_int64(erase_instance.get(), 2, number) == SQLITE_OK &&
             run(erase_instance.get());
        for (sqlite3_stmt* statement : {erase_nested.get(), erase_values.get(),
                                        erase_counters.get(), erase_attributes.get()}) {
            ok = ok && bind_text(statement, 1, instance) && run(statement);
        }
    }
    for (const auto& [table, number] : change.added_instances) {
        ok = ok && bind_text(put_instance.get(), 1, table) &&
             sqlite3_bind_int64(put_instance.get(), 2, number) == SQLITE_OK &&
             run(put_instance.get());
    }
    for (const auto& [table, last] : change.counters) {
        ok = ok && bind_text(put_counter.get(), 1, table) &&
             sqlite3_bind_int64(put_counter.get(), 2, last) == SQLITE_OK && run(put_counter.get());
    }
    for (const auto& [path, value] : change.values) {
        ok = ok && bind_text(put_value.get(), 1, path) && bind_text(put_value.get(), 2, value) &&
             run(put_value.get());
    }
    for (const StoredAttributes& attributes : change.attributes) {
        ok = ok && bind_text(put_attributes.get(), 1, attributes.path) &&
             sqlite3_bind_int(put_attributes.get(), 2, attributes.notification) == SQLITE_OK &&
             bind_text(put_attributes.get(), 3, attributes.access_list) &&
             run(put_attributes.get());
    }
    for (const MetaWrite& write : change.meta) {
        if (write.value) {
            ok = ok && bind_text(put_meta.get(), 1, write.key) &&
                 bind_text(put_meta.get(), 2, *write.value) && run(put_meta.get());
        } else {
            ok = ok && bind_text(erase_meta.get(), 1, write.key) && run(erase_meta.get());
        }
    }
    for (const std::uint64_t id : change.removed_events) {
        ok =
            ok &&
            sqlite3_bind_int64(erase_event.get(), 1, static_cast<sqlite3_int64>(id)) == SQLITE_OK &&
            run(erase_event.get());
    }
    for (const PendingEvent& event : change.added_events) {
        ok = ok &&
             sqlite3_bind_int64(put_event.get(), 1, static_cast<sqlite3_int64>(event.id)) ==
                 SQLITE_OK &&
             bind_text(put_event.get(), 2, event.code) &&
             bind_text(put_event.get(), 3, event.command_key) && run(put_event.get());
    }
    if (!ok || !exec("COMMIT")) {
        const Error error = failure("cannot write to");
        exec("ROLLBACK");
        return phonecwmp::Unexpected(error);
    }
    return {};
}

}  // namespace datamodel
