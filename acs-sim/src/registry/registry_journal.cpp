#include "registry/registry_journal.hpp"

#include "nbi/documents.hpp"

namespace acssim {

void RegistryJournal::device_changed(std::string_view device_id) {
    devices_.emplace(device_id);
}

void RegistryJournal::parameter_changed(std::string_view device_id, std::string_view name) {
    auto device = parameters_.find(device_id);
    if (device == parameters_.end()) device = parameters_.emplace(device_id, Names{}).first;
    auto& names = device->second;
    // Looked up before inserting: a name already journaled costs no copy.
    const auto position = names.lower_bound(name);
    if (position != names.end() && *position == name) return;
    names.emplace_hint(position, name);
    ++parameter_count_;
}

void RegistryJournal::task_changed(std::string_view task_id) {
    tasks_.emplace(task_id);
}

void RegistryJournal::preset_changed(std::string_view name) {
    presets_.emplace(name);
}

std::size_t RegistryJournal::pending() const {
    return devices_.size() + parameter_count_ + tasks_.size() + presets_.size();
}

RegistryBatch RegistryJournal::take_batch(const InMemoryRegistry& registry) {
    RegistryBatch batch;
    batch.devices.reserve(devices_.size());
    for (const auto& id : devices_) {
        RegistryBatch::DeviceWrite write{id, std::nullopt};
        if (const auto* device = registry.device_view(id)) {
            DeviceRecord fields;
            fields.id = device->id;
            fields.device_id = device->device_id;
            fields.registered = device->registered;
            fields.last_inform = device->last_inform;
            fields.last_boot = device->last_boot;
            fields.last_bootstrap = device->last_bootstrap;
            fields.last_events = device->last_events;
            write.device = std::move(fields);
        }
        batch.devices.push_back(std::move(write));
    }

    batch.parameters.reserve(parameter_count_);
    for (auto& [id, names] : parameters_) {
        const DeviceRecord* device = registry.device_view(id);
        while (!names.empty()) {
            // Moved out of the journal, which is emptied anyway.
            auto node = names.extract(names.begin());
            RegistryBatch::ParameterWrite write{id, std::move(node.value()), std::nullopt};
            if (device != nullptr) {
                if (auto found = device->parameters.find(write.name);
                    found != device->parameters.end()) {
                    write.parameter = found->second;
                }
            }
            batch.parameters.push_back(std::move(write));
        }
    }

    batch.tasks.reserve(tasks_.size());
    for (const auto& id : tasks_) {
        RegistryBatch::TaskWrite write{id, std::nullopt, 0};
        if (auto entry = registry.task_entry(id)) {
            write.task = *entry->task;
            write.sequence = entry->sequence;
        }
        batch.tasks.push_back(std::move(write));
    }

    batch.presets.reserve(presets_.size());
    for (const auto& name : presets_) {
        RegistryBatch::PresetWrite write{name, std::nullopt};
        if (const auto* preset = registry.preset_view(name))
            write.document = to_text(preset->document);
        batch.presets.push_back(std::move(write));
    }

    devices_.clear();
    parameters_.clear();
    parameter_count_ = 0;
    tasks_.clear();
    presets_.clear();
    return batch;
}

}  // namespace acssim
