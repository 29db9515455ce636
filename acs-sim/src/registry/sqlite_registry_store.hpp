// The registry's SQLite file: devices, their parameter caches, tasks and
// presets. Opened and loaded once at startup, then written only by the
// RegistryWriter's thread, one RegistryBatch per transaction.
//
// Schema version 1 (PRAGMA user_version; PRAGMA application_id marks the
// file as acs-sim's). A file of another application, of a newer schema, or
// that is not SQLite at all is refused at open with an error naming the
// file and the problem; nothing is written to it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "phonecwmp/expected.hpp"
#include "registry/in_memory_registry.hpp"
#include "registry/registry_batch.hpp"

struct sqlite3;

namespace acssim {

class SqliteRegistryStore {
public:
    static constexpr int kSchemaVersion = 1;
    // 'ACSS'
    static constexpr int kApplicationId = 0x41435353;

    struct LoadCounts {
        std::size_t devices = 0;
        std::size_t parameters = 0;
        std::size_t tasks = 0;
        std::size_t presets = 0;
    };

    // Opens or creates `file` and takes an exclusive lock on it, so a second
    // acs-sim on the same file fails at startup instead of both writing.
    static phonecwmp::Expected<std::unique_ptr<SqliteRegistryStore>, std::string> open(
        const std::string& file);

    // Only open() can make the key, so only open() constructs a store.
    class Key {
        friend class SqliteRegistryStore;
        Key() = default;
    };
    SqliteRegistryStore(Key, sqlite3* db, std::string file) : db_(db), file_(std::move(file)) {}
    ~SqliteRegistryStore();
    SqliteRegistryStore(const SqliteRegistryStore&) = delete;
    SqliteRegistryStore& operator=(const SqliteRegistryStore&) = delete;

    const std::string& file() const { return file_; }

    // Everything saved, into a registry that has no observer yet.
    phonecwmp::Expected<LoadCounts, std::string> load_into(InMemoryRegistry& registry) const;

    // The whole batch in one transaction, or nothing.
    phonecwmp::Expected<void, std::string> write(const RegistryBatch& batch);

private:
    sqlite3* db_;
    std::string file_;
};

}  // namespace acssim
