#include "dhcp_service/dhcpv6_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "dhcp/acs_discovery.hpp"
#include "dhcp_service/acs_discovery_publication.hpp"
#include "dhcp_service/acs_url_origin.hpp"
#include "dhcp_service/dhcpv4_publication.hpp"

namespace agent::dhcp_service {

namespace {

std::string client_path(std::string_view name) {
    return std::string(kDhcpv6Client) + std::string(name);
}

// "17,23,24,56" → option codes; an item that is not a 16-bit number is
// skipped (the definitions' syntax keeps them numbers).
std::vector<std::uint16_t> option_list(const std::string& text) {
    std::vector<std::uint16_t> codes;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::uint16_t code = 0;
        const auto [end, ec] = std::from_chars(text.data() + start, text.data() + comma, code);
        if (ec == std::errc() && end == text.data() + comma && code != 0) {
            codes.push_back(code);
        }
        start = comma + 1;
    }
    return codes;
}

}  // namespace

Dhcpv6Service::Dhcpv6Service(datamodel::Model& model, network::NetworkController& network,
                             dhcp::Dhcpv6Transport& transport,
                             dhcp::DhcpClientEnvironment& environment, dhcp::Bytes duid)
    : model_(model),
      network_(network),
      transport_(transport),
      environment_(environment),
      duid_(std::move(duid)) {}

void Dhcpv6Service::start() {
    if (std::exchange(started_, true)) return;
    if (auto written = model_.set_internal({{client_path("DUID"), to_hex(duid_), std::nullopt}});
        !written) {
        spdlog::warn("DHCPv6: DUID not published: {}", written.error().front().message);
    }
    observations_.add(model_.observe_subtree(
        std::string(kDhcpv6Client),
        [this](const datamodel::CommittedChanges& changes) { on_committed(changes); }));
    follow_enable();
}

void Dhcpv6Service::on_committed(const datamodel::CommittedChanges& changes) {
    for (const auto& change : changes.parameters) {
        if (change.path == client_path("Enable")) {
            follow_enable();
        } else if (change.path == client_path("Renew") && change.value == "true") {
            // A command parameter: acted on, then back to false.
            if (client_ && client_->state() == dhcp::Dhcpv6ClientState::Bound) {
                spdlog::info("DHCPv6: renewing the lease on request of DHCPv6.Client.1.Renew");
                client_->renew();
            }
            if (auto reset = model_.set_internal({{client_path("Renew"), "false", std::nullopt}});
                !reset) {
                spdlog::warn("DHCPv6: cannot reset Renew: {}", reset.error().front().message);
            }
        }
    }
}

void Dhcpv6Service::follow_enable() {
    const bool enabled = model_.value(client_path("Enable")).value_or("false") == "true";
    if (enabled && !running()) {
        start_client();
    } else if (!enabled && running()) {
        stop_client();
    }
    publish_status();
}

void Dhcpv6Service::start_client() {
    dhcp::Dhcpv6ClientSettings settings;
    settings.identity.duid = duid_;
    if (auto requested = option_list(model_.value(client_path("RequestedOptions")).value_or(""));
        !requested.empty()) {
        settings.identity.requested_options = std::move(requested);
    }
    settings.identity.rapid_commit = model_.value(client_path("RapidCommit")) == "true";
    if (auto valid = dhcp::Dhcpv6Client::validate(settings); !valid) {
        spdlog::error("DHCPv6: the client is not started: {}", valid.error().message);
        client_.reset();
        return;
    }
    client_.reset();  // closes the previous client's socket before the new one opens it
    client_ = std::make_unique<dhcp::Dhcpv6Client>(
        std::move(settings), transport_, environment_,
        [this](const dhcp::Dhcpv6ClientEvent& event) { on_event(event); });
    spdlog::info("DHCPv6: client started");
    client_->start();
}

void Dhcpv6Service::stop_client() {
    spdlog::info("DHCPv6: client stopped, lease released");
    client_->stop();
}

void Dhcpv6Service::on_event(const dhcp::Dhcpv6ClientEvent& event) {
    if (event.kind == dhcp::Dhcpv6ClientEventKind::Lost) {
        network_.ipv6_lease_lost();  // the client logged why
        return;
    }
    if (event.lease.addresses.empty()) {
        return;  // a bound lease always has one; nothing to apply otherwise
    }
    network::Ipv6Lease lease;
    lease.address.address = event.lease.addresses.front().address;
    lease.address.prefix_length = 128;  // IA_NA: the on-link prefix comes from RAs
    for (const auto& server : event.lease.dns_servers) {
        lease.dns_servers.push_back(server.to_string());
    }
    network_.apply_lease(lease);

    auto discovered = dhcp::parse_acs_dhcpv6(event.reply);
    if (!discovered) {
        spdlog::warn("DHCPv6: no usable ACS information in the lease: {}",
                     discovered.error().message);
        return;
    }
    if (!*discovered) {
        return;
    }
    spdlog::info("DHCPv6: ACS {} discovered through {}", (*discovered)->url,
                 dhcp::to_string((*discovered)->source));
    dhcp::DhcpAcsInformation information;
    information.acs = std::move(**discovered);
    datamodel::ChangeSet changes;
    add_acs_discovery_changes(model_, information, changes);
    if (changes.internal_writes.empty()) {
        return;
    }
    if (auto applied = model_.apply(changes); !applied) {
        for (const auto& error : applied.error()) {
            spdlog::error("DHCPv6: discovered ACS not applied: {}: {}", error.path, error.message);
        }
    }
}

void Dhcpv6Service::publish_status() {
    const bool enabled = model_.value(client_path("Enable")).value_or("false") == "true";
    const std::string status = !enabled    ? "Disabled"
                               : running() ? "Enabled"
                                           : "Error_Misconfigured";
    if (auto written = model_.set_internal({{client_path("Status"), status, std::nullopt}});
        !written) {
        spdlog::warn("DHCPv6: Status not published: {}", written.error().front().message);
    }
}

}  // namespace agent::dhcp_service
