// The persistent store: one SQLite file holding parameter values, table
// instances with their numbering counters, parameter attributes, agent
// metadata and pending events. Every change goes through one transaction
// (WAL journal, synchronous=FULL), so a crash or power cut leaves the file
// either before or after a commit, never in between.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "datamodel/model.hpp"
#include "datamodel/types.hpp"
#include "phonecwmp/expected.hpp"

struct sqlite3;

namespace datamodel {

// The attributes of one parameter as stored (AccessList comma-joined).
struct StoredAttributes {
    std::string path;
    int notification = 0;
    std::string access_list;
};

// Everything one transaction writes.
struct StoreChange {
    std::vector<std::pair<std::string, std::string>> values;  // path, value
    std::vector<MetaWrite> meta;
    std::vector<std::pair<std::string, std::uint32_t>> added_instances;  // table path, number
    // The last instance number handed out per table path.
    std::vector<std::pair<std::string, std::uint32_t>> counters;
    // Instances (table path, number): the instance row and every value,
    // nested instance, counter and attribute below the instance path go.
    std::vector<std::pair<std::string, std::uint32_t>> removed_instances;
    std::vector<StoredAttributes> attributes;
    std::vector<PendingEvent> added_events;
    std::vector<std::uint64_t> removed_events;  // by id
    // Everything the store holds is deleted first (a factory reset): the
    // rest of the change is then the whole new content.
    bool erase_everything = false;

    bool empty() const {
        return values.empty() && meta.empty() && added_instances.empty() && counters.empty() &&
               removed_instances.empty() && attributes.empty() && added_events.empty() &&
               removed_events.empty() && !erase_everything;
    }
};

class Store {
public:
    struct Contents {
        std::vector<std::pair<std::string, std::string>> values;       // path, value
        std::vector<std::pair<std::string, std::uint32_t>> instances;  // table path, number
        std::map<std::string, std::string, std::less<>> meta;
        std::vector<std::pair<std::string, std::uint32_t>> counters;  // table path, last number
        std::vector<StoredAttributes> attributes;
        std::vector<PendingEvent> events;  // in id order
    };

    // Only open() can make the key, so only open() constructs a Store.
    class Key {
        friend class Store;
        Key() = default;
    };

    // Opens (creating if missing, readable by its owner only) the store file.
    static phonecwmp::Expected<std::unique_ptr<Store>, Error> open(
        const std::filesystem::path& file);
    Store(Key, sqlite3* db, std::string file) : db_(db), file_(std::move(file)) {}
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // True when open() found no tables and created them: the file did not
    // exist, or was left empty (e.g. by a power cut during the first start).
    bool created() const { return created_; }

    phonecwmp::Expected<Contents, Error> read_all() const;

    // Writes the whole change in one transaction, or nothing.
    phonecwmp::Expected<void, Error> commit(const StoreChange& change);

private:
    Error failure(std::string_view what) const;
    bool exec(const char* sql) const;

    sqlite3* db_;
    std::string file_;
    bool created_ = false;
};

}  // namespace datamodel
