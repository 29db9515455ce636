// The phone's SIP endpoint: one listener on the configured transport and
// port, the UAS behind it, and the inbound access policy (restricted access
// domains, InboundAuth). configure() may be called at any time with a new
// configuration: the listener is rebound only when its address, port,
// transport or TLS files changed; the policy changes at once.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "phonecwmp/expected.hpp"
#include "sip/address_resolver.hpp"
#include "sip/asio_transaction_timers.hpp"
#include "sip/endpoint_counters.hpp"
#include "sip/endpoint_registrar_flow.hpp"
#include "sip/inbound_auth_mode.hpp"
#include "sip/invite_authenticator.hpp"
#include "sip/registration_client.hpp"
#include "sip/resolved_host_set.hpp"
#include "sip/stream_transport.hpp"
#include "sip/transport_kind.hpp"
#include "sip/udp_transport.hpp"
#include "sip/user_agent_server.hpp"

namespace agent::sip {

struct TlsFiles {
    std::filesystem::path certificate;  // the phone's own chain (PEM)
    std::filesystem::path private_key;  // PEM
    std::filesystem::path ca;           // peers' certificates are checked against it; may be empty
    bool operator==(const TlsFiles&) const = default;
};

struct EndpointSettings {
    bool enabled = false;
    boost::asio::ip::address bind_address = boost::asio::ip::address_v4::any();
    std::uint16_t port = 5060;  // 0 = any free port (tests)
    TransportKind transport = TransportKind::Udp;
    TlsFiles tls;
    // Empty = no restriction.
    std::vector<std::string> restricted_domains;
    InboundAuthMode inbound_auth = InboundAuthMode::None;
    std::string realm = "phonecwmp";
    InboundCredentials credentials;
    // The proxy whose addresses InboundAuth=SourceFilter admits.
    std::string proxy_server;
    // The line's registration; only attempted while the listener is up.
    RegistrationSettings registration;
};

class SipEndpoint {
public:
    enum class Status { Disabled, Up, Error };

    SipEndpoint(boost::asio::io_context& io, AddressResolver& resolver,
                UserAgentSettings user_agent = {}, StreamTransportSettings streams = {});
    ~SipEndpoint();
    SipEndpoint(const SipEndpoint&) = delete;
    SipEndpoint& operator=(const SipEndpoint&) = delete;

    // Applies `settings`; the error names what could not be done (the
    // endpoint is then in Error and listens nowhere).
    phonecwmp::Expected<void, std::string> configure(const EndpointSettings& settings);

    // Looks the restricted access domains and the proxy up again (the DNS
    // servers changed).
    void resolve_again();

    Status status() const { return status_; }
    const std::string& last_error() const { return last_error_; }
    // The port the listener is bound to (useful after port 0); 0 when closed.
    std::uint16_t local_port() const;
    // TLS handshakes that failed on the current stream transport (0 without).
    std::uint64_t failed_tls_handshakes() const {
        return stream_ ? stream_->failed_handshakes() : 0;
    }
    TransportKind transport() const { return settings_.transport; }

    // The restricted access domains and the proxy have their first answers.
    bool filters_settled() const;
    const EndpointCounters& counters() const { return user_agent_.counters(); }
    std::size_t dialog_count() const { return user_agent_.dialog_count(); }
    std::size_t connection_count() const;

    const RegistrationClient& registration() const { return registration_; }
    // The agent is stopping: removes the registrar's binding (un-REGISTER)
    // and keeps the line unregistered whatever configure() says from now
    // on. True while the un-REGISTER is under way (the registration
    // listener is called when it ends); false when there was nothing to do.
    bool unregister_for_shutdown();
    // Called on the io_context thread whenever the registration state changes.
    void set_registration_listener(std::function<void()> listener) {
        registration_listener_ = std::move(listener);
    }
    // Called with every REGISTER transaction's progress (the registrar's
    // liveness, for DHCP Timeout on Renewal).
    void set_registration_transaction_observer(RegistrationClient::TransactionObserver observer) {
        registration_.set_transaction_observer(std::move(observer));
    }
    // The phone's address changed under the endpoint (a new DHCP lease): a
    // listener bound to a specific address is bound again, and the line
    // registers afresh from the new address.
    void network_changed();

private:
    void on_message(std::string_view bytes, const MessageOrigin& origin);
    void apply_registration(bool listener_changed);
    Admission admit(const MessageOrigin& origin) const;
    bool send(const ResponseDestination& destination, std::string wire);
    boost::asio::ip::address local_address(const MessageOrigin& origin) const;
    phonecwmp::Expected<void, std::string> rebind();
    void close_listeners();

    boost::asio::io_context& io_;
    EndpointSettings settings_;
    bool bound_ = false;
    bool shutting_down_ = false;
    Status status_ = Status::Disabled;
    std::string last_error_;
    ResolvedHostSet restricted_;
    ResolvedHostSet proxy_;
    UserAgentServer user_agent_;
    StreamTransportSettings stream_settings_;
    std::unique_ptr<boost::asio::ssl::context> tls_;
    UdpTransport udp_;
    std::unique_ptr<StreamTransport> stream_;
    ParseLimits limits_;
    // Destroyed before the flow and timers they use.
    AsioTransactionTimers client_timers_;
    EndpointRegistrarFlow flow_;
    RegistrationClient registration_;
    std::function<void()> registration_listener_;
};

const char* to_string(SipEndpoint::Status status);

}  // namespace agent::sip
