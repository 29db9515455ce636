// Remembers which registry entries changed since the last batch (keys only,
// so a parameter set a hundred times is written once) and turns them into a
// RegistryBatch from the registry's current state. Lives on the I/O thread.
#pragma once

#include <set>
#include <string>
#include <unordered_set>
#include <utility>

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
    std::unordered_set<std::string> devices_;
    // Ordered so that one device's rows are written together.
    std::set<std::pair<std::string, std::string>, std::less<>> parameters_;
    std::unordered_set<std::string> tasks_;
    std::unordered_set<std::string> presets_;
};

}  // namespace acssim
