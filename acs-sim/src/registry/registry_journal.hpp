// Remembers which registry entries changed since the last batch (keys only,
// so a parameter set a hundred times is written once) and turns them into a
// RegistryBatch from the registry's current state. Lives on the I/O thread.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_set>

#include "registry/in_memory_registry.hpp"
#include "registry/registry_batch.hpp"
#include "registry/registry_observer.hpp"

namespace acssim {

class RegistryJournal final : public RegistryObserver {
public:
    void device_changed(std::string_view device_id) override;
    void parameter_changed(std::string_view device_id, std::string_view name) override;
    void task_changed(std::string_view task_id) override;
    void preset_changed(std::string_view name) override;

    // Entries changed since the last take_batch.
    std::size_t pending() const;

    // The current state of every changed entry; the journal is empty after.
    RegistryBatch take_batch(const InMemoryRegistry& registry);

private:
    using Names = std::set<std::string, std::less<>>;

    std::unordered_set<std::string> devices_;
    // Names by device, ordered so that one device's rows are written
    // together. Grouped rather than (device, name) pairs: a refresh journals
    // 10,000 names of one device, and each pair cost a copy of the device id
    // and its comparison.
    std::map<std::string, Names, std::less<>> parameters_;
    std::size_t parameter_count_ = 0;
    std::unordered_set<std::string> tasks_;
    std::unordered_set<std::string> presets_;
};

}  // namespace acssim
