#include "sip/sip_endpoint.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ip/udp.hpp>

#include "sip/message_parser.hpp"

namespace agent::sip {
namespace {

phonecwmp::Expected<std::unique_ptr<boost::asio::ssl::context>, std::string> make_tls_context(
    const TlsFiles& files) {
    if (files.certificate.empty() || files.private_key.empty()) {
        return phonecwmp::Unexpected(std::string(
            "SIP over TLS needs the phone's certificate and key (--sip-cert, --sip-key)"));
    }
    auto context =
        std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    boost::system::error_code ec;
    context->set_options(
        boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
            boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
            boost::asio::ssl::context::no_tlsv1_1,
        ec);
    if (!ec) {
        context->use_certificate_chain_file(files.certificate.string(), ec);
        if (ec) {
            return phonecwmp::Unexpected(fmt::format("SIP TLS certificate {}: {}",
                                                     files.certificate.string(), ec.message()));
        }
    }
    context->use_private_key_file(files.private_key.string(), boost::asio::ssl::context::pem, ec);
    if (ec) {
        return phonecwmp::Unexpected(
            fmt::format("SIP TLS key {}: {}", files.private_key.string(), ec.message()));
    }
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
        return phonecwmp::Unexpected(fmt::format("SIP TLS key {} does not match certificate {}",
                                                 files.private_key.string(),
                                                 files.certificate.string()));
    }
    if (!files.ca.empty()) {
        context->load_verify_file(files.ca.string(), ec);
        if (ec) {
            return phonecwmp::Unexpected(
                fmt::format("SIP TLS CA file {}: {}", files.ca.string(), ec.message()));
        }
        // A peer that presents a certificate must present a valid one; peers
        // without one (most callers) are admitted by the SIP-level policy.
        context->set_verify_mode(boost::asio::ssl::verify_peer, ec);
    }
    return context;
}

}  // namespace

const char* to_string(SipEndpoint::Status status) {
    switch (status) {
        case SipEndpoint::Status::Disabled:
            return "Disabled";
        case SipEndpoint::Status::Up:
            return "Up";
        case SipEndpoint::Status::Error:
            return "Error";
    }
    return "Error";
}

SipEndpoint::SipEndpoint(boost::asio::io_context& io, AddressResolver& resolver,
                         UserAgentSettings user_agent, StreamTransportSettings streams)
    : io_(io),
      restricted_(io, resolver, "SIP restricted access domains"),
      proxy_(io, resolver, "SIP InboundAuth SourceFilter proxy"),
      user_agent_(
          io, std::move(user_agent),
          UserAgentHooks{
              .send = [this](const ResponseDestination& destination,
                             std::string wire) { return send(destination, std::move(wire)); },
              .admit = [this](const MessageOrigin& origin) { return admit(origin); },
              .local_address =
                  [this](const MessageOrigin& origin) { return local_address(origin); },
              .local_port = [this](TransportKind) { return local_port(); },
          }),
      stream_settings_(std::move(streams)),
      udp_(io, [this](std::string_view bytes,
                      const MessageOrigin& origin) { on_message(bytes, origin); }),
      limits_(stream_settings_.limits),
      client_timers_(io),
      flow_(io, resolver, stream_settings_,
            EndpointFlowHooks{
                .listener_udp = [this]() -> UdpTransport* { return &udp_; },
                .listener_port = [this] { return local_port(); },
                .listener_transport = [this] { return settings_.transport; },
                .local_address =
                    [this](const boost::asio::ip::address& peer) {
                        return local_address(MessageOrigin{.address = peer});
                    },
                .on_message = [this](std::string_view bytes,
                                     const MessageOrigin& origin) { on_message(bytes, origin); },
                .on_connection_lost =
                    [this](const std::string& reason) { registration_.on_flow_failure(reason); },
            }),
      registration_(
          client_timers_, flow_,
          RegistrationClientOptions{.timers = {}, .user_agent = user_agent_.settings().user_agent},
          [this] {
              if (registration_listener_) {
                  registration_listener_();
              }
          }) {}

SipEndpoint::~SipEndpoint() {
    close_listeners();
}

phonecwmp::Expected<void, std::string> SipEndpoint::configure(const EndpointSettings& settings) {
    // After an error (e.g. the port was taken) every configure() tries again.
    const bool listener_changed =
        !bound_ || status_ == Status::Error || settings.enabled != settings_.enabled ||
        settings.bind_address != settings_.bind_address || settings.port != settings_.port ||
        settings.transport != settings_.transport ||
        (settings.transport == TransportKind::Tls && settings.tls != settings_.tls);
    const bool domains_changed = settings.restricted_domains != settings_.restricted_domains;
    const bool proxy_changed = settings.proxy_server != settings_.proxy_server;
    const bool first = !bound_;
    settings_ = settings;
    bound_ = true;

    if (first || domains_changed) {
        restricted_.set_hosts(settings_.restricted_domains);
    }
    if (first || proxy_changed) {
        std::vector<std::string> proxy;
        if (!settings_.proxy_server.empty()) {
            proxy.push_back(settings_.proxy_server);
        }
        proxy_.set_hosts(proxy);
    }
    if (settings_.inbound_auth == InboundAuthMode::SourceFilter && settings_.proxy_server.empty()) {
        spdlog::warn(
            "SIP InboundAuth is SourceFilter but no ProxyServer is set: every "
            "out-of-dialog request is dropped");
    }
    user_agent_.set_inbound_auth(settings_.inbound_auth, settings_.realm, settings_.credentials);
    if (!listener_changed) {
        apply_registration(false);
        return {};
    }
    auto rebound = rebind();
    apply_registration(true);
    return rebound;
}

void SipEndpoint::apply_registration(bool listener_changed) {
    if (flow_.set_tls(settings_.tls.ca.string(), settings_.tls.certificate.string(),
                      settings_.tls.private_key.string())) {
        listener_changed = true;  // the flow was closed under the client
    }
    flow_.set_bind_address(settings_.bind_address);
    auto registration = settings_.registration;
    registration.enabled = registration.enabled && status_ == Status::Up && !shutting_down_;
    if (listener_changed) {
        // The flow named the old socket: start over on the new one.
        flow_.close();
        registration_.restart();
    }
    registration_.configure(registration);
}

void SipEndpoint::network_changed() {
    if (!bound_ || !settings_.enabled || shutting_down_) {
        return;
    }
    if (!settings_.bind_address.is_unspecified() || status_ == Status::Error) {
        // Errors are logged by rebind() and shown in status().
        (void)rebind();
    }
    apply_registration(true);
}

bool SipEndpoint::unregister_for_shutdown() {
    shutting_down_ = true;
    auto registration = settings_.registration;
    registration.enabled = false;
    registration_.configure(registration);
    return registration_.state() == RegistrationClient::State::Deregistering;
}

void SipEndpoint::on_message(std::string_view bytes, const MessageOrigin& origin) {
    // A status line starts with "SIP/", which no request method can (a
    // method is a token, and '/' is not a token character).
    auto start = bytes.find_first_not_of("\r\n");
    if (start == std::string_view::npos || bytes.substr(start, 4) != "SIP/") {
        user_agent_.on_message(bytes, origin);
        return;
    }
    const auto framing =
        origin.transport == TransportKind::Udp ? Framing::Datagram : Framing::Stream;
    auto response = parse_sip_message(bytes, limits_, framing);
    if (!response || response->is_request()) {
        // The UAS counts and logs what does not parse.
        user_agent_.on_message(bytes, origin);
        return;
    }
    if (!registration_.on_response(*response)) {
        // Late retransmissions and strays: the UAS counts them as ignored.
        user_agent_.on_message(bytes, origin);
    }
}

void SipEndpoint::resolve_again() {
    restricted_.set_hosts(std::vector<std::string>(restricted_.hosts()));
    proxy_.set_hosts(std::vector<std::string>(proxy_.hosts()));
}

phonecwmp::Expected<void, std::string> SipEndpoint::rebind() {
    close_listeners();
    user_agent_.reset();
    last_error_.clear();
    if (!settings_.enabled) {
        status_ = Status::Disabled;
        spdlog::info("SIP endpoint disabled");
        return {};
    }
    auto fail = [this](std::string message) -> phonecwmp::Expected<void, std::string> {
        close_listeners();
        status_ = Status::Error;
        last_error_ = message;
        spdlog::error("{}", message);
        return phonecwmp::Unexpected(std::move(message));
    };
    std::uint16_t bound_port = 0;
    if (settings_.transport == TransportKind::Udp) {
        auto opened = udp_.open({settings_.bind_address, settings_.port});
        if (!opened) {
            return fail(opened.error());
        }
        bound_port = opened->port();
    } else {
        boost::asio::ssl::context* tls = nullptr;
        if (settings_.transport == TransportKind::Tls) {
            auto context = make_tls_context(settings_.tls);
            if (!context) {
                return fail(context.error());
            }
            tls_ = std::move(*context);
            tls = tls_.get();
        }
        stream_ = std::make_unique<StreamTransport>(
            io_, settings_.transport, tls, stream_settings_,
            [this](std::string_view bytes, const MessageOrigin& origin) {
                on_message(bytes, origin);
            });
        auto opened = stream_->open({settings_.bind_address, settings_.port});
        if (!opened) {
            return fail(opened.error());
        }
        bound_port = opened->port();
    }
    status_ = Status::Up;
    spdlog::info("SIP endpoint listening on {} {}:{}", transport_name(settings_.transport),
                 settings_.bind_address.to_string(), bound_port);
    return {};
}

void SipEndpoint::close_listeners() {
    udp_.close();
    stream_.reset();
    tls_.reset();
}

std::uint16_t SipEndpoint::local_port() const {
    if (udp_.is_open()) {
        return udp_.local_endpoint().port();
    }
    if (stream_ && stream_->is_open()) {
        return stream_->local_endpoint().port();
    }
    return 0;
}

bool SipEndpoint::filters_settled() const {
    return restricted_.settled() && proxy_.settled();
}

std::size_t SipEndpoint::connection_count() const {
    return stream_ ? stream_->connection_count() : 0;
}

Admission SipEndpoint::admit(const MessageOrigin& origin) const {
    if (!settings_.restricted_domains.empty() && !restricted_.contains(origin.address)) {
        return Admission::RestrictedDomain;
    }
    if (settings_.inbound_auth == InboundAuthMode::SourceFilter &&
        !proxy_.contains(origin.address)) {
        return Admission::SourceFilter;
    }
    return Admission::Accept;
}

bool SipEndpoint::send(const ResponseDestination& destination, std::string wire) {
    if (destination.transport == TransportKind::Udp) {
        if (!udp_.is_open()) {
            return false;
        }
        udp_.send({destination.address, destination.port}, std::move(wire));
        return true;
    }
    if ((destination.connection_id & kOutboundConnectionBit) != 0) {
        return flow_.send_on_connection(destination.connection_id, std::move(wire));
    }
    return stream_ && stream_->send(destination.connection_id, std::move(wire));
}

boost::asio::ip::address SipEndpoint::local_address(const MessageOrigin& origin) const {
    if (!settings_.bind_address.is_unspecified()) {
        return settings_.bind_address;
    }
    // The address the kernel would send from towards the peer: connecting a
    // UDP socket only consults the routing table, nothing is sent.
    boost::system::error_code ec;
    boost::asio::ip::udp::socket probe(io_);
    const boost::asio::ip::udp::endpoint peer(origin.address,
                                              origin.port == 0 ? 5060 : origin.port);
    probe.open(peer.protocol(), ec);
    if (!ec) {
        probe.connect(peer, ec);
    }
    if (!ec) {
        auto local = probe.local_endpoint(ec);
        if (!ec) {
            return local.address();
        }
    }
    return origin.address.is_v6()
               ? boost::asio::ip::address(boost::asio::ip::address_v6::loopback())
               : boost::asio::ip::address(boost::asio::ip::address_v4::loopback());
}

}  // namespace agent::sip
