// The two directions between the SIP subsystem and the DHCP client for
// "DHCP Timeout on Renewal" (DESIGN.md §2): SIP reports that the proxy has
// stopped answering, the DHCP side reports that the network was set up anew
// and registrations must be refreshed. Interfaces only, so that neither
// subsystem depends on the other's implementation.
#pragma once

#include <chrono>

namespace agent::dhcp_service {

// Implemented by the DHCPv4 service, called by the SIP subsystem.
class SipProxyTimeoutSink {
public:
    virtual ~SipProxyTimeoutSink() = default;
    // A transaction to the proxy or registrar has had no response for
    // `silent_for` (the time since the proxy last answered anything).
    virtual void proxy_unresponsive(std::chrono::seconds silent_for) = 0;
};

// Implemented by the SIP subsystem, called by the DHCPv4 service.
class SipReregistrationSink {
public:
    virtual ~SipReregistrationSink() = default;
    // The phone's address changed (a different lease, or a NAK and a new
    // lease): every registration must be sent again from the new address.
    virtual void network_reinitialised() = 0;
};

}  // namespace agent::dhcp_service
