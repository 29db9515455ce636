#include "network/network_controller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/system/error_code.hpp>

#include "network/static_ipv4.hpp"

namespace agent::network {
namespace {

constexpr std::string_view kInterface = "Device.IP.Interface.1.";
constexpr std::string_view kIpv4Address = "Device.IP.Interface.1.IPv4Address.1.";
constexpr std::string_view kIpv6Address = "Device.IP.Interface.1.IPv6Address.1.";
constexpr std::string_view kIpv4Route = "Device.Routing.Router.1.IPv4Forwarding.1.";
constexpr std::string_view kIpv6Route = "Device.Routing.Router.1.IPv6Forwarding.1.";
constexpr std::string_view kDhcpv4Enable = "Device.DHCPv4.Client.1.Enable";
constexpr std::string_view kDhcpv6Enable = "Device.DHCPv6.Client.1.Enable";
// A static IPv6 address has no prefix parameter in this data model.
constexpr std::uint8_t kStaticIpv6PrefixLength = 64;

// The changes that can alter the interface's configuration.
constexpr std::array<std::string_view, 4> kWatchedPrefixes = {
    kInterface, "Device.Routing.Router.1.", kDhcpv4Enable, kDhcpv6Enable};

bool is_true(const std::optional<std::string>& value) {
    return value && (*value == "true" || *value == "1");
}

std::string path(std::string_view base, std::string_view name) {
    return std::string(base) + std::string(name);
}

using Lookup = std::function<std::optional<std::string>(const std::string&)>;

std::string text(const Lookup& value, const std::string& at) {
    return value(at).value_or("");
}

phonecwmp::Expected<boost::asio::ip::address_v6, std::string> parse_static_ipv6(
    const std::string& value, const char* what) {
    boost::system::error_code ec;
    auto parsed = boost::asio::ip::make_address_v6(value, ec);
    if (ec) {
        return phonecwmp::Unexpected<std::string>(std::string(what) + " \"" + value +
                                                  "\" is not an IPv6 address");
    }
    if (parsed.is_unspecified() || parsed.is_loopback() || parsed.is_multicast()) {
        return phonecwmp::Unexpected<std::string>(std::string(what) + " " + value +
                                                  " is not a unicast address");
    }
    return parsed;
}

// The static IPv4 part; nullopt address when none is configured. `error`
// receives the path and message of the first bad value.
struct StaticIpv4 {
    std::optional<InterfaceAddress> address;
    std::optional<boost::asio::ip::address_v4> gateway;
};

phonecwmp::Expected<StaticIpv4, datamodel::Error> read_static_ipv4(const Lookup& value) {
    StaticIpv4 result;
    if (!is_true(value(path(kIpv4Address, "Enable")))) {
        return result;
    }
    const auto address = text(value, path(kIpv4Address, "IPAddress"));
    const auto mask = text(value, path(kIpv4Address, "SubnetMask"));
    if (address.empty() && mask.empty()) {
        return result;  // not configured yet: no static address
    }
    auto parsed = parse_static_ipv4(address, mask);
    if (!parsed) {
        const bool mask_at_fault = parsed.error().starts_with("subnet mask");
        return phonecwmp::Unexpected<datamodel::Error>(
            {datamodel::ErrorCode::InvalidValue,
             path(kIpv4Address, mask_at_fault ? "SubnetMask" : "IPAddress"), parsed.error()});
    }
    result.address = *parsed;
    if (is_true(value(path(kIpv4Route, "Enable"))) &&
        text(value, path(kIpv4Route, "DestIPAddress")).empty()) {
        const auto gateway = text(value, path(kIpv4Route, "GatewayIPAddress"));
        if (!gateway.empty()) {
            auto via = parse_ipv4_gateway(gateway, *parsed);
            if (!via) {
                return phonecwmp::Unexpected<datamodel::Error>(
                    {datamodel::ErrorCode::InvalidValue, path(kIpv4Route, "GatewayIPAddress"),
                     via.error()});
            }
            result.gateway = *via;
        }
    }
    return result;
}

struct StaticIpv6 {
    std::optional<InterfaceAddress> address;
    std::optional<boost::asio::ip::address_v6> gateway;
};

phonecwmp::Expected<StaticIpv6, datamodel::Error> read_static_ipv6(const Lookup& value) {
    StaticIpv6 result;
    if (!is_true(value(path(kIpv6Address, "Enable")))) {
        return result;
    }
    const auto address = text(value, path(kIpv6Address, "IPAddress"));
    if (address.empty()) {
        return result;
    }
    auto parsed = parse_static_ipv6(address, "IPv6 address");
    if (!parsed) {
        return phonecwmp::Unexpected<datamodel::Error>(
            {datamodel::ErrorCode::InvalidValue, path(kIpv6Address, "IPAddress"), parsed.error()});
    }
    result.address = InterfaceAddress{*parsed, kStaticIpv6PrefixLength};
    if (is_true(value(path(kIpv6Route, "Enable"))) &&
        text(value, path(kIpv6Route, "DestIPPrefix")).empty()) {
        const auto next_hop = text(value, path(kIpv6Route, "NextHop"));
        if (!next_hop.empty()) {
            auto via = parse_static_ipv6(next_hop, "IPv6 next hop");
            if (!via) {
                return phonecwmp::Unexpected<datamodel::Error>(
                    {datamodel::ErrorCode::InvalidValue, path(kIpv6Route, "NextHop"), via.error()});
            }
            result.gateway = *via;
        }
    }
    return result;
}

}  // namespace

NetworkController::NetworkController(datamodel::Model& model, InterfaceConfigurator& configurator,
                                     DnsServersFollower& dns)
    : model_(model), configurator_(configurator), dns_(dns) {}

std::vector<datamodel::Error> NetworkController::check_static(
    const datamodel::ProposedState& state) {
    const Lookup value = [&state](const std::string& at) { return state.value(at); };
    std::vector<datamodel::Error> errors;
    if (!is_true(state.value(kDhcpv4Enable))) {
        if (auto v4 = read_static_ipv4(value); !v4) {
            errors.push_back(v4.error());
        }
    }
    if (!is_true(state.value(kDhcpv6Enable))) {
        if (auto v6 = read_static_ipv6(value); !v6) {
            errors.push_back(v6.error());
        }
    }
    return errors;
}

void NetworkController::start() {
    model_.add_rule({"Device.IP.Interface.{i}.", "Device.Routing.Router.{i}.",
                     "Device.DHCPv4.Client.{i}.Enable", "Device.DHCPv6.Client.{i}.Enable"},
                    [](const datamodel::ProposedState& state) { return check_static(state); });
    observations_.add(model_.observe_subtree(
        "", [this](const datamodel::CommittedChanges& changes) { on_committed(changes); }));
    started_ = true;
    publishing_ = true;
    if (model_.value(path(kInterface, "Name"))) {
        if (auto named = model_.set_internal(
                {{path(kInterface, "Name"), configurator_.interface_name(), std::nullopt}});
            !named) {
            spdlog::warn("network: cannot publish the interface name: {}",
                         named.error().front().message);
        }
    }
    publishing_ = false;
    reconcile();
}

void NetworkController::on_committed(const datamodel::CommittedChanges& changes) {
    if (publishing_) {
        return;
    }
    const auto watched = [](std::string_view changed) {
        return std::any_of(
            kWatchedPrefixes.begin(), kWatchedPrefixes.end(),
            [changed](std::string_view prefix) { return changed.starts_with(prefix); });
    };
    const bool relevant = std::any_of(changes.parameters.begin(), changes.parameters.end(),
                                      [&](const datamodel::ParameterChange& change) {
                                          return watched(change.path);
                                      }) ||
                          std::any_of(changes.objects.begin(), changes.objects.end(),
                                      [&](const auto& object) { return watched(object.first); });
    // A lease belongs to the client that got it: switching to static
    // forgets it, and DHCP on again waits for a new one.
    for (const auto& change : changes.parameters) {
        if (change.path == kDhcpv4Enable && !is_true(change.value)) {
            lease_v4_.reset();
        } else if (change.path == kDhcpv6Enable && !is_true(change.value)) {
            lease_v6_.reset();
        }
    }
    if (relevant) {
        reconcile();
    }
}

phonecwmp::Expected<DesiredConfiguration, std::string> NetworkController::desired() const {
    const Lookup value = [this](const std::string& at) { return model_.value(at); };
    DesiredConfiguration wanted;
    wanted.link_up = is_true(value(path(kInterface, "Enable")));
    if (is_true(value(path(kInterface, "IPv4Enable")))) {
        if (is_true(value(std::string(kDhcpv4Enable)))) {
            if (lease_v4_) {
                wanted.addresses.push_back(lease_v4_->address);
                wanted.ipv4_gateway = lease_v4_->router;
            }
        } else {
            auto v4 = read_static_ipv4(value);
            if (!v4) {
                return phonecwmp::Unexpected<std::string>(v4.error().path + ": " +
                                                          v4.error().message);
            }
            if (v4->address) {
                wanted.addresses.push_back(*v4->address);
                wanted.ipv4_gateway = v4->gateway;
            }
        }
    }
    if (is_true(value(path(kInterface, "IPv6Enable")))) {
        if (is_true(value(std::string(kDhcpv6Enable)))) {
            if (lease_v6_) {
                wanted.addresses.push_back(lease_v6_->address);
            }
        } else {
            auto v6 = read_static_ipv6(value);
            if (!v6) {
                return phonecwmp::Unexpected<std::string>(v6.error().path + ": " +
                                                          v6.error().message);
            }
            if (v6->address) {
                wanted.addresses.push_back(*v6->address);
                wanted.ipv6_gateway = v6->gateway;
            }
        }
    }
    return wanted;
}

void NetworkController::reconcile() {
    if (!started_) {
        return;
    }
    auto wanted = desired();
    if (!wanted) {
        spdlog::error("network: configuration not applied: {}", wanted.error());
        publish(false);
        return;
    }
    if (last_applied_ && *last_applied_ == *wanted) {
        // Nothing to configure, but e.g. a new IPv4Address instance needs
        // its state.
        publish(true);
        return;
    }
    ++applies_;
    auto applied = configurator_.apply(*wanted);
    if (applied) {
        last_applied_ = *wanted;
        spdlog::info("network: {} configured ({} address(es), link {})",
                     configurator_.interface_name(), wanted->addresses.size(),
                     wanted->link_up ? "up" : "down");
    } else {
        // Forget what was applied so that the next change tries again.
        last_applied_.reset();
        spdlog::error("network: {}", applied.error());
    }
    publish(static_cast<bool>(applied));
}

void NetworkController::publish(bool applied) {
    auto state = configurator_.read_state();
    if (!state) {
        spdlog::warn("network: cannot read {} back: {}", configurator_.interface_name(),
                     state.error());
    }
    const auto has = [&state](const InterfaceAddress& address) {
        return state && std::find(state->addresses.begin(), state->addresses.end(), address) !=
                            state->addresses.end();
    };
    std::vector<datamodel::ValueWrite> writes;
    const auto put = [this, &writes](std::string at, std::string value) {
        if (model_.value(at) && model_.value(at) != value) {
            writes.push_back({std::move(at), std::move(value), std::nullopt});
        }
    };
    put(path(kInterface, "Status"), !state            ? "NotPresent"
                                    : !state->link_up ? "Down"
                                    : state->carrier  ? "Up"
                                                      : "LowerLayerDown");
    const bool dhcp = is_true(model_.value(kDhcpv4Enable));
    put(path(kIpv4Address, "AddressingType"), dhcp ? "DHCP" : "Static");
    std::string status = "Disabled";
    if (!applied) {
        status = "Error_Misconfigured";
    } else if (dhcp) {
        const bool bound = lease_v4_ && has(lease_v4_->address);
        put(path(kIpv4Address, "IPAddress"), bound ? lease_v4_->address.address.to_string() : "");
        put(path(kIpv4Address, "SubnetMask"),
            bound ? subnet_mask_from_prefix(lease_v4_->address.prefix_length) : "");
        status = bound ? "Enabled" : "Disabled";
    } else if (is_true(model_.value(path(kIpv4Address, "Enable")))) {
        const Lookup value = [this](const std::string& at) { return model_.value(at); };
        auto v4 = read_static_ipv4(value);
        status = v4 && v4->address && has(*v4->address) ? "Enabled" : "Disabled";
    }
    put(path(kIpv4Address, "Status"), status);

    std::vector<std::string> lease_dns;
    if (dhcp && lease_v4_) {
        lease_dns = lease_v4_->dns_servers;
    }
    if (is_true(model_.value(kDhcpv6Enable)) && lease_v6_) {
        lease_dns.insert(lease_dns.end(), lease_v6_->dns_servers.begin(),
                         lease_v6_->dns_servers.end());
    }
    dns_.set_lease_servers(std::move(lease_dns));

    if (writes.empty()) {
        return;
    }
    publishing_ = true;
    auto written = model_.set_internal(writes);
    publishing_ = false;
    if (!written) {
        spdlog::warn("network: cannot publish the interface state: {} ({})",
                     written.error().front().message, written.error().front().path);
    }
}

void NetworkController::apply_lease(const Ipv4Lease& lease) {
    if (!is_true(model_.value(kDhcpv4Enable))) {
        spdlog::info("network: DHCPv4 lease {} ignored: DHCPv4.Client.1 is disabled",
                     to_string(lease.address));
        return;
    }
    lease_v4_ = lease;
    reconcile();
}

void NetworkController::lease_lost() {
    lease_v4_.reset();
    reconcile();
}

void NetworkController::apply_lease(const Ipv6Lease& lease) {
    if (!is_true(model_.value(kDhcpv6Enable))) {
        spdlog::info("network: DHCPv6 lease {} ignored: DHCPv6.Client.1 is disabled",
                     to_string(lease.address));
        return;
    }
    lease_v6_ = lease;
    reconcile();
}

void NetworkController::ipv6_lease_lost() {
    lease_v6_.reset();
    reconcile();
}

}  // namespace agent::network
