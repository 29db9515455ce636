// Keeps the phone's one IP interface in step with the data model:
// Device.IP.Interface.1 (Enable, IPv4Enable, IPv6Enable), the static
// IPv4Address.1 / IPv6Address.1, the default routes of
// Routing.Router.1.IPv4Forwarding.1 / IPv6Forwarding.1, and the addressing
// mode of DHCPv4.Client.1.Enable / DHCPv6.Client.1.Enable (true: the
// address comes from a lease the DHCP client hands in through apply_lease()).
//
// One committed transaction yields at most one reconciliation through the
// InterfaceConfigurator, so an SPV that switches to static and sets address,
// mask and gateway together is applied together. Invalid static values are
// refused by a model rule (fault 9007) before anything is committed. The
// real state is published back: Interface.1.Status, IPv4Address.1.Status,
// AddressingType and, under DHCP, IPAddress / SubnetMask of the lease.
#pragma once

#include <boost/asio/ip/address_v4.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "datamodel/model.hpp"
#include "network/dns_servers_follower.hpp"
#include "network/interface_configurator.hpp"

namespace agent::network {

// What a DHCPv4 client got from its server, as the network needs it.
struct Ipv4Lease {
    InterfaceAddress address;
    std::optional<boost::asio::ip::address_v4> router;
    std::vector<std::string> dns_servers;
};

// What a DHCPv6 client got (IA_NA address, /128 unless known otherwise).
struct Ipv6Lease {
    InterfaceAddress address;
    std::vector<std::string> dns_servers;
};

// The model keeps the rule and observers registered here: the controller
// must live as long as the model is changed (main() owns both).
class NetworkController {
public:
    NetworkController(datamodel::Model& model, InterfaceConfigurator& configurator,
                      DnsServersFollower& dns);
    NetworkController(const NetworkController&) = delete;
    NetworkController& operator=(const NetworkController&) = delete;

    // Registers the validation rule and the observer, publishes the
    // interface name, and applies the current configuration once.
    void start();

    // From the DHCP clients: a lease was bound (or renewed with other
    // values), or lost (expired, NAK, RELEASE). Ignored while the matching
    // DHCP client is disabled.
    void apply_lease(const Ipv4Lease& lease);
    void lease_lost();
    void apply_lease(const Ipv6Lease& lease);
    void ipv6_lease_lost();

    // What the model (and the leases) ask for now; the error names the
    // parameter that makes no configuration (public for tests).
    phonecwmp::Expected<DesiredConfiguration, std::string> desired() const;

    // Reconciliations handed to the configurator so far.
    std::size_t applies() const { return applies_; }

    // The static-addressing rule: one InvalidValue error per bad parameter.
    static std::vector<datamodel::Error> check_static(const datamodel::ProposedState& state);

private:
    void on_committed(const datamodel::CommittedChanges& changes);
    void reconcile();
    void publish(bool applied);

    datamodel::Model& model_;
    InterfaceConfigurator& configurator_;
    DnsServersFollower& dns_;
    std::optional<Ipv4Lease> lease_v4_;
    std::optional<Ipv6Lease> lease_v6_;
    std::optional<DesiredConfiguration> last_applied_;
    std::size_t applies_ = 0;
    // Our own status writes come back through the observer; they change
    // nothing to configure.
    bool publishing_ = false;
    bool started_ = false;
    // Last: the model stops calling this object before its members go.
    datamodel::Observations observations_{model_};
};

}  // namespace agent::network
