#include "dhcp_service/acs_url_origin.hpp"

#include <spdlog/spdlog.h>

namespace agent::dhcp_service {

bool discovery_may_set_acs_url(const datamodel::Model& model) {
    const std::string current = model.value(kManagementServerUrl).value_or("");
    if (current.empty()) {
        return true;
    }
    const auto discovered = model.meta(kDiscoveredAcsUrlKey);
    return discovered && *discovered == current;
}

void track_acs_url_origin(datamodel::Model& model) {
    model.observe_subtree(
        "Device.ManagementServer.", [&model](const datamodel::CommittedChanges& changes) {
            for (const auto& change : changes.parameters) {
                if (change.path != kManagementServerUrl ||
                    change.source != datamodel::ChangeSource::Controller ||
                    !model.meta(kDiscoveredAcsUrlKey)) {
                    continue;
                }
                if (auto erased = model.erase_meta(kDiscoveredAcsUrlKey); !erased) {
                    // The record stays: the next discovery could replace the
                    // ACS's URL, so say so loudly.
                    spdlog::error("DHCP: cannot record that the ACS set its URL: {}",
                                  erased.error().message);
                }
            }
        });
}

}  // namespace agent::dhcp_service
