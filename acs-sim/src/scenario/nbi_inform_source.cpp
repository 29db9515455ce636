#include "scenario/nbi_inform_source.hpp"

#include <algorithm>

namespace acssim::scenario {

DocumentInformState inform_state_of(const Json& device) {
    DocumentInformState result;
    InformState& state = result.state;
    state.last_inform = device.value("_lastInform", std::string{});
    state.last_boot = device.value("_lastBoot", std::string{});
    const auto listed = device.find("_lastEvents");
    if (listed != device.end() && listed->is_array()) {
        result.lists_every_event = true;
        for (const auto& event : *listed) {
            if (!event.is_object()) continue;
            const auto code = event.find("code");
            if (code != event.end() && code->is_string()) {
                state.events.push_back(code->get<std::string>());
            }
        }
        return result;
    }
    if (!state.last_boot.empty() && state.last_boot == state.last_inform) {
        state.events.push_back("1 BOOT");
    }
    const std::string last_bootstrap = device.value("_lastBootstrap", std::string{});
    if (!last_bootstrap.empty() && last_bootstrap == state.last_inform) {
        state.events.push_back("0 BOOTSTRAP");
    }
    return result;
}

phonecwmp::Expected<std::optional<InformState>, std::string> NbiInformSource::latest(
    const std::string& device_id, std::chrono::steady_clock::time_point) {
    auto devices =
        nbi_.devices(Json{{"_id", device_id}}, "_lastInform,_lastBoot,_lastBootstrap,_lastEvents");
    if (!devices) return phonecwmp::Unexpected(devices.error());
    for (const auto& device : *devices) {
        if (!device.is_object() || device.value("_id", std::string{}) != device_id) continue;
        auto result = inform_state_of(device);
        lists_every_event_ = result.lists_every_event;
        return std::optional<InformState>{std::move(result.state)};
    }
    return std::optional<InformState>{};
}

}  // namespace acssim::scenario
