// The endpoint's UDP socket: one datagram in is one message handed up with
// its origin; responses leave from the same socket, so the peer sees them
// come from the port it sent to (RFC 3261 §18.2.2, RFC 3581).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "phonecwmp/expected.hpp"
#include "sip/message_origin.hpp"

namespace agent::sip {

class UdpTransport {
public:
    using MessageHandler = std::function<void(std::string_view bytes, const MessageOrigin&)>;

    UdpTransport(boost::asio::io_context& io, MessageHandler on_message);
    ~UdpTransport();
    UdpTransport(const UdpTransport&) = delete;
    UdpTransport& operator=(const UdpTransport&) = delete;

    // Opens the socket on `local` (port 0 = any free port) and starts
    // receiving. The error names the address.
    phonecwmp::Expected<boost::asio::ip::udp::endpoint, std::string> open(
        const boost::asio::ip::udp::endpoint& local);
    void close();
    bool is_open() const;
    boost::asio::ip::udp::endpoint local_endpoint() const;

    // Fire and forget: UDP has no delivery report, and the transaction
    // layer retransmits.
    void send(const boost::asio::ip::udp::endpoint& to, std::string wire);

    std::uint64_t datagrams_received() const { return datagrams_received_; }
    std::uint64_t send_failures() const { return send_failures_; }

private:
    void receive();

    boost::asio::ip::udp::socket socket_;
    MessageHandler on_message_;
    std::vector<char> buffer_;
    boost::asio::ip::udp::endpoint sender_;
    std::uint64_t datagrams_received_ = 0;
    std::uint64_t send_failures_ = 0;
    // Completion handlers that outlive the transport check this first.
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace agent::sip
