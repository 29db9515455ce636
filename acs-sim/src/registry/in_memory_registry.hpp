// Registry kept in process memory: everything is lost when acs-sim exits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "registry/registry.hpp"

namespace acssim {

class InMemoryRegistry final : public Registry {
public:
    // Done tasks are remembered (find_task reports them Done) up to this many,
    // oldest forgotten first, so a long load test does not grow without bound.
    static constexpr std::size_t kDoneTasksKept = 10000;

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

    void add_task(Task task) override;
    std::optional<Task> find_task(std::string_view task_id) const override;
    std::optional<Task> next_pending_task(std::string_view device_id) const override;
    std::vector<Task> open_tasks() const override;
    std::vector<Task> faulted_tasks() const override;
    unsigned mark_task_sent(std::string_view task_id) override;
    void complete_task(std::string_view task_id) override;
    void fail_task(std::string_view task_id, TaskFault fault) override;
    bool delete_task(std::string_view task_id) override;
    bool retry_task(std::string_view task_id) override;

private:
    DeviceRecord* device(std::string_view device_id);
    Task* open_task(std::string_view task_id);
    void erase_open_task(std::uint64_t sequence);

    std::map<std::string, DeviceRecord, std::less<>> devices_;

    // Open (pending or faulted) tasks in the order they were queued.
    std::map<std::uint64_t, Task> open_tasks_;
    std::unordered_map<std::string, std::uint64_t> sequence_by_id_;
    std::map<std::string, std::set<std::uint64_t>, std::less<>> sequences_by_device_;
    std::uint64_t next_sequence_ = 0;

    std::deque<Task> done_tasks_;
};

}  // namespace acssim
