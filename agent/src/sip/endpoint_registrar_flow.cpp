#include "sip/endpoint_registrar_flow.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

namespace agent::sip {

EndpointRegistrarFlow::EndpointRegistrarFlow(boost::asio::io_context& io, AddressResolver& resolver,
                                             StreamTransportSettings settings,
                                             EndpointFlowHooks hooks)
    : io_(io),
      resolver_(resolver),
      settings_(std::move(settings)),
      hooks_(std::move(hooks)),
      dedicated_udp_(io, [this](std::string_view bytes, const MessageOrigin& origin) {
          hooks_.on_message(bytes, origin);
      }) {}

EndpointRegistrarFlow::~EndpointRegistrarFlow() {
    close();
}

bool EndpointRegistrarFlow::set_tls(std::string ca_file, std::string certificate, std::string key) {
    if (ca_file == ca_file_ && certificate == certificate_ && key == key_) {
        return false;
    }
    ca_file_ = std::move(ca_file);
    certificate_ = std::move(certificate);
    key_ = std::move(key);
    close();
    return true;
}

void EndpointRegistrarFlow::open(const RegistrarTarget& target, Opened done) {
    const bool same = target_ && *target_ == target && local_;
    if (same &&
        (target.transport == TransportKind::Udp || (connection_ && connection_->is_open()))) {
        post(std::move(done), *local_);
        return;
    }
    close();
    target_ = target;
    std::weak_ptr<char> alive = alive_;
    resolver_.resolve(
        target.host, [this, alive, target, done = std::move(done)](ResolveOutcome outcome) mutable {
            if (alive.expired()) {
                return;
            }
            on_resolved(target, std::move(outcome), std::move(done));
        });
}

void EndpointRegistrarFlow::on_resolved(const RegistrarTarget& target, ResolveOutcome outcome,
                                        Opened done) {
    if (!outcome) {
        finish(std::move(done), phonecwmp::Unexpected(outcome.error()));
        return;
    }
    if (outcome->addresses.empty()) {
        finish(std::move(done),
               phonecwmp::Unexpected(fmt::format("{} has no address", target.host)));
        return;
    }
    // IPv4 first: the listener binds 0.0.0.0 unless told otherwise.
    peer_address_ = outcome->addresses.front();
    for (const auto& address : outcome->addresses) {
        if (address.is_v4()) {
            peer_address_ = address;
            break;
        }
    }
    const auto local_address = hooks_.local_address(peer_address_);
    if (target.transport == TransportKind::Udp) {
        std::uint16_t port = 0;
        if (auto* listener = hooks_.listener_udp(); listener && listener->is_open()) {
            port = listener->local_endpoint().port();
        } else {
            if (!dedicated_udp_.is_open()) {
                auto opened = dedicated_udp_.open({bind_address_, 0});
                if (!opened) {
                    finish(std::move(done), phonecwmp::Unexpected(opened.error()));
                    return;
                }
            }
            port = dedicated_udp_.local_endpoint().port();
        }
        local_ = FlowAddress{TransportKind::Udp, local_address, port};
        finish(std::move(done), *local_);
        return;
    }
    if (target.transport == TransportKind::Tls && !tls_) {
        auto context = make_tls_client_context(ca_file_, certificate_, key_);
        if (!context) {
            finish(std::move(done), phonecwmp::Unexpected(context.error()));
            return;
        }
        tls_ = std::move(*context);
    }
    const auto id = kOutboundConnectionBit | next_connection_id_++;
    const MessageOrigin origin{target.transport, peer_address_, target.port, id};
    std::weak_ptr<char> alive = alive_;
    connection_ =
        make_outbound_connection(io_, target.transport, tls_.get(), target.host, settings_,
                                 OutboundConnectionHooks{
                                     .on_message =
                                         [this, alive, origin](std::string_view bytes) {
                                             if (!alive.expired()) {
                                                 hooks_.on_message(bytes, origin);
                                             }
                                         },
                                     .on_closed =
                                         [this, alive](const std::string& reason) {
                                             if (alive.expired()) {
                                                 return;
                                             }
                                             spdlog::info("SIP registrar {}", reason);
                                             local_.reset();
                                             hooks_.on_connection_lost(reason);
                                         },
                                 });
    connection_id_ = id;
    const auto transport = target.transport;
    connection_->connect(
        {peer_address_, target.port},
        [this, alive, transport, local_address, done = std::move(done)](
            phonecwmp::Expected<boost::asio::ip::tcp::endpoint, std::string> connected) mutable {
            if (alive.expired()) {
                return;
            }
            if (!connected) {
                finish(std::move(done), phonecwmp::Unexpected(connected.error()));
                return;
            }
            // The Contact names where the registrar's requests reach this
            // phone over the registrar's transport. A listener of that
            // transport does (and keeps doing when this connection is gone);
            // with a listener of another transport (UDP listener, TLS
            // registrar) only this connection does, so the Contact names its
            // local port with ;transport=tcp/tls and the registrar reuses the
            // connection (RFC 3261 §18.2.2 / the RFC 5626 flow practice).
            // The Via names the same.
            const auto port = hooks_.listener_transport() == transport ? hooks_.listener_port()
                                                                       : connected->port();
            local_ = FlowAddress{transport, local_address, port};
            finish(std::move(done), *local_);
        });
}

void EndpointRegistrarFlow::finish(Opened done,
                                   phonecwmp::Expected<FlowAddress, std::string> outcome) {
    if (!outcome) {
        local_.reset();
    }
    done(std::move(outcome));
}

void EndpointRegistrarFlow::post(Opened done,
                                 phonecwmp::Expected<FlowAddress, std::string> outcome) {
    std::weak_ptr<char> alive = alive_;
    boost::asio::post(io_, [alive, done = std::move(done), outcome = std::move(outcome)]() mutable {
        if (!alive.expired()) {
            done(std::move(outcome));
        }
    });
}

bool EndpointRegistrarFlow::send(std::string wire) {
    if (!target_ || !local_) {
        return false;
    }
    if (target_->transport == TransportKind::Udp) {
        const boost::asio::ip::udp::endpoint to(peer_address_, target_->port);
        if (auto* listener = hooks_.listener_udp(); listener && listener->is_open()) {
            listener->send(to, std::move(wire));
            return true;
        }
        if (!dedicated_udp_.is_open()) {
            return false;
        }
        dedicated_udp_.send(to, std::move(wire));
        return true;
    }
    return connection_ && connection_->send(std::move(wire));
}

bool EndpointRegistrarFlow::reliable() const {
    return target_ && target_->transport != TransportKind::Udp;
}

void EndpointRegistrarFlow::close() {
    alive_ = std::make_shared<char>();
    if (connection_) {
        connection_->close();
        connection_.reset();
    }
    connection_id_ = 0;
    dedicated_udp_.close();
    tls_.reset();
    target_.reset();
    local_.reset();
}

bool EndpointRegistrarFlow::send_on_connection(std::uint64_t connection_id, std::string wire) {
    return connection_ && connection_id == connection_id_ && connection_->send(std::move(wire));
}

}  // namespace agent::sip
