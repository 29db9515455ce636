// The presets of one session, step by step: read the configured parameters
// the cache does not know (GetParameterValues), then set what differs
// (SetParameterValues, SetParameterAttributes). Each step is planned from
// the cache as it is when the step is due, so what a read brought back is
// taken into account. These RPCs are not registry tasks: a fault is logged
// by the session and the presets apply again at their next matching Inform.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "presets/preset.hpp"
#include "registry/device_record.hpp"
#include "registry/task.hpp"
#include "util/time_format.hpp"

namespace acssim {

class PresetRun {
public:
    // nullopt when no preset matches the Inform (`device` is the record
    // after it was recorded).
    static std::optional<PresetRun> start(const std::vector<Preset>& presets,
                                          const DeviceRecord& device,
                                          const std::vector<cwmp::EventStruct>& events);

    // The matched presets' names, in the order they apply.
    std::vector<std::string> names() const;

    // The next RPC as a task, given the device's current record; nullopt
    // when the presets are done.
    std::optional<Task> next(const DeviceRecord& device, TimePoint now);

private:
    PresetRun(std::vector<Preset> matched, std::vector<cwmp::EventStruct> events);
    Task task(const DeviceRecord& device, TaskSpec spec, TimePoint now) const;

    std::vector<Preset> matched_;
    std::vector<cwmp::EventStruct> events_;
    bool read_ = false;     // the unknown values were asked for
    bool planned_ = false;  // the settings are planned (in pending_)
    std::deque<TaskSpec> pending_;
};

}  // namespace acssim
