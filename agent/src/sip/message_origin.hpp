// Where a received message came from, and therefore where its responses go:
// the transport, the peer's address and port as seen on the socket, and for
// TCP/TLS the connection it arrived on (RFC 3261 §18.2.2: responses to a
// request received over a connection go back over that connection).
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>

#include "sip/transport_kind.hpp"

namespace agent::sip {

struct MessageOrigin {
    TransportKind transport = TransportKind::Udp;
    boost::asio::ip::address address;
    std::uint16_t port = 0;
    // 0 for UDP; otherwise the id the stream transport gave the connection.
    std::uint64_t connection_id = 0;
};

// Where one response is sent: a UDP destination, or a connection id.
struct ResponseDestination {
    TransportKind transport = TransportKind::Udp;
    boost::asio::ip::address address;
    std::uint16_t port = 0;
    std::uint64_t connection_id = 0;
};

}  // namespace agent::sip
