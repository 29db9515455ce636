#include "network/dns_servers_follower.hpp"

#include <spdlog/fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace agent::network {
namespace {

constexpr std::string_view kDnsClient = "Device.DNS.Client.";
constexpr std::string_view kDnsServers = "Device.DNS.Client.Server.";

bool is_true(const std::optional<std::string>& value) {
    return value && (*value == "true" || *value == "1");
}

}  // namespace

DnsServersFollower::DnsServersFollower(datamodel::Model& model) : model_(model) {
    servers_ = configured_servers(model_);
    observations_.add(model_.observe_subtree(
        std::string(kDnsClient), [this](const datamodel::CommittedChanges&) { refresh(); }));
}

std::vector<std::string> DnsServersFollower::configured_servers(const datamodel::Model& model) {
    std::vector<std::string> servers;
    if (!is_true(model.value(std::string(kDnsClient) + "Enable"))) {
        return servers;
    }
    auto rows = model.get_names(kDnsServers, true);
    if (!rows) {
        return servers;
    }
    for (const auto& row : *rows) {
        if (!row.path.ends_with(".") || !is_true(model.value(row.path + "Enable"))) {
            continue;
        }
        auto server = model.value(row.path + "DNSServer").value_or("");
        if (!server.empty()) {
            servers.push_back(std::move(server));
        }
    }
    return servers;
}

std::vector<std::string> DnsServersFollower::effective_servers(const datamodel::Model& model) {
    auto servers = configured_servers(model);
    if (!servers.empty()) {
        return servers;
    }
    const std::string published = model.value(kLeaseDnsServersPath).value_or("");
    std::size_t start = 0;
    while (start < published.size()) {
        const std::size_t comma = std::min(published.find(',', start), published.size());
        if (comma > start) {
            servers.push_back(published.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return servers;
}

void DnsServersFollower::add_sink(Sink sink) {
    sink(servers_);
    sinks_.push_back(std::move(sink));
}

void DnsServersFollower::set_lease_servers(std::vector<std::string> servers) {
    lease_servers_ = std::move(servers);
    refresh();
}

void DnsServersFollower::refresh() {
    auto servers = configured_servers(model_);
    if (servers.empty()) {
        servers = lease_servers_;
    }
    if (servers == servers_) {
        return;
    }
    servers_ = std::move(servers);
    spdlog::info("network: DNS servers now {}", servers_.empty()
                                                    ? std::string("the system's (resolv.conf)")
                                                    : fmt::format("{}", fmt::join(servers_, ", ")));
    for (const auto& sink : sinks_) {
        sink(servers_);
    }
}

}  // namespace agent::network
