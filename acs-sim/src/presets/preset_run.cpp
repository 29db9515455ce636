#include "presets/preset_run.hpp"

#include "presets/preset_plan.hpp"

namespace acssim {

std::optional<PresetRun> PresetRun::start(const std::vector<Preset>& presets,
                                          const DeviceRecord& device,
                                          const std::vector<cwmp::EventStruct>& events) {
    auto matched = match_presets(presets, device, events);
    if (matched.empty()) return std::nullopt;
    return PresetRun{std::move(matched), events};
}

PresetRun::PresetRun(std::vector<Preset> matched, std::vector<cwmp::EventStruct> events)
    : matched_(std::move(matched)), events_(std::move(events)) {}

std::vector<std::string> PresetRun::names() const {
    std::vector<std::string> names;
    for (const auto& preset : matched_) names.push_back(preset.name);
    return names;
}

Task PresetRun::task(const DeviceRecord& device, TaskSpec spec, TimePoint now) const {
    Task made;
    // The id doubles as ParameterKey, which the schema caps at 32 characters.
    made.id = "preset:" + matched_.front().name;
    if (made.id.size() > 32) made.id.resize(32);
    made.device_id = device.id;
    made.spec = std::move(spec);
    made.timestamp = now;
    return made;
}

std::optional<Task> PresetRun::next(const DeviceRecord& device, TimePoint now) {
    if (!planned_) {
        auto plan = plan_presets(matched_, device, events_, !read_);
        if (!plan.unknown.empty()) {
            read_ = true;
            return task(device, GetParameterValuesTask{std::move(plan.unknown)}, now);
        }
        planned_ = true;
        pending_.assign(std::make_move_iterator(plan.rpcs.begin()),
                        std::make_move_iterator(plan.rpcs.end()));
    }
    if (pending_.empty()) return std::nullopt;
    auto spec = std::move(pending_.front());
    pending_.pop_front();
    return task(device, std::move(spec), now);
}

}  // namespace acssim
