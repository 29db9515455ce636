// The endpoint's RegistrarFlow: resolves the registrar with the endpoint's
// AddressResolver, then sends REGISTERs over UDP from the listener's socket
// (so the Via and Contact name the port the phone listens on; a dedicated
// socket when the listener is not UDP), or over an outbound TCP/TLS
// connection that is reused for the responses and later REGISTERs. A TLS
// certificate that fails verification is an error, never a reason to fall
// back to TCP or UDP.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sip/address_resolver.hpp"
#include "sip/message_origin.hpp"
#include "sip/outbound_connection.hpp"
#include "sip/registrar_flow.hpp"
#include "sip/stream_transport.hpp"
#include "sip/udp_transport.hpp"

namespace agent::sip {

// Connection ids of outbound connections carry this bit, so that responses
// to requests received over them are never sent to a listener connection.
inline constexpr std::uint64_t kOutboundConnectionBit = std::uint64_t{1} << 63;

struct EndpointFlowHooks {
    // The listener's UDP socket, when the listener is UDP (nullptr otherwise).
    std::function<UdpTransport*()> listener_udp;
    // The port the listener is bound to (the Contact port of TCP/TLS flows
    // when the listener speaks the same transport).
    std::function<std::uint16_t()> listener_port;
    std::function<TransportKind()> listener_transport;
    // This phone's address as seen from `peer`.
    std::function<boost::asio::ip::address(const boost::asio::ip::address& peer)> local_address;
    // Every message received on the flow (dedicated UDP socket or connection).
    std::function<void(std::string_view bytes, const MessageOrigin& origin)> on_message;
    // The outbound connection broke after it was established.
    std::function<void(const std::string& reason)> on_connection_lost;
};

class EndpointRegistrarFlow final : public RegistrarFlow {
public:
    EndpointRegistrarFlow(boost::asio::io_context& io, AddressResolver& resolver,
                          StreamTransportSettings settings, EndpointFlowHooks hooks);
    ~EndpointRegistrarFlow() override;
    EndpointRegistrarFlow(const EndpointRegistrarFlow&) = delete;
    EndpointRegistrarFlow& operator=(const EndpointRegistrarFlow&) = delete;

    // The TLS client identity and CA. A change closes the flow (true is
    // returned): the connection was verified with the old ones.
    bool set_tls(std::string ca_file, std::string certificate, std::string key);

    void open(const RegistrarTarget& target, Opened done) override;
    bool send(std::string wire) override;
    bool reliable() const override;
    void close() override;

    // A response to a request that arrived over the outbound connection.
    bool send_on_connection(std::uint64_t connection_id, std::string wire);
    // The bind address of a dedicated UDP socket (the listener's address).
    void set_bind_address(const boost::asio::ip::address& address) { bind_address_ = address; }

private:
    void on_resolved(const RegistrarTarget& target, ResolveOutcome outcome, Opened done);
    void finish(Opened done, phonecwmp::Expected<FlowAddress, std::string> outcome);
    void post(Opened done, phonecwmp::Expected<FlowAddress, std::string> outcome);

    boost::asio::io_context& io_;
    AddressResolver& resolver_;
    StreamTransportSettings settings_;
    EndpointFlowHooks hooks_;
    std::string ca_file_, certificate_, key_;
    boost::asio::ip::address bind_address_ = boost::asio::ip::address_v4::any();

    std::optional<RegistrarTarget> target_;
    boost::asio::ip::address peer_address_;
    std::optional<FlowAddress> local_;
    UdpTransport dedicated_udp_;
    std::unique_ptr<boost::asio::ssl::context> tls_;
    std::shared_ptr<OutboundConnection> connection_;
    std::uint64_t connection_id_ = 0;
    std::uint64_t next_connection_id_ = 1;
    // Callbacks of an abandoned open() (close() was called) check this.
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace agent::sip
