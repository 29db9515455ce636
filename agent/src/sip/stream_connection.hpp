// One accepted TCP or TLS connection of the SIP endpoint: reads, frames,
// hands messages to its StreamTransport, writes responses in order, and
// closes itself on error, on an idle timeout or when the peer stops reading.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <string>

namespace agent::sip {

class StreamTransport;

class StreamConnection {
public:
    virtual ~StreamConnection() = default;
    // Starts the TLS handshake (TLS) and the read loop.
    virtual void start() = 0;
    // Queues bytes for the peer; false when the connection is closing.
    virtual bool send(std::string wire) = 0;
    // Closes without telling the transport (the transport is closing it).
    virtual void close() = 0;
};

// The transport must outlive the connection's last handler; it does, because
// it closes every connection in its destructor and the handlers hold only
// weak references back.
std::shared_ptr<StreamConnection> make_tcp_connection(boost::asio::ip::tcp::socket socket,
                                                      StreamTransport& transport, std::uint64_t id);
std::shared_ptr<StreamConnection> make_tls_connection(boost::asio::ip::tcp::socket socket,
                                                      boost::asio::ssl::context& tls,
                                                      StreamTransport& transport, std::uint64_t id);

}  // namespace agent::sip
