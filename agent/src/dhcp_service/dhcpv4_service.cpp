#include "dhcp_service/dhcpv4_service.hpp"

#include <spdlog/spdlog.h>

#include <bit>
#include <charconv>
#include <string>

#include "dhcp/acs_discovery.hpp"
#include "dhcp_service/acs_discovery_publication.hpp"
#include "dhcp_service/acs_url_origin.hpp"
#include "dhcp_service/dhcpv4_identity_from_model.hpp"
#include "dhcp_service/dhcpv4_publication.hpp"

namespace agent::dhcp_service {

namespace {

std::string client_path(std::string_view name) {
    return std::string(kDhcpv4Client) + std::string(name);
}

network::Ipv4Lease network_lease(const dhcp::Dhcpv4Lease& lease) {
    network::Ipv4Lease out;
    out.address.address = lease.address;
    out.address.prefix_length =
        static_cast<std::uint8_t>(std::popcount(lease.subnet_mask.to_uint()));
    if (!lease.classless_routes.empty()) {
        // RFC 3442 §2: with classless routes, option 3 is ignored; the
        // default route is the 0/0 entry, if any.
        for (const auto& route : lease.classless_routes) {
            if (route.prefix_length == 0) {
                out.router = route.router;
                break;
            }
        }
    } else if (!lease.routers.empty()) {
        out.router = lease.routers.front();
    }
    for (const auto& server : lease.dns_servers) {
        out.dns_servers.push_back(server.to_string());
    }
    return out;
}

}  // namespace

Dhcpv4Service::Dhcpv4Service(datamodel::Model& model, network::NetworkController& network,
                             dhcp::Dhcpv4Transport& transport,
                             dhcp::DhcpClientEnvironment& environment,
                             std::array<std::uint8_t, 6> hardware_address)
    : model_(model),
      network_(network),
      transport_(transport),
      environment_(environment),
      hardware_address_(hardware_address) {}

// The lease is kept (no RELEASE): the next start confirms it in INIT-REBOOT.
Dhcpv4Service::~Dhcpv4Service() = default;

void Dhcpv4Service::start() {
    if (std::exchange(started_, true)) return;
    auto registered = model_.register_parameter(
        "Device.DHCPv4.Client.{i}.LeaseTimeRemaining",
        {.get =
             [this](const std::string& path) {
                 if (path != client_path("LeaseTimeRemaining") || !client_) return std::string("0");
                 return std::to_string(client_->lease_time_remaining());
             },
         .validate = {}});
    if (registered) {
        registered = model_.register_parameter(
            "Device.DHCPv4.Client.{i}.DHCPStatus",
            {.get =
                 [this](const std::string& path) {
                     return path == client_path("DHCPStatus") ? dhcp_status() : std::string("Init");
                 },
             .validate = {}});
    }
    if (!registered) {
        spdlog::warn("DHCP: live parameters are not published: {}", registered.error().message);
    }
    track_acs_url_origin(model_);
    observations_.add(model_.observe_subtree(
        std::string(kDhcpv4Client),
        [this](const datamodel::CommittedChanges& changes) { on_committed(changes); }));
    follow_enable();
}

void Dhcpv4Service::on_committed(const datamodel::CommittedChanges& changes) {
    for (const auto& change : changes.parameters) {
        if (change.path == client_path("Enable")) {
            follow_enable();
        } else if (change.path == client_path("Renew") && change.value == "true") {
            // A command parameter: acted on, then back to false.
            if (client_ && client_->state() == dhcp::Dhcpv4ClientState::Bound) {
                spdlog::info("DHCP: renewing the lease on request of DHCPv4.Client.1.Renew");
                client_->renew();
            }
            if (auto reset = model_.set_internal({{client_path("Renew"), "false", std::nullopt}});
                !reset) {
                spdlog::warn("DHCP: cannot reset Renew: {}", reset.error().front().message);
            }
        }
    }
}

void Dhcpv4Service::follow_enable() {
    const bool enabled = model_.value(client_path("Enable")).value_or("false") == "true";
    if (enabled && !running()) {
        start_client();
    } else if (!enabled && running()) {
        stop_client();
    }
    publish_status();
}

void Dhcpv4Service::start_client() {
    dhcp::Dhcpv4ClientSettings settings;
    settings.identity = dhcpv4_identity_from_model(model_, hardware_address_);
    if (auto remembered = model_.meta(kRememberedAddressKey)) {
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address_v4(*remembered, ec);
        if (!ec) settings.remembered_address = address;
    }
    if (auto valid = dhcp::Dhcpv4Client::validate(settings); !valid) {
        spdlog::error("DHCP: the client is not started: {}", valid.error().message);
        client_.reset();
        return;
    }
    requested_options_ = settings.identity.requested_options;
    const bool confirming = settings.remembered_address.has_value();
    client_.reset();  // closes the previous client's sockets before the new one opens them
    client_ = std::make_unique<dhcp::Dhcpv4Client>(
        std::move(settings), transport_, environment_,
        [this](const dhcp::Dhcpv4ClientEvent& event) { on_event(event); });
    lost_since_bound_ = false;
    spdlog::info("DHCP: client started{}", confirming ? " (confirming the previous lease)" : "");
    client_->start();
}

void Dhcpv4Service::stop_client() {
    spdlog::info("DHCP: client stopped, lease released");
    client_->stop();
    if (model_.meta(kRememberedAddressKey)) {
        if (auto erased = model_.erase_meta(kRememberedAddressKey); !erased) {
            spdlog::warn("DHCP: cannot forget the released lease: {}", erased.error().message);
        }
    }
    publish(nullptr, nullptr, std::nullopt);
}

void Dhcpv4Service::on_event(const dhcp::Dhcpv4ClientEvent& event) {
    if (event.kind == dhcp::Dhcpv4ClientEventKind::Lost) {
        on_lost();  // the client logged why
    } else {
        on_bound(event);
    }
    model_.live_value_changed(client_path("DHCPStatus"));
}

void Dhcpv4Service::on_bound(const dhcp::Dhcpv4ClientEvent& event) {
    const dhcp::Dhcpv4Lease& lease = event.lease;
    for (const auto& ignored : lease.ignored) {
        spdlog::warn("DHCP: option ignored: {}", ignored);
    }
    network_.apply_lease(network_lease(lease));

    std::optional<dhcp::DhcpAcsInformation> discovery;
    if (auto discovered = dhcp::discover_acs(event.reply, requested_options_); discovered) {
        for (const auto& ignored : discovered->ignored) {
            spdlog::warn("DHCP: ACS option ignored: {}", ignored);
        }
        if (discovered->acs) {
            spdlog::info("DHCP: ACS {} discovered through {}", discovered->acs->url,
                         dhcp::to_string(discovered->acs->source));
        }
        discovery = std::move(*discovered);
    } else {
        spdlog::warn("DHCP: no usable ACS information in the lease: {}",
                     discovered.error().message);
    }
    publish(&lease, &event.reply, std::move(discovery));

    const std::string address = lease.address.to_string();
    if (model_.meta(kRememberedAddressKey) != address) {
        if (auto stored = model_.set_meta(kRememberedAddressKey, address); !stored) {
            spdlog::warn("DHCP: cannot remember the lease: {}", stored.error().message);
        }
    }
    const bool reinitialised = event.kind == dhcp::Dhcpv4ClientEventKind::AddressChanged ||
                               (event.kind == dhcp::Dhcpv4ClientEventKind::Acquired &&
                                std::exchange(lost_since_bound_, false));
    if (reinitialised && sip_ != nullptr) {
        spdlog::info("DHCP: new address {}: SIP registers again", address);
        sip_->network_reinitialised();
    }
}

void Dhcpv4Service::on_lost() {
    lost_since_bound_ = true;
    network_.lease_lost();
    if (model_.meta(kRememberedAddressKey)) {
        if (auto erased = model_.erase_meta(kRememberedAddressKey); !erased) {
            spdlog::warn("DHCP: cannot forget the lost lease: {}", erased.error().message);
        }
    }
    publish(nullptr, nullptr, std::nullopt);
}

void Dhcpv4Service::publish(const dhcp::Dhcpv4Lease* lease, const dhcp::Dhcpv4Message* reply,
                            std::optional<dhcp::DhcpAcsInformation> discovery) {
    datamodel::ChangeSet changes;
    changes.internal_writes = dhcpv4_lease_writes(model_, lease, reply);
    if (discovery) {
        add_acs_discovery_changes(model_, *discovery, changes);
    }
    if (auto applied = model_.apply(changes); !applied) {
        for (const auto& error : applied.error()) {
            spdlog::error("DHCP: lease not published: {}: {}", error.path, error.message);
        }
    }
}

void Dhcpv4Service::publish_status() {
    const bool enabled = model_.value(client_path("Enable")).value_or("false") == "true";
    const std::string status = !enabled    ? "Disabled"
                               : running() ? "Enabled"
                                           : "Error_Misconfigured";
    if (auto written = model_.set_internal({{client_path("Status"), status, std::nullopt}});
        !written) {
        spdlog::warn("DHCP: Status not published: {}", written.error().front().message);
    }
}

std::string Dhcpv4Service::dhcp_status() const {
    if (!client_) return "Init";
    switch (client_->state()) {
        case dhcp::Dhcpv4ClientState::Selecting:
            return "Selecting";
        case dhcp::Dhcpv4ClientState::Requesting:
        case dhcp::Dhcpv4ClientState::InitReboot:
            return "Requesting";
        case dhcp::Dhcpv4ClientState::Bound:
            return "Bound";
        case dhcp::Dhcpv4ClientState::Renewing:
            return "Renewing";
        case dhcp::Dhcpv4ClientState::Rebinding:
            return "Rebinding";
        case dhcp::Dhcpv4ClientState::Stopped:
        case dhcp::Dhcpv4ClientState::Init:
            return "Init";
    }
    return "Init";
}

std::uint32_t Dhcpv4Service::sip_timeout_seconds() const {
    const std::string text =
        model_.value(client_path("X_PHONECWMP_SIPTimeoutRenewal")).value_or("0");
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() ? value : 0;
}

void Dhcpv4Service::proxy_unresponsive(std::chrono::seconds silent_for) {
    const std::uint32_t timeout = sip_timeout_seconds();
    if (timeout == 0 || silent_for < std::chrono::seconds(timeout)) {
        return;
    }
    if (!client_ || client_->state() != dhcp::Dhcpv4ClientState::Bound) {
        // Renewing already, or no lease to renew: the client is at it.
        spdlog::debug("DHCP: SIP proxy silent for {} s; client {}, no renewal", silent_for.count(),
                      client_ ? dhcp::to_string(client_->state()) : "off");
        return;
    }
    spdlog::info("DHCP: SIP proxy silent for {} s (X_PHONECWMP_SIPTimeoutRenewal {} s): renewing",
                 silent_for.count(), timeout);
    client_->renew();
    model_.live_value_changed(client_path("DHCPStatus"));
}

}  // namespace agent::dhcp_service
