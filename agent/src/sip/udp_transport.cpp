#include "sip/udp_transport.hpp"

#include <fmt/format.h>

#include <boost/asio/buffer.hpp>

namespace agent::sip {
namespace {
// The largest UDP payload; anything longer cannot arrive.
constexpr std::size_t kMaxDatagram = 65535;
}  // namespace

UdpTransport::UdpTransport(boost::asio::io_context& io, MessageHandler on_message)
    : socket_(io), on_message_(std::move(on_message)), buffer_(kMaxDatagram) {}

UdpTransport::~UdpTransport() {
    close();
}

phonecwmp::Expected<boost::asio::ip::udp::endpoint, std::string> UdpTransport::open(
    const boost::asio::ip::udp::endpoint& local) {
    close();
    boost::system::error_code ec;
    socket_.open(local.protocol(), ec);
    if (!ec) {
        socket_.set_option(boost::asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        socket_.bind(local, ec);
    }
    if (ec) {
        boost::system::error_code ignored;
        socket_.close(ignored);
        return phonecwmp::Unexpected(fmt::format("cannot listen for SIP on UDP {}:{}: {}",
                                                 local.address().to_string(), local.port(),
                                                 ec.message()));
    }
    alive_ = std::make_shared<char>();
    receive();
    return socket_.local_endpoint();
}

void UdpTransport::close() {
    // Pending handlers see a new generation and stay quiet.
    alive_ = std::make_shared<char>();
    boost::system::error_code ignored;
    socket_.close(ignored);
}

bool UdpTransport::is_open() const {
    return socket_.is_open();
}

boost::asio::ip::udp::endpoint UdpTransport::local_endpoint() const {
    boost::system::error_code ec;
    auto endpoint = socket_.local_endpoint(ec);
    return ec ? boost::asio::ip::udp::endpoint{} : endpoint;
}

void UdpTransport::receive() {
    socket_.async_receive_from(
        boost::asio::buffer(buffer_), sender_,
        [this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec,
                                                    std::size_t size) {
            if (alive.expired()) {
                return;
            }
            if (ec == boost::asio::error::operation_aborted || !socket_.is_open()) {
                return;
            }
            if (!ec) {
                ++datagrams_received_;
                MessageOrigin origin;
                origin.transport = TransportKind::Udp;
                origin.address = sender_.address();
                origin.port = sender_.port();
                on_message_(std::string_view(buffer_.data(), size), origin);
            }
            // ICMP errors of earlier sends surface here on Linux
            // (connection_refused); they are no reason to stop listening.
            if (!alive.expired() && socket_.is_open()) {
                receive();
            }
        });
}

void UdpTransport::send(const boost::asio::ip::udp::endpoint& to, std::string wire) {
    if (!socket_.is_open()) {
        ++send_failures_;
        return;
    }
    auto message = std::make_shared<std::string>(std::move(wire));
    socket_.async_send_to(boost::asio::buffer(*message), to,
                          [this, message, alive = std::weak_ptr<char>(alive_)](
                              const boost::system::error_code& ec, std::size_t) {
                              if (ec && !alive.expired()) {
                                  ++send_failures_;
                              }
                          });
}

}  // namespace agent::sip
