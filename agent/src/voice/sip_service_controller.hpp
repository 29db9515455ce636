// Keeps the phone's SIP endpoint in step with the data model: reads
// Device.Services.VoiceService.1 (the restricted access domains, the first
// SIP.Network and its first SIP.Client), reconfigures the endpoint after
// every committed change below it (listener rebound, policy switched, no
// reboot), follows the DNS servers of Device.DNS.Client, publishes the live
// Status values, and refuses transports the endpoint cannot speak (SCTP) at
// validation time so that the SPV faults instead of half-applying.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <memory>
#include <optional>
#include <string>

#include "datamodel/model.hpp"
#include "sip/sip_endpoint.hpp"
#include "voice/dns_address_resolver.hpp"

namespace agent::voice {

struct SipServiceOptions {
    // The local address the listener binds (the port is UserAgentPort).
    boost::asio::ip::address bind_address = boost::asio::ip::address_v4::any();
    sip::TlsFiles tls;
    sip::UserAgentSettings user_agent;
};

// The model keeps the hooks and observers registered here: the controller
// must live as long as the model is read or changed (main() owns both).
class SipServiceController {
public:
    SipServiceController(boost::asio::io_context& io, datamodel::Model& model,
                         SipServiceOptions options);
    ~SipServiceController();
    SipServiceController(const SipServiceController&) = delete;
    SipServiceController& operator=(const SipServiceController&) = delete;

    // Reads the model and starts the endpoint; errors are logged and shown
    // in SIP.Network.1.Status (the agent keeps running without SIP).
    void start();

    const sip::SipEndpoint& endpoint() const { return endpoint_; }

    // The configuration the data model describes now (public for tests).
    sip::EndpointSettings read_settings() const;

private:
    void reconfigure();
    void apply_dns_servers();
    void register_hooks();
    std::optional<std::string> network_path() const;
    std::optional<std::string> client_path(const std::string& network) const;
    std::string network_status(const std::string& path) const;
    std::string client_status(const std::string& path) const;

    datamodel::Model& model_;
    SipServiceOptions options_;
    DnsAddressResolver resolver_;
    sip::SipEndpoint endpoint_;
    bool started_ = false;
};

}  // namespace agent::voice
