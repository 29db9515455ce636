// The registry as the simulator's one I/O thread sees it: everything in
// process memory. Durability is layered on top (RegistryPersistence) through
// a RegistryObserver that is told what changed, so the logic lives here once
// whether or not a database is used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "registry/registry.hpp"
#include "registry/registry_observer.hpp"

namespace acssim {

class InMemoryRegistry final : public Registry {
public:
    // Done tasks are remembered (find_task reports them Done) up to this many,
    // the earliest queued forgotten first, so a long load test does not grow
    // without bound.
    static constexpr std::size_t kDoneTasksKept = 10000;

    // A task with its place in the queue order.
    struct TaskEntry {
        const Task* task = nullptr;
        std::uint64_t sequence = 0;
    };

    // Told of every change from now on; nullptr to stop. Not owned.
    void set_observer(RegistryObserver* observer) { observer_ = observer; }

    // Loading saved state: inserted as they are, the observer is not told.
    void restore_device(DeviceRecord device);
    void restore_task(Task task, std::uint64_t sequence);

    // Direct views for the persistence layer; valid until the next change.
    const DeviceRecord* device_view(std::string_view device_id) const;
    std::optional<TaskEntry> task_entry(std::string_view task_id) const;
    const Preset* preset_view(std::string_view name) const;

    bool record_inform(std::string_view device_id, const cwmp::Inform& inform,
                       TimePoint now) override;
    bool has_device(std::string_view device_id) const override;
    std::optional<DeviceRecord> find_device(std::string_view device_id) const override;
    std::optional<CachedParameter> find_parameter(std::string_view device_id,
                                                  std::string_view name) const override;
    void for_each_device(const std::function<void(const DeviceRecord&)>& visit) const override;
    void store_values(std::string_view device_id, const std::vector<cwmp::ParameterValue>& values,
                      TimePoint now) override;
    void store_names(std::string_view device_id, std::string_view root,
                     const std::vector<cwmp::ParameterInfo>& names, bool complete,
                     TimePoint now) override;
    void remove_subtree(std::string_view device_id, std::string_view object_name) override;
    void store_notifications(std::string_view device_id,
                             const std::vector<std::pair<std::string, int>>& notifications,
                             TimePoint now) override;
    bool delete_device(std::string_view device_id) override;

    void add_task(Task task) override;
    std::optional<Task> find_task(std::string_view task_id) const override;
    std::optional<Task> next_pending_task(std::string_view device_id) const override;
    std::vector<Task> open_tasks() const override;
    std::vector<Task> faulted_tasks() const override;
    unsigned mark_task_sent(std::string_view task_id) override;
    void mark_task_transferring(std::string_view task_id) override;
    void complete_task(std::string_view task_id) override;
    void fail_task(std::string_view task_id, TaskFault fault) override;
    bool delete_task(std::string_view task_id) override;
    bool retry_task(std::string_view task_id) override;

    void put_preset(Preset preset) override;
    bool delete_preset(std::string_view name) override;
    std::vector<Preset> presets() const override;
    std::size_t preset_count() const override { return presets_.size(); }
    bool has_preset(std::string_view name) const override;

private:
    DeviceRecord* device(std::string_view device_id);
    Task* open_task(std::string_view task_id);
    void erase_open_task(std::uint64_t sequence);
    void remember_done(std::uint64_t sequence, Task task);
    void parameter_changed(std::string_view device_id, std::string_view name);
    void task_changed(std::string_view task_id);

    RegistryObserver* observer_ = nullptr;

    std::map<std::string, DeviceRecord, std::less<>> devices_;

    // Open (pending or faulted) tasks in the order they were queued.
    std::map<std::uint64_t, Task> open_tasks_;
    std::unordered_map<std::string, std::uint64_t> sequence_by_id_;
    std::map<std::string, std::set<std::uint64_t>, std::less<>> sequences_by_device_;
    std::uint64_t next_sequence_ = 0;

    // Done tasks, by the sequence they were queued with.
    std::map<std::uint64_t, Task> done_tasks_;
    std::unordered_map<std::string, std::uint64_t> done_sequence_by_id_;

    std::map<std::string, Preset, std::less<>> presets_;
};

}  // namespace acssim
