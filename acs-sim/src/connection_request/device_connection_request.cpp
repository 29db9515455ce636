#include "connection_request/device_connection_request.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string_view>

namespace acssim {

namespace {

std::optional<std::string> cached_value(const DeviceRecord& device, std::string_view root,
                                        std::string_view name) {
    const auto found = device.parameters.find(std::string{root} + std::string{name});
    if (found == device.parameters.end() || !found->second.value || found->second.value->empty()) {
        return std::nullopt;
    }
    return found->second.value;
}

}  // namespace

phonecwmp::Expected<ConnectionRequestTarget, std::string> device_connection_request(
    const DeviceRecord& device, const ConnectionRequestCredentials& defaults) {
    constexpr std::array<std::string_view, 2> kRoots = {"Device.ManagementServer.",
                                                        "InternetGatewayDevice.ManagementServer."};
    for (const auto root : kRoots) {
        auto url = cached_value(device, root, "ConnectionRequestURL");
        if (!url) continue;
        ConnectionRequestTarget target;
        target.url = std::move(*url);
        target.username =
            cached_value(device, root, "ConnectionRequestUsername").value_or(defaults.username);
        target.password =
            cached_value(device, root, "ConnectionRequestPassword").value_or(defaults.password);
        return target;
    }
    return phonecwmp::Unexpected(
        fmt::format("device {} has reported no ConnectionRequestURL", device.id));
}

}  // namespace acssim
