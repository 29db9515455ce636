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
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "datamodel/model.hpp"
#include "dhcp_service/sip_network_hooks.hpp"
#include "sip/sip_endpoint.hpp"
#include "voice/dns_address_resolver.hpp"
#include "voice/proxy_silence_watch.hpp"

namespace agent::voice {

struct SipServiceOptions {
    // The local address the listener binds (the port is UserAgentPort).
    boost::asio::ip::address bind_address = boost::asio::ip::address_v4::any();
    sip::TlsFiles tls;
    sip::UserAgentSettings user_agent;
};

// The model keeps the hooks and observers registered here: the controller
// must live as long as the model is read or changed (main() owns both).
class SipServiceController final : public dhcp_service::SipReregistrationSink {
public:
    SipServiceController(boost::asio::io_context& io, datamodel::Model& model,
                         SipServiceOptions options);
    ~SipServiceController() override;
    SipServiceController(const SipServiceController&) = delete;
    SipServiceController& operator=(const SipServiceController&) = delete;

    // Reads the model and starts the endpoint; errors are logged and shown
    // in SIP.Network.1.Status (the agent keeps running without SIP).
    void start();

    const sip::SipEndpoint& endpoint() const { return endpoint_; }

    // DHCP Timeout on Renewal: from now on, a REGISTER left without any
    // response for Device.DHCPv4.Client.1.X_PHONECWMP_SIPTimeoutRenewal
    // seconds is reported to `dhcp` (which must outlive the controller).
    void watch_registrar_silence(dhcp_service::SipProxyTimeoutSink& dhcp);
    // The phone's address changed: the line registers again from it.
    void network_reinitialised() override;

    // The agent is stopping: un-REGISTERs the line (a registrar must not
    // route calls to a phone that is gone) and calls `done` once, when the
    // registrar has answered or failed, or when `limit` passed, whichever
    // comes first; at once when nothing is registered.
    void shutdown(std::chrono::milliseconds limit, std::function<void()> done);

    // The configuration the data model describes now (public for tests).
    sip::EndpointSettings read_settings() const;

private:
    void reconfigure();
    void publish_status_change(sip::SipEndpoint::Status before);
    std::chrono::seconds sip_timeout_renewal() const;
    void apply_dns_servers();
    void register_hooks();
    std::optional<std::string> network_path() const;
    std::optional<std::string> client_path(const std::string& network) const;
    std::string network_status(const std::string& path) const;
    std::string client_status(const std::string& path) const;
    std::string registration_status() const;
    void publish_client_status();
    void finish_shutdown(bool timed_out);
    sip::RegistrationSettings read_registration(const std::string& network,
                                                const std::string& client) const;

    boost::asio::io_context& io_;
    datamodel::Model& model_;
    SipServiceOptions options_;
    DnsAddressResolver resolver_;
    sip::SipEndpoint endpoint_;
    bool started_ = false;
    std::function<void()> shutdown_done_;
    std::optional<boost::asio::steady_timer> shutdown_timer_;
    // The watch uses these timers; the destructor unhooks it from the
    // endpoint, which is destroyed after it.
    sip::AsioTransactionTimers silence_timers_;
    std::optional<ProxySilenceWatch> silence_watch_;
    // Last: the model stops calling this object before its members go.
    datamodel::Observations observations_{model_};
};

}  // namespace agent::voice
