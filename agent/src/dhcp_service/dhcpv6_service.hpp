// The agent's DHCPv6 client on its one interface, the IPv6 counterpart of
// Dhcpv4Service: runs while Device.DHCPv6.Client.1.Enable is true (stopping
// releases the lease), hands the IA_NA address and the DNS servers (23) to
// the NetworkController, discovers the ACS from option 17 enterprise 3561
// under the same URL-origin rule as DHCPv4 (acs_url_origin.hpp), and
// publishes DHCPv6.Client.1.Status and DUID. Renew = true renews at once.
// Lives on the agent's io_context thread, like the model.
#pragma once

#include <memory>

#include "datamodel/model.hpp"
#include "dhcp/dhcp_client_environment.hpp"
#include "dhcp/dhcpv6_client.hpp"
#include "dhcp/dhcpv6_transport.hpp"
#include "network/network_controller.hpp"

namespace agent::dhcp_service {

inline constexpr std::string_view kDhcpv6Client = "Device.DHCPv6.Client.1.";

class Dhcpv6Service {
public:
    // Transport, environment, network controller and model must outlive the
    // service (main() owns them all). `duid`: the client's DUID (option 1).
    Dhcpv6Service(datamodel::Model& model, network::NetworkController& network,
                  dhcp::Dhcpv6Transport& transport, dhcp::DhcpClientEnvironment& environment,
                  dhcp::Bytes duid);
    Dhcpv6Service(const Dhcpv6Service&) = delete;
    Dhcpv6Service& operator=(const Dhcpv6Service&) = delete;

    // Registers the observer, publishes the DUID, starts the client when enabled.
    void start();

    bool running() const { return client_ && client_->state() != dhcp::Dhcpv6ClientState::Stopped; }
    const dhcp::Dhcpv6Client* client() const { return client_.get(); }

private:
    void on_committed(const datamodel::CommittedChanges& changes);
    void follow_enable();
    void start_client();
    void stop_client();
    void on_event(const dhcp::Dhcpv6ClientEvent& event);
    void publish_status();

    datamodel::Model& model_;
    network::NetworkController& network_;
    dhcp::Dhcpv6Transport& transport_;
    dhcp::DhcpClientEnvironment& environment_;
    dhcp::Bytes duid_;
    std::unique_ptr<dhcp::Dhcpv6Client> client_;
    bool started_ = false;
    // Last: the model stops calling this object before its members go.
    datamodel::Observations observations_{model_};
};

}  // namespace agent::dhcp_service
