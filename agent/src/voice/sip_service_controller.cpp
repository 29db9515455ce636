#include "voice/sip_service_controller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "voice/restricted_domains.hpp"

namespace agent::voice {
namespace {

constexpr std::string_view kVoiceService = "Device.Services.VoiceService.1.";
constexpr std::string_view kNetworks = "Device.Services.VoiceService.1.SIP.Network.";
constexpr std::string_view kClients = "Device.Services.VoiceService.1.SIP.Client.";
constexpr std::string_view kDnsClient = "Device.DNS.Client.";
constexpr std::string_view kDnsServers = "Device.DNS.Client.Server.";

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

// "….Client.1.Status" → "….Client.1."
std::string instance_of(const std::string& parameter_path) {
    return parameter_path.substr(0, parameter_path.rfind('.') + 1);
}

}  // namespace

SipServiceController::SipServiceController(boost::asio::io_context& io, datamodel::Model& model,
                                           SipServiceOptions options)
    : model_(model),
      options_(std::move(options)),
      resolver_(io),
      endpoint_(io, resolver_, options_.user_agent) {
    register_hooks();
}

SipServiceController::~SipServiceController() = default;

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
    model_.observe_subtree(std::string(kVoiceService),
                           [this](const datamodel::CommittedChanges& changes) {
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
                           });
    model_.observe_subtree(std::string(kDnsClient), [this](const datamodel::CommittedChanges&) {
        apply_dns_servers();
        endpoint_.resolve_again();
    });
    apply_dns_servers();
    reconfigure();
}

void SipServiceController::apply_dns_servers() {
    std::vector<std::string> servers;
    if (is_true(model_.value(std::string(kDnsClient) + "Enable"))) {
        if (auto names = model_.get_names(kDnsServers, true)) {
            for (const auto& name : *names) {
                if (!name.path.ends_with(".") || !is_true(model_.value(name.path + "Enable"))) {
                    continue;
                }
                auto server = model_.value(name.path + "DNSServer").value_or("");
                if (!server.empty()) {
                    servers.push_back(server);
                }
            }
        }
    }
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
    if (settings.credentials.username.empty()) {
        if (auto client = client_path(*network)) {
            settings.credentials = {model_.value(*client + "AuthUserName").value_or(""),
                                    model_.value(*client + "AuthPassword").value_or("")};
        }
    }
    return settings;
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
            return "Up";
        case sip::SipEndpoint::Status::Disabled:
            return "Error_Misconfigured";
        case sip::SipEndpoint::Status::Error:
            return "Error_Network";
    }
    return "Error_Network";
}

}  // namespace agent::voice
