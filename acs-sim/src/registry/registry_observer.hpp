// Told of every change to the in-memory registry, by key only: the observer
// reads the current state when it needs it, so many changes to the same
// entry between two reads cost one write (see RegistryJournal).
#pragma once

#include <string_view>

namespace acssim {

class RegistryObserver {
public:
    virtual ~RegistryObserver() = default;
    // The device's own fields (identity, Inform times, events), or the device
    // was created or deleted.
    virtual void device_changed(std::string_view device_id) = 0;
    // One cache entry was created, updated or removed.
    virtual void parameter_changed(std::string_view device_id, std::string_view name) = 0;
    // A task was queued, changed state or counters, or was deleted or forgotten.
    virtual void task_changed(std::string_view task_id) = 0;
    virtual void preset_changed(std::string_view name) = 0;
};

}  // namespace acssim
