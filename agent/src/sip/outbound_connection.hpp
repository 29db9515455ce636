// A TCP or TLS connection the phone opens itself (to its registrar): connect
// and, for TLS, verify the server's certificate against the configured CA
// and the host name it was reached by, within a time limit; then frame the
// incoming byte stream into messages and write requests in order. The
// message bounds and the output queue limit are those of the listener's
// connections (StreamTransportSettings).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"
#include "sip/stream_transport.hpp"
#include "sip/transport_kind.hpp"

namespace agent::sip {

struct OutboundConnectionHooks {
    // One complete message cut out of the stream.
    std::function<void(std::string_view bytes)> on_message;
    // The connection closed after it was established (peer closed, read or
    // write error, framing error); not called after close().
    std::function<void(const std::string& reason)> on_closed;
};

class OutboundConnection {
public:
    using Connected =
        std::function<void(phonecwmp::Expected<boost::asio::ip::tcp::endpoint, std::string>)>;

    virtual ~OutboundConnection() = default;
    // Connects to `peer` (TLS: handshakes and verifies `verify_host`, a name
    // or an IP literal). `done` gets the local endpoint, or the reason naming
    // the failure (a certificate problem says which); it runs once, never
    // after close().
    virtual void connect(const boost::asio::ip::tcp::endpoint& peer, Connected done) = 0;
    // False when not connected or the peer does not read.
    virtual bool send(std::string wire) = 0;
    virtual void close() = 0;
    virtual bool is_open() const = 0;
};

// `tls` (client context with the CA and the phone's own certificate) must
// outlive the connection; it is null for TCP.
std::shared_ptr<OutboundConnection> make_outbound_connection(
    boost::asio::io_context& io, TransportKind kind, boost::asio::ssl::context* tls,
    std::string verify_host, StreamTransportSettings settings, OutboundConnectionHooks hooks);

// The client context for SIP over TLS: peers are verified against `ca_file`
// (the system's store when empty); `certificate`/`key` are presented when
// both are given. The error names the file.
phonecwmp::Expected<std::unique_ptr<boost::asio::ssl::context>, std::string>
make_tls_client_context(const std::string& ca_file, const std::string& certificate,
                        const std::string& key);

}  // namespace agent::sip
