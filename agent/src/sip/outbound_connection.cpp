#include "sip/outbound_connection.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <vector>

#include "sip/stream_framer.hpp"

namespace agent::sip {
namespace {

using boost::asio::ip::tcp;
using TlsStream = boost::asio::ssl::stream<tcp::socket>;

tcp::socket& socket_of(tcp::socket& socket) {
    return socket;
}
tcp::socket& socket_of(TlsStream& stream) {
    return stream.next_layer();
}

template <class Stream>
class BasicOutboundConnection final
    : public OutboundConnection,
      public std::enable_shared_from_this<BasicOutboundConnection<Stream>> {
public:
    template <class... StreamArgs>
    BasicOutboundConnection(std::string verify_host, StreamTransportSettings settings,
                            OutboundConnectionHooks hooks, StreamArgs&&... args)
        : stream_(std::forward<StreamArgs>(args)...),
          verify_host_(std::move(verify_host)),
          settings_(std::move(settings)),
          hooks_(std::move(hooks)),
          framer_(settings_.limits),
          timer_(socket_of(stream_).get_executor()),
          buffer_(settings_.limits.max_message_bytes) {}

    void connect(const tcp::endpoint& peer, Connected done) override {
        done_ = std::move(done);
        peer_ = peer;
        timer_.expires_after(settings_.handshake_timeout);
        timer_.async_wait([weak = this->weak_from_this()](const boost::system::error_code& ec) {
            auto self = weak.lock();
            if (!self || ec || self->closed_ || self->connected_) {
                return;
            }
            self->finish_connect(phonecwmp::Unexpected(fmt::format(
                "no connection within {} ms", self->settings_.handshake_timeout.count())));
        });
        socket_of(stream_).async_connect(
            peer, [self = this->shared_from_this()](const boost::system::error_code& ec) {
                if (self->closed_) {
                    return;
                }
                if (ec) {
                    self->finish_connect(phonecwmp::Unexpected(
                        fmt::format("connect to {}: {}", self->peer_text(), ec.message())));
                    return;
                }
                self->handshake();
            });
    }

    bool send(std::string wire) override {
        if (closed_ || !connected_) {
            return false;
        }
        if (queued_bytes_ + wire.size() > settings_.max_queued_bytes) {
            shut_down("the peer does not read");
            return false;
        }
        queued_bytes_ += wire.size();
        output_.push_back(std::move(wire));
        if (output_.size() == 1) {
            write_next();
        }
        return true;
    }

    void close() override {
        closed_ = true;
        timer_.cancel();
        boost::system::error_code ignored;
        socket_of(stream_).close(ignored);
    }

    bool is_open() const override { return connected_ && !closed_; }

private:
    std::string peer_text() const {
        return fmt::format("{}:{}", peer_.address().to_string(), peer_.port());
    }

    void handshake() {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            SSL* ssl = stream_.native_handle();
            boost::system::error_code ec;
            (void)boost::asio::ip::make_address(verify_host_, ec);
            // The certificate must name the host as configured (RFC 5922):
            // a DNS name through SSL_set1_host, an IP literal as an iPAddress.
            const bool named =
                !ec ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), verify_host_.c_str()) == 1
                    : SSL_set1_host(ssl, verify_host_.c_str()) == 1 &&
                          // SSL_set_tlsext_host_name without its C cast.
                          SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                                   const_cast<char*>(verify_host_.c_str())) == 1;
            if (!named) {
                finish_connect(phonecwmp::Unexpected(
                    fmt::format("TLS: cannot verify against host name {}", verify_host_)));
                return;
            }
            stream_.set_verify_mode(boost::asio::ssl::verify_peer);
            stream_.async_handshake(
                boost::asio::ssl::stream_base::client,
                [self = this->shared_from_this()](const boost::system::error_code& error) {
                    if (self->closed_) {
                        return;
                    }
                    if (error) {
                        const long verify = SSL_get_verify_result(self->stream_.native_handle());
                        self->finish_connect(phonecwmp::Unexpected(
                            verify != X509_V_OK
                                ? fmt::format("TLS certificate of {} ({}) refused: {}",
                                              self->verify_host_, self->peer_text(),
                                              X509_verify_cert_error_string(verify))
                                : fmt::format("TLS handshake with {} ({}) failed: {}",
                                              self->verify_host_, self->peer_text(),
                                              error.message())));
                        return;
                    }
                    self->established();
                });
        } else {
            established();
        }
    }

    void established() {
        connected_ = true;
        timer_.cancel();
        boost::system::error_code ec;
        const auto local = socket_of(stream_).local_endpoint(ec);
        read();
        finish_connect(local);
    }

    void finish_connect(phonecwmp::Expected<tcp::endpoint, std::string> outcome) {
        if (!outcome) {
            close();
        }
        auto done = std::move(done_);
        done_ = nullptr;
        if (done) {
            done(std::move(outcome));
        }
    }

    void read() {
        stream_.async_read_some(boost::asio::buffer(buffer_),
                                [self = this->shared_from_this()](
                                    const boost::system::error_code& ec, std::size_t size) {
                                    if (self->closed_) {
                                        return;
                                    }
                                    if (ec) {
                                        self->shut_down(ec == boost::asio::error::eof
                                                            ? "closed by the peer"
                                                            : ec.message());
                                        return;
                                    }
                                    self->on_bytes(std::string_view(self->buffer_.data(), size));
                                });
    }

    void on_bytes(std::string_view bytes) {
        const auto pings_before = framer_.keepalive_pings();
        if (auto appended = framer_.append(bytes); !appended) {
            shut_down("framing: " + appended.error().message);
            return;
        }
        for (;;) {
            auto message = framer_.next_message();
            if (!message) {
                shut_down("framing: " + message.error().message);
                return;
            }
            if (!*message) {
                break;
            }
            hooks_.on_message(**message);
            if (closed_) {
                return;
            }
        }
        for (auto pings = framer_.keepalive_pings(); pings > pings_before; --pings) {
            send("\r\n");  // RFC 5626 §3.5.1 pong
        }
        if (!closed_) {
            read();
        }
    }

    void write_next() {
        boost::asio::async_write(
            stream_, boost::asio::buffer(output_.front()),
            [self = this->shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                if (self->closed_) {
                    return;
                }
                if (ec) {
                    self->shut_down(ec.message());
                    return;
                }
                self->queued_bytes_ -= self->output_.front().size();
                self->output_.pop_front();
                if (!self->output_.empty()) {
                    self->write_next();
                }
            });
    }

    void shut_down(const std::string& reason) {
        if (closed_) {
            return;
        }
        close();
        if (hooks_.on_closed) {
            hooks_.on_closed(fmt::format("connection to {} lost: {}", peer_text(), reason));
        }
    }

    Stream stream_;
    std::string verify_host_;
    StreamTransportSettings settings_;
    OutboundConnectionHooks hooks_;
    StreamFramer framer_;
    boost::asio::steady_timer timer_;
    std::vector<char> buffer_;
    std::deque<std::string> output_;
    std::size_t queued_bytes_ = 0;
    tcp::endpoint peer_;
    Connected done_;
    bool connected_ = false;
    bool closed_ = false;
};

}  // namespace

std::shared_ptr<OutboundConnection> make_outbound_connection(
    boost::asio::io_context& io, TransportKind kind, boost::asio::ssl::context* tls,
    std::string verify_host, StreamTransportSettings settings, OutboundConnectionHooks hooks) {
    if (kind == TransportKind::Tls && tls != nullptr) {
        return std::make_shared<BasicOutboundConnection<TlsStream>>(
            std::move(verify_host), std::move(settings), std::move(hooks), io, *tls);
    }
    return std::make_shared<BasicOutboundConnection<tcp::socket>>(
        std::move(verify_host), std::move(settings), std::move(hooks), io);
}

phonecwmp::Expected<std::unique_ptr<boost::asio::ssl::context>, std::string>
make_tls_client_context(const std::string& ca_file, const std::string& certificate,
                        const std::string& key) {
    auto context =
        std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
    boost::system::error_code ec;
    context->set_options(
        boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
            boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
            boost::asio::ssl::context::no_tlsv1_1,
        ec);
    if (ca_file.empty()) {
        context->set_default_verify_paths(ec);
        if (ec) {
            return phonecwmp::Unexpected(
                fmt::format("SIP TLS: the system CA store cannot be loaded: {}", ec.message()));
        }
    } else {
        context->load_verify_file(ca_file, ec);
        if (ec) {
            return phonecwmp::Unexpected(
                fmt::format("SIP TLS CA file {}: {}", ca_file, ec.message()));
        }
    }
    if (!certificate.empty() && !key.empty()) {
        context->use_certificate_chain_file(certificate, ec);
        if (ec) {
            return phonecwmp::Unexpected(
                fmt::format("SIP TLS certificate {}: {}", certificate, ec.message()));
        }
        context->use_private_key_file(key, boost::asio::ssl::context::pem, ec);
        if (ec) {
            return phonecwmp::Unexpected(fmt::format("SIP TLS key {}: {}", key, ec.message()));
        }
    }
    context->set_verify_mode(boost::asio::ssl::verify_peer);
    return context;
}

}  // namespace agent::sip
