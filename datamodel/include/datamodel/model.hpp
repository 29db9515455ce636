// The parameter tree: the values of one device, validated against its
// definitions and kept in a persistent store.
//
// Not thread-safe by design: the agent touches its model from one thread only
// (see docs/architecture.md, invariant 1).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datamodel/definitions.hpp"
#include "datamodel/types.hpp"
#include "phonecwmp/expected.hpp"

namespace datamodel {

class Store;

// Called after a transaction has been committed, once per changed parameter.
using ChangeObserver = std::function<void(const std::string& path, const std::string& value)>;

// One entry of agent metadata to write; no value erases the key.
struct MetaWrite {
    std::string key;
    std::optional<std::string> value;
};

// Everything one operation changes, committed together or not at all: the
// controller's writes (checked for writability), the device's own writes
// made alongside them (e.g. ManagementServer.ParameterKey), and agent
// metadata (e.g. pending events).
struct ChangeSet {
    std::vector<ValueWrite> writes;
    std::vector<ValueWrite> internal_writes;
    std::vector<MetaWrite> meta;
};

class Model {
public:
    // A model with its values in memory only (tests, tools).
    explicit Model(std::shared_ptr<const Definitions> definitions);
    // A model whose values persist in `store` (created if missing). Values not
    // in the store start at their factory default.
    static phonecwmp::Expected<std::unique_ptr<Model>, Error> open(
        std::shared_ptr<const Definitions> definitions, const std::filesystem::path& store_file);
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    // True when the store did not exist before open() (or held no tables yet,
    // e.g. after a power cut during the very first start): a factory-fresh
    // device.
    bool freshly_created() const { return freshly_created_; }

    // Full paths and partial paths (ending in '.'); a partial path yields every
    // parameter below it in definition order. An empty path means the root.
    phonecwmp::Expected<std::vector<ValueRead>, Error> get_values(
        const std::vector<std::string>& paths) const;

    // Names below `path` (or the parameter itself for a full path). With
    // next_level, only the direct children of a partial path.
    phonecwmp::Expected<std::vector<NameInfo>, Error> get_names(std::string_view path,
                                                                bool next_level) const;

    // Validates every write first (name, writability, type, facets); if any
    // fails nothing changes and every failure is returned. Otherwise all values
    // are committed to the store atomically, then observers run.
    phonecwmp::Expected<void, std::vector<Error>> set_values(const std::vector<ValueWrite>& writes);

    // Sets values regardless of writability (the device itself updating its
    // status parameters, or local configuration). Still type-checked.
    phonecwmp::Expected<void, std::vector<Error>> set_internal(
        const std::vector<ValueWrite>& writes);

    // The general form of set_values/set_internal: validates every write of
    // `changes` (a path may appear once across writes and internal_writes),
    // then commits values and metadata in one store transaction, then runs
    // observers for the values that changed.
    phonecwmp::Expected<void, std::vector<Error>> apply(const ChangeSet& changes);

    // Metadata stored beside the values in the same store (agent state such as
    // the last ACS URL). Committed immediately.
    std::optional<std::string> meta(std::string_view key) const;
    phonecwmp::Expected<void, Error> set_meta(std::string_view key, std::string_view value);
    phonecwmp::Expected<void, Error> erase_meta(std::string_view key);

    // The value of one full path, for the agent's own use (hidden values are
    // returned, unlike get_values).
    std::optional<std::string> value(std::string_view path) const;

    void observe(ChangeObserver observer);

    const Definitions& definitions() const { return *definitions_; }

private:
    struct Impl;
    std::shared_ptr<const Definitions> definitions_;
    std::unique_ptr<Impl> impl_;
    bool freshly_created_ = false;
};

}  // namespace datamodel
