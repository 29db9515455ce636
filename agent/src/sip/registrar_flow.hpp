// What the registration client needs from the network: a flow to the
// registrar (RFC 5626 sense: the socket or connection REGISTERs leave on and
// responses come back on) and the local address the registrar sees, for the
// Via and the Contact. The endpoint implements it with its listener's UDP
// socket or an outbound TCP/TLS connection; tests use a fake.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "phonecwmp/expected.hpp"
#include "sip/transport_kind.hpp"

namespace agent::sip {

struct RegistrarTarget {
    std::string host;  // name or IP literal, as configured (TLS verifies this name)
    std::uint16_t port = 5060;
    TransportKind transport = TransportKind::Udp;
    bool operator==(const RegistrarTarget&) const = default;
};

// Where the registrar reaches this phone: the sent-by of the Via and the
// host and port of the Contact (the listener's port, so that requests the
// registrar routes to the binding arrive at the UAS).
struct FlowAddress {
    TransportKind transport = TransportKind::Udp;
    boost::asio::ip::address address;
    std::uint16_t port = 0;
};

class RegistrarFlow {
public:
    using Opened = std::function<void(phonecwmp::Expected<FlowAddress, std::string>)>;

    virtual ~RegistrarFlow() = default;
    // Resolves the host and, for TCP/TLS, connects (and verifies the TLS
    // certificate); an open flow to the same target is reused. `done` runs
    // once, on the io_context thread, never inside open(); the error names
    // the host and the reason (DNS, connection refused, certificate ...).
    virtual void open(const RegistrarTarget& target, Opened done) = 0;
    // Sends one request over the open flow; false when it is not open.
    virtual bool send(std::string wire) = 0;
    virtual bool reliable() const = 0;
    // Closes the connection (TCP/TLS); pending open() callbacks never run.
    virtual void close() = 0;
};

}  // namespace agent::sip
