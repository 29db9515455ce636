#include "scenario/nbi_inform_source.hpp"

namespace acssim::scenario {

phonecwmp::Expected<std::optional<InformState>, std::string> NbiInformSource::latest(
    const std::string& device_id, std::chrono::steady_clock::time_point) {
    auto devices = nbi_.devices(Json{{"_id", device_id}}, "_lastInform,_lastBoot,_lastBootstrap");
    if (!devices) return phonecwmp::Unexpected(devices.error());
    for (const auto& device : *devices) {
        if (!device.is_object() || device.value("_id", std::string{}) != device_id) continue;
        InformState state;
        state.last_inform = device.value("_lastInform", std::string{});
        state.last_boot = device.value("_lastBoot", std::string{});
        if (!state.last_boot.empty() && state.last_boot == state.last_inform) {
            state.events.push_back("1 BOOT");
        }
        if (device.value("_lastBootstrap", std::string{}) == state.last_inform) {
            state.events.push_back("0 BOOTSTRAP");
        }
        return std::optional<InformState>{std::move(state)};
    }
    return std::optional<InformState>{};
}

}  // namespace acssim::scenario
