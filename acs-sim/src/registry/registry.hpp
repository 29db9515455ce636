// The device registry, task queue and presets, behind an interface so that
// the CWMP and NBI code do not know how (or whether) they are persisted.
//
// Operations are small and specific (record an Inform, store some values)
// rather than "load record / save record", so that a database implementation
// writes only what changed. Not thread-safe: the simulator calls it from its
// one io_context thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/messages.hpp"
#include "presets/preset.hpp"
#include "registry/device_record.hpp"
#include "registry/task.hpp"
#include "util/time_format.hpp"

namespace acssim {

class Registry {
public:
    virtual ~Registry() = default;

    // ---- devices -----------------------------------------------------------

    // Creates or updates the device `device_id` from an Inform: DeviceId,
    // last Inform time and events, and every ParameterList value into the
    // cache. Returns true when the device was not known before.
    virtual bool record_inform(std::string_view device_id, const cwmp::Inform& inform,
                               TimePoint now) = 0;

    virtual bool has_device(std::string_view device_id) const = 0;
    virtual std::optional<DeviceRecord> find_device(std::string_view device_id) const = 0;
    virtual std::optional<CachedParameter> find_parameter(std::string_view device_id,
                                                          std::string_view name) const = 0;
    // Visits every device in id order; the reference is valid during the call only.
    virtual void for_each_device(const std::function<void(const DeviceRecord&)>& visit) const = 0;

    // Stores values (from a GetParameterValuesResponse, or the values of an
    // acknowledged SetParameterValues). A value with an empty type keeps the
    // type already cached. Unknown devices are ignored.
    virtual void store_values(std::string_view device_id,
                              const std::vector<cwmp::ParameterValue>& values, TimePoint now) = 0;

    // Stores names and writable flags from a GetParameterNamesResponse (names
    // ending in '.' are objects). When `complete`, the response listed the
    // whole subtree at `root` (NextLevel false), so cached entries under
    // `root` that it does not list are removed. `root` "" is the whole tree; a
    // root not ending in '.' is a single parameter.
    virtual void store_names(std::string_view device_id, std::string_view root,
                             const std::vector<cwmp::ParameterInfo>& names, bool complete,
                             TimePoint now) = 0;

    // Forgets an object and everything under it (after DeleteObject).
    virtual void remove_subtree(std::string_view device_id, std::string_view object_name) = 0;

    // Records notification attributes the CPE acknowledged (name, 0|1|2).
    virtual void store_notifications(std::string_view device_id,
                                     const std::vector<std::pair<std::string, int>>& notifications,
                                     TimePoint now) = 0;

    // Forgets a device, its parameter cache and its open tasks (and so its
    // faults). False when there is no such device.
    virtual bool delete_device(std::string_view device_id) = 0;

    // ---- tasks -------------------------------------------------------------

    virtual void add_task(Task task) = 0;
    // Any task, in any state, that has not been deleted.
    virtual std::optional<Task> find_task(std::string_view task_id) const = 0;
    // The oldest Pending task of a device.
    virtual std::optional<Task> next_pending_task(std::string_view device_id) const = 0;
    // Pending and faulted tasks (what GenieACS keeps in its tasks
    // collection), oldest first. Done tasks are not listed.
    virtual std::vector<Task> open_tasks() const = 0;
    // Tasks in state Fault, oldest first.
    virtual std::vector<Task> faulted_tasks() const = 0;

    // Counts one more session in which the task was sent; returns the new count.
    virtual unsigned mark_task_sent(std::string_view task_id) = 0;
    // A Pending download the CPE accepted becomes Transferring.
    virtual void mark_task_transferring(std::string_view task_id) = 0;
    virtual void complete_task(std::string_view task_id) = 0;
    virtual void fail_task(std::string_view task_id, TaskFault fault) = 0;
    // Removes an open task (and so its fault). Done tasks are history and
    // stay. False when there is no such open task.
    virtual bool delete_task(std::string_view task_id) = 0;
    // A faulted task becomes Pending again (fault cleared, retries + 1,
    // attempts reset). False when there is no such task or it is not faulted.
    virtual bool retry_task(std::string_view task_id) = 0;

    // ---- presets -----------------------------------------------------------

    // Creates or replaces the preset of the same name.
    virtual void put_preset(Preset preset) = 0;
    // False when there is no such preset.
    virtual bool delete_preset(std::string_view name) = 0;
    // Every preset, by name.
    virtual std::vector<Preset> presets() const = 0;
    virtual std::size_t preset_count() const = 0;
    virtual bool has_preset(std::string_view name) const = 0;
};

}  // namespace acssim
