// The parameter tree: the values of one device, validated against its
// definitions and kept in a persistent store.
//
// Not thread-safe by design: the agent touches its model from one thread only
// (see docs/architecture.md, invariant 1).
#pragma once

#include <cstdint>
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
struct FactorySettings;

// Called after a transaction has been committed, once per changed parameter
// (including the parameters of a new instance and a table's NumberOfEntries).
using ChangeObserver = std::function<void(const std::string& path, const std::string& value)>;

// Called after an AddObject / DeleteObject has been committed, with the
// instance path ("Device.ManagementServer.InformParameter.3."): its
// parameters are then all present, or all gone.
enum class ObjectChange { Added, Removed };
using ObjectObserver = std::function<void(const std::string& instance_path, ObjectChange change)>;

// TR-069 parameter attributes. Notification: 0 off, 1 passive, 2 active,
// 3 passive lightweight, 4 passive + passive lightweight, 5 active
// lightweight, 6 passive + active lightweight. AccessList: the entities
// besides the controller that may write the parameter; only "Subscriber"
// exists.
struct Attributes {
    int notification = 0;
    std::vector<std::string> access_list;
    friend bool operator==(const Attributes&, const Attributes&) = default;
};

struct AttributeRead {
    std::string path;
    Attributes attributes;
    friend bool operator==(const AttributeRead&, const AttributeRead&) = default;
};

// One SetParameterAttributes entry: a full or partial path; an attribute
// without a value is left as it is.
struct AttributeWrite {
    std::string path;
    std::optional<int> notification;
    std::optional<std::vector<std::string>> access_list;
};

// One entry of agent metadata to write; no value erases the key.
struct MetaWrite {
    std::string key;
    std::optional<std::string> value;
};

// Something the device owes its controller (for CWMP: an event code and its
// CommandKey), kept in the store so that committing it is part of the same
// transaction as the change that caused it. The model does not interpret
// code or key. `id` is assigned by the model, increasing, never reused while
// the store lives.
struct PendingEvent {
    std::uint64_t id = 0;
    std::string code;
    std::string command_key;
    friend bool operator==(const PendingEvent&, const PendingEvent&) = default;
};

// Who made a change: the controller (SetParameterValues, AddObject of the
// ACS) or the device itself (status updates, local configuration, live
// values). Notifications report only the device's changes.
enum class ChangeSource { Controller, Device };

struct ParameterChange {
    std::string path;
    std::string value;
    ChangeSource source = ChangeSource::Device;
    friend bool operator==(const ParameterChange&, const ParameterChange&) = default;
};

// Everything one committed transaction changed below an observed subtree.
struct CommittedChanges {
    std::vector<ParameterChange> parameters;
    std::vector<std::pair<std::string, ObjectChange>> objects;  // instance paths
};
using SubtreeObserver = std::function<void(const CommittedChanges& changes)>;
enum class ObserverId : std::uint64_t {};

// The values a transaction would leave behind, for rules that span several
// parameters. Reads see the change set applied on top of the current tree.
class ProposedState {
public:
    virtual ~ProposedState() = default;
    // The value of a concrete parameter path after the change (hidden values
    // included); nullopt when there is no such parameter.
    virtual std::optional<std::string> value(std::string_view path) const = 0;
    // The concrete parameter paths the change writes.
    virtual const std::vector<std::string>& written() const = 0;
};

// A rule across parameters, registered by the subsystem that needs it (e.g.
// SIP servers inside the restricted access domains). Returns one error per
// offending parameter (code InvalidValue, path set); empty when the state is
// acceptable.
using CrossParameterRule = std::function<std::vector<Error>(const ProposedState& state)>;

// Hooks of one parameter, registered by the subsystem that owns it (in the
// spirit of a registration API per data-model path). Effects of a committed
// value are not a hook: subsystems observe commits (observe_subtree).
struct ParameterHooks {
    // A live value (uptime, lease time left, registration status): asked on
    // every read instead of the stored value. Must be cheap and not throw.
    std::function<std::string(const std::string& path)> get;
    // A check beyond the definitions' syntax, on the canonical value (e.g. a
    // transport the SIP stack does not implement). Returns a message naming
    // the problem, nullopt when the value is acceptable.
    std::function<std::optional<std::string>(const std::string& path, const std::string& value)>
        validate;
};

// Everything one operation changes, committed together or not at all: the
// controller's writes (checked for writability), the device's own writes
// made alongside them (e.g. ManagementServer.ParameterKey), and agent
// metadata (e.g. pending events).
struct ChangeSet {
    std::vector<ValueWrite> writes{};
    std::vector<ValueWrite> internal_writes{};
    std::vector<MetaWrite> meta{};
    // Pending events to add (ids are assigned on commit) and to remove (by id).
    std::vector<PendingEvent> queue_events{};
    std::vector<std::uint64_t> drop_events{};
    // Who the internal writes are reported as made by: the controller when
    // they are part of its request (ParameterKey), so that they are not
    // notified back to it.
    ChangeSource internal_source = ChangeSource::Device;
};

class Model {
public:
    // A model with its values in memory only (tests, tools).
    explicit Model(std::shared_ptr<const Definitions> definitions);
    // A model whose values persist in `store` (created if missing). Values not
    // in the store start at their factory default.
    static phonecwmp::Expected<std::unique_ptr<Model>, Error> open(
        std::shared_ptr<const Definitions> definitions, const std::filesystem::path& store_file);
    // The same, with factory settings (datamodel/factory.hpp): they are
    // checked against the definitions on every open (an error names the
    // factory file and line) and applied, in one transaction, when the store
    // holds nothing yet (a new store or a factory reset).
    static phonecwmp::Expected<std::unique_ptr<Model>, Error> open(
        std::shared_ptr<const Definitions> definitions, const std::filesystem::path& store_file,
        const FactorySettings& factory);
    // The same, reading the factory file first (e.g. installed_factory_file()).
    static phonecwmp::Expected<std::unique_ptr<Model>, Error> open(
        std::shared_ptr<const Definitions> definitions, const std::filesystem::path& store_file,
        const std::filesystem::path& factory_file);
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

    // AddObject: a new instance of the writable table `table_path` (ending in
    // '.'), its parameters at their object defaults, the table's
    // NumberOfEntries following, committed in one store transaction together
    // with `alongside` (e.g. ParameterKey as an internal write; validated
    // first, like apply()). Returns the instance number: one more than the
    // highest ever handed out for this table, so numbers are never reused
    // (the counter persists; only a new store, i.e. a factory reset, restarts
    // it). Errors: InvalidName when the path is not a table whose instances
    // the controller may create, ResourcesExceeded at maxEntries.
    phonecwmp::Expected<std::uint32_t, Error> add_object(std::string_view table_path,
                                                         const ChangeSet& alongside = {});

    // DeleteObject: removes the instance `instance_path` (ending in '.') and
    // everything below it, with `alongside`, in one transaction. InvalidName
    // when there is no such instance, its table is not writable, or removing
    // it would leave fewer than minEntries.
    phonecwmp::Expected<void, Error> delete_object(std::string_view instance_path,
                                                   const ChangeSet& alongside = {});

    // Attributes of every parameter named (partial paths as in get_values).
    phonecwmp::Expected<std::vector<AttributeRead>, Error> get_attributes(
        const std::vector<std::string>& paths) const;

    // Validates every entry (name; Notification 0..6; AccessList only
    // "Subscriber") for every parameter it covers, then commits all
    // attributes in one transaction. A Notification the parameter's
    // activeNotify forbids (canDeny: active; forceEnabled: anything but
    // active) is refused with NotificationRejected when the entry names the
    // parameter by its full path, and left unchanged under a partial path.
    // Later entries win over earlier ones for the same parameter.
    phonecwmp::Expected<void, Error> set_attributes(const std::vector<AttributeWrite>& writes);

    // Metadata stored beside the values in the same store (agent state such as
    // the last ACS URL). Committed immediately.
    std::optional<std::string> meta(std::string_view key) const;
    phonecwmp::Expected<void, Error> set_meta(std::string_view key, std::string_view value);
    phonecwmp::Expected<void, Error> erase_meta(std::string_view key);

    // The value of one full path, for the agent's own use (hidden values are
    // returned, unlike get_values).
    std::optional<std::string> value(std::string_view path) const;

    // Each observer stays until stop_observing(its id): an object that
    // observes a model it may not outlive stops in its destructor. An
    // observer stopped while a commit's observers run is not called again.
    ObserverId observe(ChangeObserver observer);
    ObserverId observe_objects(ObjectObserver observer);
    // Called once per committed transaction that changed anything below
    // `prefix` (a partial path, "" for everything), with those changes only.
    ObserverId observe_subtree(std::string prefix, SubtreeObserver observer);
    void stop_observing(ObserverId id);

    // Registers hooks for every instance of the parameter `template_path`
    // ("Device.DeviceInfo.UpTime", "Device.IP.Interface.{i}.Status").
    // InvalidName when the definitions have no such parameter; a second
    // registration for the same path replaces the first.
    phonecwmp::Expected<void, Error> register_parameter(std::string_view template_path,
                                                        ParameterHooks hooks);
    // A live value has changed in its subsystem: subtree observers are told
    // (source Device) with the value the getter returns now. Nothing is
    // stored.
    void live_value_changed(std::string_view path);
    // Concrete paths of the live parameters that exist now, in tree order.
    std::vector<std::string> live_parameters() const;

    // Adds a rule checked on every apply() and add_object() whose writes
    // touch a parameter below one of `watched` (template paths or partial
    // template paths, e.g. "Device.Services.VoiceService.{i}."). Its errors
    // fail the whole transaction.
    void add_rule(std::vector<std::string> watched, CrossParameterRule rule);

    // Pending events in the order they were queued.
    const std::vector<PendingEvent>& pending_events() const;

    // Back to the state of a new store: every value, instance, counter,
    // attribute, metadata entry and pending event is erased and the factory
    // settings given at open() are applied, in one transaction. Observers
    // are told of every value that differs afterwards (source Device).
    phonecwmp::Expected<void, Error> factory_reset();

    const Definitions& definitions() const { return *definitions_; }

private:
    static phonecwmp::Expected<std::unique_ptr<Model>, Error> open_store(
        std::shared_ptr<const Definitions> definitions, const std::filesystem::path& store_file,
        const FactorySettings* factory);

    struct Impl;
    std::shared_ptr<const Definitions> definitions_;
    std::unique_ptr<Impl> impl_;
    bool freshly_created_ = false;
};

// The observers one object registered on a model, stopped when the object
// goes: declare it after everything the observers use, so that it is
// destroyed first.
class Observations {
public:
    explicit Observations(Model& model) : model_(model) {}
    ~Observations() {
        for (const ObserverId id : ids_) model_.stop_observing(id);
    }
    Observations(const Observations&) = delete;
    Observations& operator=(const Observations&) = delete;

    void add(ObserverId id) { ids_.push_back(id); }

private:
    Model& model_;
    std::vector<ObserverId> ids_;
};

}  // namespace datamodel
