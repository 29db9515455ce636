#include "voice/sip_service_controller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "network/dns_servers_follower.hpp"
#include "voice/restricted_domains.hpp"

namespace agent::voice {
namespace {

constexpr std::string_view kVoiceService = "Device.Services.VoiceService.1.";
constexpr std::string_view kNetworks = "Device.Services.VoiceService.1.SIP.Network.";
constexpr std::string_view kClients = "Device.Services.VoiceService.1.SIP.Client.";
constexpr std::string_view kDnsClient = "Device.DNS.Client.";
constexpr std::string_view kSipTimeoutRenewal =
    "Device.DHCPv4.Client.1.X_PHONECWMP_SIPTimeoutRenewal";

constexpr std::string_view kTransportParameters[] = {
    "Device.Services.VoiceService.{i}.SIP.Network.{i}.ProxyServerTransport",
    "Device.Services.VoiceService.{i}.SIP.Network.{i}.RegistrarServerTransport",
    "Device.Services.VoiceService.{i}.SIP.Network.{i}.UserAgentTransport",
};
constexpr std::string_view kNetworkStatus =
    "Device.Services.VoiceService.{i}.SIP.Network.{i}.Status";
constexpr std::string_view kClientStatus = "Device.Services.VoiceService.{i}.SIP.Client.{i}.Status";

bool is_true(const std::optional<std::string>& value) {
    return value && (*value == "true" || *value == "1");
}

// An unsignedInt parameter in seconds; `fallback` when unset or malformed.
std::chrono::seconds seconds_of(const std::string& text, std::chrono::seconds fallback) {
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) {
        return fallback;
    }
    return std::chrono::seconds(value);
}

// "….Client.1.Status" → "….Client.1."
std::string instance_of(const std::string& parameter_path) {
    return parameter_path.substr(0, parameter_path.rfind('.') + 1);
}

}  // namespace

SipServiceController::SipServiceController(boost::asio::io_context& io, datamodel::Model& model,
                                           SipServiceOptions options)
    : io_(io),
      model_(model),
      options_(std::move(options)),
      resolver_(io),
      endpoint_(io, resolver_, options_.user_agent),
      silence_timers_(io) {
    endpoint_.set_registration_listener([this] {
        publish_client_status();
        if (shutdown_done_ &&
            endpoint_.registration().state() != sip::RegistrationClient::State::Deregistering) {
            finish_shutdown(false);
        }
    });
    register_hooks();
}

void SipServiceController::shutdown(std::chrono::milliseconds limit, std::function<void()> done) {
    if (shutdown_done_) {
        return;  // a second signal while the first shutdown waits
    }
    shutdown_done_ = std::move(done);
    if (!endpoint_.unregister_for_shutdown()) {
        finish_shutdown(false);
        return;
    }
    spdlog::info("SIP: removing the registration before stopping (at most {} ms)", limit.count());
    shutdown_timer_.emplace(io_, limit);
    shutdown_timer_->async_wait([this](const boost::system::error_code& error) {
        if (!error && shutdown_done_) {
            finish_shutdown(true);
        }
    });
}

void SipServiceController::finish_shutdown(bool timed_out) {
    if (timed_out) {
        spdlog::warn("SIP: the registrar did not answer the un-REGISTER in time; stopping anyway");
    }
    if (shutdown_timer_) {
        shutdown_timer_->cancel();
    }
    // Moved out first: `done` may stop the io_context or destroy this.
    auto done = std::move(shutdown_done_);
    shutdown_done_ = nullptr;
    if (done) {
        done();
    }
}

SipServiceController::~SipServiceController() {
    // The endpoint outlives the watch: it must stop calling it.
    endpoint_.set_registration_transaction_observer({});
}

void SipServiceController::watch_registrar_silence(dhcp_service::SipProxyTimeoutSink& dhcp) {
    silence_watch_.emplace(
        silence_timers_, [] { return std::chrono::steady_clock::now(); },
        [this] { return sip_timeout_renewal(); }, dhcp);
    endpoint_.set_registration_transaction_observer(
        [this](sip::RegistrationClient::TransactionEvent event) {
            silence_watch_->on_transaction(event);
        });
}

std::chrono::seconds SipServiceController::sip_timeout_renewal() const {
    return seconds_of(model_.value(std::string(kSipTimeoutRenewal)).value_or("0"),
                      std::chrono::seconds(0));
}

void SipServiceController::network_reinitialised() {
    if (!started_ || shutdown_done_) {
        return;
    }
    spdlog::info("SIP: the phone's address changed; registering again");
    const auto before = endpoint_.status();
    endpoint_.network_changed();
    publish_status_change(before);
}

void SipServiceController::register_hooks() {
    for (auto path : kTransportParameters) {
        auto registered = model_.register_parameter(
            path, {.get = {},
                   .validate = [](const std::string&,
                                  const std::string& value) -> std::optional<std::string> {
                       if (sip::parse_transport(value)) {
                           return std::nullopt;
                       }
                       return "transport " + value +
                              " is not supported by the phone's SIP stack (UDP, TCP or TLS)";
                   }});
        if (!registered) {
            spdlog::warn("SIP: {} is not in the definitions: {}", path, registered.error().message);
        }
    }
    auto network = model_.register_parameter(
        kNetworkStatus,
        {.get = [this](const std::string& path) { return network_status(path); }, .validate = {}});
    auto client = model_.register_parameter(
        kClientStatus,
        {.get = [this](const std::string& path) { return client_status(path); }, .validate = {}});
    if (!network || !client) {
        spdlog::warn("SIP: the definitions lack SIP.Network/Client Status; status is not live");
    }
}

void SipServiceController::start() {
    started_ = true;
    observations_.add(model_.observe_subtree(
        std::string(kVoiceService), [this](const datamodel::CommittedChanges& changes) {
            // Our own live Status values come back here
            // too; they change nothing to configure.
            const bool only_status =
                changes.objects.empty() &&
                std::all_of(changes.parameters.begin(), changes.parameters.end(),
                            [](const datamodel::ParameterChange& change) {
                                return change.path.ends_with(".Status");
                            });
            if (!only_status) {
                reconfigure();
            }
        }));
    observations_.add(
        model_.observe_subtree(std::string(kDnsClient), [this](const datamodel::CommittedChanges&) {
            apply_dns_servers();
            endpoint_.resolve_again();
        }));
    // Without configured servers, the DHCP lease's count.
    observations_.add(
        model_.observe_subtree(std::string(network::DnsServersFollower::kLeaseDnsServersPath),
                               [this](const datamodel::CommittedChanges&) {
                                   apply_dns_servers();
                                   endpoint_.resolve_again();
                               }));
    apply_dns_servers();
    reconfigure();
}

void SipServiceController::apply_dns_servers() {
    // The same list the ACS client uses: one rule, in the network subsystem.
    const auto servers = network::DnsServersFollower::effective_servers(model_);
    if (auto set = resolver_.set_servers(servers); !set) {
        spdlog::warn("SIP: DNS servers not used: {}", set.error());
    }
}

std::optional<std::string> SipServiceController::network_path() const {
    auto names = model_.get_names(kNetworks, true);
    if (!names) {
        return std::nullopt;
    }
    for (const auto& name : *names) {
        if (name.path.ends_with(".")) {
            return name.path;
        }
    }
    return std::nullopt;
}

std::optional<std::string> SipServiceController::client_path(const std::string& network) const {
    auto names = model_.get_names(kClients, true);
    if (!names) {
        return std::nullopt;
    }
    const auto reference = network.substr(0, network.size() - 1);
    for (const auto& name : *names) {
        if (!name.path.ends_with(".")) {
            continue;
        }
        const auto linked = model_.value(name.path + "Network").value_or("");
        if (linked == reference || linked == network) {
            return name.path;
        }
    }
    return std::nullopt;
}

sip::EndpointSettings SipServiceController::read_settings() const {
    sip::EndpointSettings settings;
    settings.bind_address = options_.bind_address;
    settings.tls = options_.tls;
    settings.restricted_domains = parse_domain_list(
        model_.value(std::string(kVoiceService) + "X_PHONECWMP_RestrictedAccessDomains")
            .value_or(""));
    const auto network = network_path();
    if (!network) {
        return settings;
    }
    const auto value = [this, &network](std::string_view name) {
        return model_.value(*network + std::string(name)).value_or("");
    };
    settings.enabled = is_true(model_.value(*network + "Enable"));
    settings.transport =
        sip::parse_transport(value("UserAgentTransport")).value_or(sip::TransportKind::Udp);
    unsigned port = 0;
    const auto port_text = value("UserAgentPort");
    std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    settings.port = port > 0 && port <= 65535
                        ? static_cast<std::uint16_t>(port)
                        : (settings.transport == sip::TransportKind::Tls ? 5061 : 5060);
    settings.inbound_auth =
        sip::parse_inbound_auth(value("InboundAuth")).value_or(sip::InboundAuthMode::None);
    settings.proxy_server = value("ProxyServer");
    if (auto realm = value("Realm"); !realm.empty()) {
        settings.realm = realm;
    }
    settings.credentials = {value("InboundAuthUsername"), value("InboundAuthPassword")};
    const auto client = client_path(*network);
    if (settings.credentials.username.empty() && client) {
        settings.credentials = {model_.value(*client + "AuthUserName").value_or(""),
                                model_.value(*client + "AuthPassword").value_or("")};
    }
    if (client) {
        settings.registration = read_registration(*network, *client);
    }
    return settings;
}

sip::RegistrationSettings SipServiceController::read_registration(const std::string& network,
                                                                  const std::string& client) const {
    const auto value = [this](const std::string& path) { return model_.value(path).value_or(""); };
    sip::RegistrationSettings registration;
    // Without a registrar (or with RegisterMode STATIC) the line is reachable
    // without registering: its Status then follows the listener.
    registration.enabled = is_true(model_.value(client + "Enable")) &&
                           !value(network + "RegistrarServer").empty() &&
                           value(client + "RegisterMode") != "STATIC";
    registration.registrar.host = value(network + "RegistrarServer");
    unsigned port = 0;
    const auto port_text = value(network + "RegistrarServerPort");
    std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    registration.registrar.transport =
        sip::parse_transport(value(network + "RegistrarServerTransport"))
            .value_or(sip::TransportKind::Udp);
    registration.registrar.port =
        port > 0 && port <= 65535
            ? static_cast<std::uint16_t>(port)
            : (registration.registrar.transport == sip::TransportKind::Tls ? 5061 : 5060);
    if (auto proxy = value(network + "OutboundProxy"); !proxy.empty()) {
        unsigned proxy_port = 0;
        const auto proxy_port_text = value(network + "OutboundProxyPort");
        std::from_chars(proxy_port_text.data(), proxy_port_text.data() + proxy_port_text.size(),
                        proxy_port);
        const auto transport = registration.registrar.transport;
        registration.outbound_proxy = sip::RegistrarTarget{
            std::move(proxy),
            proxy_port > 0 && proxy_port <= 65535
                ? static_cast<std::uint16_t>(proxy_port)
                : static_cast<std::uint16_t>(transport == sip::TransportKind::Tls ? 5061 : 5060),
            transport};
    }
    registration.register_uri = value(client + "RegisterURI");
    registration.username = value(client + "AuthUserName");
    registration.password = value(client + "AuthPassword");
    registration.expires =
        seconds_of(value(network + "RegisterExpires"), std::chrono::seconds(3600));
    registration.retry_interval =
        seconds_of(value(network + "RegisterRetryInterval"), std::chrono::seconds(30));
    return registration;
}

void SipServiceController::reconfigure() {
    const auto before = endpoint_.status();
    const auto settings = read_settings();
    if (settings.inbound_auth == sip::InboundAuthMode::Digest &&
        settings.credentials.username.empty()) {
        spdlog::warn(
            "SIP: InboundAuth is Digest but neither InboundAuthUsername nor the line's "
            "AuthUserName is set: every INVITE is refused");
    }
    // Errors are logged by the endpoint and shown in Status.
    (void)endpoint_.configure(settings);
    publish_status_change(before);
}

void SipServiceController::publish_status_change(sip::SipEndpoint::Status before) {
    if (endpoint_.status() != before) {
        if (auto network = network_path()) {
            model_.live_value_changed(*network + "Status");
            if (auto client = client_path(*network)) {
                model_.live_value_changed(*client + "Status");
            }
        }
    }
}

std::string SipServiceController::network_status(const std::string& path) const {
    const auto network = network_path();
    if (!started_ || !network || instance_of(path) != *network) {
        return "Disabled";
    }
    switch (endpoint_.status()) {
        case sip::SipEndpoint::Status::Up:
            return "Up";
        case sip::SipEndpoint::Status::Disabled:
            return "Disabled";
        case sip::SipEndpoint::Status::Error:
            return "Error_Other";
    }
    return "Error_Other";
}

void SipServiceController::publish_client_status() {
    if (auto network = network_path()) {
        if (auto client = client_path(*network)) {
            model_.live_value_changed(*client + "Status");
        }
    }
}

std::string SipServiceController::registration_status() const {
    const auto& registration = endpoint_.registration();
    if (!registration.settings().enabled) {
        return "Up";  // no registrar: reachable on the listener
    }
    using State = sip::RegistrationClient::State;
    using Failure = sip::RegistrationClient::Failure;
    switch (registration.state()) {
        case State::Registered:
            return "Up";
        case State::Registering:
            return "Registering";
        case State::Deregistering:
            return "Deregistering";
        case State::Disabled:
            return "Initializing";
        case State::Error:
            switch (registration.failure()) {
                case Failure::Misconfigured:
                    return "Error_Misconfigured";
                case Failure::Network:
                    return "Error_Network";
                case Failure::None:
                case Failure::Registration:
                    return "Error_Registration";
            }
    }
    return "Error_Registration";
}

std::string SipServiceController::client_status(const std::string& path) const {
    const auto client = instance_of(path);
    if (!is_true(model_.value(client + "Enable"))) {
        return "Disabled";
    }
    const auto network = network_path();
    if (!started_ || !network || client_path(*network) != client) {
        return "Error_Misconfigured";
    }
    switch (endpoint_.status()) {
        case sip::SipEndpoint::Status::Up:
            return registration_status();
        case sip::SipEndpoint::Status::Disabled:
            return "Error_Misconfigured";
        case sip::SipEndpoint::Status::Error:
            return "Error_Network";
    }
    return "Error_Network";
}

}  // namespace agent::voice
