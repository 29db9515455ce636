#include "scenario/registry_inform_source.hpp"

#include <boost/asio/post.hpp>
#include <future>
#include <memory>

#include "util/time_format.hpp"

namespace acssim::scenario {

phonecwmp::Expected<std::optional<InformState>, std::string> RegistryInformSource::latest(
    const std::string& device_id, std::chrono::steady_clock::time_point deadline) {
    // Shared: if the wait below gives up, the I/O thread still has a promise
    // to fulfil.
    auto promise = std::make_shared<std::promise<std::optional<InformState>>>();
    auto answer = promise->get_future();
    boost::asio::post(io_, [promise, device_id, &registry = registry_] {
        auto device = registry.find_device(device_id);
        if (!device) {
            promise->set_value(std::nullopt);
            return;
        }
        InformState state;
        state.last_inform = format_iso8601(device->last_inform);
        if (device->last_boot) state.last_boot = format_iso8601(*device->last_boot);
        for (const auto& event : device->last_events) state.events.push_back(event.event_code);
        promise->set_value(std::move(state));
    });
    if (answer.wait_until(deadline) != std::future_status::ready) {
        return phonecwmp::Unexpected(
            std::string{"the simulator's I/O thread did not answer in time"});
    }
    return answer.get();
}

}  // namespace acssim::scenario
