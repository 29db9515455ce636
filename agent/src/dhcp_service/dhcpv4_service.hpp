// The agent's DHCPv4 client on its one interface (DESIGN.md §2): runs
// while Device.DHCPv4.Client.1.Enable is true (started and stopped live on
// committed changes; stopping releases the lease), hands leases to the
// NetworkController, publishes the lease under DHCPv4.Client.1 (with
// LeaseTimeRemaining and DHCPStatus live), discovers the ACS from options
// 43/125 on every lease, and renews on request: DHCPv4.Client.1.Renew, or
// the SIP proxy being silent for X_PHONECWMP_SIPTimeoutRenewal seconds.
// Lives on the agent's io_context thread, like the model.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "datamodel/model.hpp"
#include "dhcp/acs_discovery.hpp"
#include "dhcp/dhcp_client_environment.hpp"
#include "dhcp/dhcpv4_client.hpp"
#include "dhcp/dhcpv4_transport.hpp"
#include "dhcp_service/sip_network_hooks.hpp"
#include "network/network_controller.hpp"

namespace agent::dhcp_service {

inline constexpr std::string_view kRememberedAddressKey = "dhcp.v4.address";

class Dhcpv4Service final : public SipProxyTimeoutSink {
public:
    // Transport, environment, network controller and model must outlive the
    // service (main() owns them all).
    Dhcpv4Service(datamodel::Model& model, network::NetworkController& network,
                  dhcp::Dhcpv4Transport& transport, dhcp::DhcpClientEnvironment& environment,
                  std::array<std::uint8_t, 6> hardware_address);
    ~Dhcpv4Service() override;
    Dhcpv4Service(const Dhcpv4Service&) = delete;
    Dhcpv4Service& operator=(const Dhcpv4Service&) = delete;

    // Registers the live parameters and the observers, then starts the
    // client when it is enabled.
    void start();

    // Where re-registrations are asked for; nullptr (the default) for none.
    void set_sip_reregistration(SipReregistrationSink* sink) { sip_ = sink; }

    void proxy_unresponsive(std::chrono::seconds silent_for) override;

    bool running() const { return client_ && client_->state() != dhcp::Dhcpv4ClientState::Stopped; }
    const dhcp::Dhcpv4Client* client() const { return client_.get(); }

private:
    void on_committed(const datamodel::CommittedChanges& changes);
    void follow_enable();
    void start_client();
    void stop_client();
    void on_event(const dhcp::Dhcpv4ClientEvent& event);
    void on_bound(const dhcp::Dhcpv4ClientEvent& event);
    void on_lost();
    void publish(const dhcp::Dhcpv4Lease* lease, const dhcp::Dhcpv4Message* reply,
                 std::optional<dhcp::DhcpAcsInformation> discovery);
    void publish_status();
    std::string dhcp_status() const;
    std::uint32_t sip_timeout_seconds() const;

    datamodel::Model& model_;
    network::NetworkController& network_;
    dhcp::Dhcpv4Transport& transport_;
    dhcp::DhcpClientEnvironment& environment_;
    std::array<std::uint8_t, 6> hardware_address_;
    SipReregistrationSink* sip_ = nullptr;
    std::unique_ptr<dhcp::Dhcpv4Client> client_;
    // The option 55 list the running client sent (the ACS preference rule).
    std::vector<std::uint8_t> requested_options_;
    // A lease was lost while running: the next one re-initialises SIP.
    bool lost_since_bound_ = false;
    bool started_ = false;
    // Last: the model stops calling this object before its members go.
    datamodel::Observations observations_{model_};
};

}  // namespace agent::dhcp_service
