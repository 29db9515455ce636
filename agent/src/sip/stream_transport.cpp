#include "sip/stream_transport.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>

#include "sip/stream_connection.hpp"

namespace agent::sip {

StreamTransport::StreamTransport(boost::asio::io_context& io, TransportKind kind,
                                 boost::asio::ssl::context* tls, StreamTransportSettings settings,
                                 MessageHandler on_message)
    : io_(io),
      kind_(kind),
      tls_(tls),
      settings_(std::move(settings)),
      on_message_(std::move(on_message)),
      acceptor_(io) {}

StreamTransport::~StreamTransport() {
    close();
}

phonecwmp::Expected<boost::asio::ip::tcp::endpoint, std::string> StreamTransport::open(
    const boost::asio::ip::tcp::endpoint& local) {
    close();
    if (kind_ == TransportKind::Tls && tls_ == nullptr) {
        return phonecwmp::Unexpected(std::string(
            "cannot listen for SIP over TLS: no certificate and key configured (--sip-cert, "
            "--sip-key)"));
    }
    boost::system::error_code ec;
    acceptor_.open(local.protocol(), ec);
    if (!ec) {
        acceptor_.set_option(boost::asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor_.bind(local, ec);
    }
    if (!ec) {
        acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        return phonecwmp::Unexpected(fmt::format("cannot listen for SIP on {} {}:{}: {}",
                                                 transport_name(kind_), local.address().to_string(),
                                                 local.port(), ec.message()));
    }
    alive_ = std::make_shared<char>();
    accept();
    return acceptor_.local_endpoint();
}

void StreamTransport::close() {
    alive_ = std::make_shared<char>();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    auto connections = std::move(connections_);
    connections_.clear();
    for (auto& [id, connection] : connections) {
        connection->close();
    }
}

boost::asio::ip::tcp::endpoint StreamTransport::local_endpoint() const {
    boost::system::error_code ec;
    auto endpoint = acceptor_.local_endpoint(ec);
    return ec ? boost::asio::ip::tcp::endpoint{} : endpoint;
}

void StreamTransport::accept() {
    acceptor_.async_accept([this, alive = std::weak_ptr<char>(alive_)](
                               const boost::system::error_code& ec,
                               boost::asio::ip::tcp::socket socket) {
        if (alive.expired() || !acceptor_.is_open()) {
            return;
        }
        if (!ec) {
            if (connections_.size() >= settings_.max_connections) {
                // Refusing the newcomer keeps established peers (the proxy)
                // served; it may retry once a connection closes.
                ++refused_connections_;
                boost::system::error_code ignored;
                socket.close(ignored);
            } else {
                const auto id = next_connection_id_++;
                auto connection = kind_ == TransportKind::Tls
                                      ? make_tls_connection(std::move(socket), *tls_, *this, id)
                                      : make_tcp_connection(std::move(socket), *this, id);
                connections_.emplace(id, connection);
                connection->start();
            }
        } else {
            // Out of descriptors and the like: pause instead of spinning.
            spdlog::warn("SIP {} accept failed: {}", transport_name(kind_), ec.message());
            auto pause =
                std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(100));
            pause->async_wait([this, pause, alive](const boost::system::error_code&) {
                if (!alive.expired() && acceptor_.is_open()) {
                    accept();
                }
            });
            return;
        }
        accept();
    });
}

bool StreamTransport::send(std::uint64_t connection_id, std::string wire) {
    const auto found = connections_.find(connection_id);
    if (found == connections_.end()) {
        return false;
    }
    // Hold a reference: a failing send removes the connection from the map.
    auto connection = found->second;
    return connection->send(std::move(wire));
}

void StreamTransport::deliver(std::string_view bytes, const MessageOrigin& origin) {
    on_message_(bytes, origin);
}

void StreamTransport::report_failed_handshake(const boost::asio::ip::address& peer,
                                              const std::string& reason) {
    const auto suppressed = handshake_failure_reports_.admit();
    if (!suppressed) {
        return;
    }
    if (*suppressed > 0) {
        spdlog::info("SIP TLS handshake with {} failed: {} ({} more failed since the last report)",
                     peer.to_string(), reason, *suppressed);
    } else {
        spdlog::info("SIP TLS handshake with {} failed: {}", peer.to_string(), reason);
    }
}

void StreamTransport::connection_closed(std::uint64_t id) {
    connections_.erase(id);
}

}  // namespace agent::sip
