// The one owner of the agent's DNS servers: follows
// Device.DNS.Client.Server.{i}.DNSServer (enabled rows, while
// Device.DNS.Client.Enable is true) and hands the list to every resolver of
// the agent (the ACS client's, the SIP endpoint's) through sinks. Without a
// configured row, the servers of the current DHCP lease are used; without
// those either, the list is empty, which resolvers read as "the system's
// /etc/resolv.conf".
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "datamodel/model.hpp"

namespace agent::network {

class DnsServersFollower {
public:
    // A resolver's set_servers(); its errors are the sink's to log.
    using Sink = std::function<void(const std::vector<std::string>& servers)>;

    // Observes the model from now on; the model must outlive the follower.
    explicit DnsServersFollower(datamodel::Model& model);
    DnsServersFollower(const DnsServersFollower&) = delete;
    DnsServersFollower& operator=(const DnsServersFollower&) = delete;

    // Called at once with the current servers, then on every change.
    void add_sink(Sink sink);

    // The servers a DHCP lease named (empty when there is no lease).
    void set_lease_servers(std::vector<std::string> servers);

    const std::vector<std::string>& servers() const { return servers_; }

    // The enabled DNSServer values of the data model, in instance order.
    static std::vector<std::string> configured_servers(const datamodel::Model& model);

    // Where the DHCPv4 client publishes its lease's servers (comma list).
    static constexpr std::string_view kLeaseDnsServersPath = "Device.DHCPv4.Client.1.DNSServers";

    // The same rule for a resolver that reads the model instead of holding a
    // sink: configured servers, else the DHCPv4 lease's as published at
    // kLeaseDnsServersPath (a DHCPv6 lease's servers reach sinks only).
    static std::vector<std::string> effective_servers(const datamodel::Model& model);

private:
    void refresh();

    datamodel::Model& model_;
    std::vector<Sink> sinks_;
    std::vector<std::string> lease_servers_;
    std::vector<std::string> servers_;
    // Last: the model stops calling this object before its members go.
    datamodel::Observations observations_{model_};
};

}  // namespace agent::network
