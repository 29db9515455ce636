// The changes of the registry since the last batch, as plain data the
// database writer can own on its own thread: each entry is the entry's
// current state, or its absence (deleted).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "registry/device_record.hpp"
#include "registry/task.hpp"

namespace acssim {

struct RegistryBatch {
    struct DeviceWrite {
        std::string id;
        // The device's own fields; `parameters` is left empty (the cache
        // travels entry by entry). nullopt: the device and its cache are gone.
        std::optional<DeviceRecord> device;
    };
    struct ParameterWrite {
        std::string device_id;
        std::string name;
        std::optional<CachedParameter> parameter;  // nullopt: removed
    };
    struct TaskWrite {
        std::string id;
        std::optional<Task> task;  // nullopt: deleted or forgotten
        std::uint64_t sequence = 0;
    };
    struct PresetWrite {
        std::string name;
        std::optional<std::string> document;  // JSON text; nullopt: deleted
    };

    std::vector<DeviceWrite> devices;
    std::vector<ParameterWrite> parameters;
    std::vector<TaskWrite> tasks;
    std::vector<PresetWrite> presets;

    std::size_t size() const {
        return devices.size() + parameters.size() + tasks.size() + presets.size();
    }
    bool empty() const { return size() == 0; }
};

}  // namespace acssim
