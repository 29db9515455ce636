#include "dhcp_service/acs_discovery_publication.hpp"

#include <spdlog/spdlog.h>

#include "dhcp_service/acs_url_origin.hpp"

namespace agent::dhcp_service {

void add_acs_discovery_changes(const datamodel::Model& model,
                               const dhcp::DhcpAcsInformation& information,
                               datamodel::ChangeSet& changes) {
    auto put = [&changes](std::string path, std::string value) {
        changes.internal_writes.push_back({std::move(path), std::move(value), std::nullopt});
    };
    if (information.gateway) {
        put("Device.GatewayInfo.ManufacturerOUI", information.gateway->manufacturer_oui);
        put("Device.GatewayInfo.SerialNumber", information.gateway->serial_number);
        put("Device.GatewayInfo.ProductClass", information.gateway->product_class);
    }
    if (!information.acs) {
        return;
    }
    const dhcp::AcsDiscovery& acs = *information.acs;
    if (!discovery_may_set_acs_url(model)) {
        const std::string current = model.value(kManagementServerUrl).value_or("");
        if (current != acs.url) {
            spdlog::info(
                "DHCP: discovered ACS {} ({}) not used: the URL {} was set by "
                "the ACS or the local configuration",
                acs.url, dhcp::to_string(acs.source), current);
        }
        return;
    }
    put(std::string(kManagementServerUrl), acs.url);
    changes.meta.push_back({std::string(kDiscoveredAcsUrlKey), acs.url});
    if (acs.provisioning_code) {
        put("Device.DeviceInfo.ProvisioningCode", *acs.provisioning_code);
    }
    if (acs.retry_minimum_wait_interval) {
        put("Device.ManagementServer.CWMPRetryMinimumWaitInterval",
            std::to_string(*acs.retry_minimum_wait_interval));
    }
    if (acs.retry_interval_multiplier) {
        put("Device.ManagementServer.CWMPRetryIntervalMultiplier",
            std::to_string(*acs.retry_interval_multiplier));
    }
}

}  // namespace agent::dhcp_service
