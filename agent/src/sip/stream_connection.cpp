#include "sip/stream_connection.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <vector>

#include "sip/stream_framer.hpp"
#include "sip/stream_transport.hpp"

namespace agent::sip {
namespace {

using boost::asio::ip::tcp;
using TlsStream = boost::asio::ssl::stream<tcp::socket>;

tcp::socket& lowest_layer_socket(tcp::socket& socket) {
    return socket;
}
tcp::socket& lowest_layer_socket(TlsStream& stream) {
    return stream.next_layer();
}

template <class Stream>
class BasicStreamConnection final
    : public StreamConnection,
      public std::enable_shared_from_this<BasicStreamConnection<Stream>> {
public:
    template <class... StreamArgs>
    BasicStreamConnection(StreamTransport& transport, std::uint64_t id, StreamArgs&&... args)
        : stream_(std::forward<StreamArgs>(args)...),
          transport_(transport),
          id_(id),
          framer_(transport.settings().limits),
          timer_(lowest_layer_socket(stream_).get_executor()),
          buffer_(transport.settings().limits.max_message_bytes) {
        boost::system::error_code ec;
        const auto peer = lowest_layer_socket(stream_).remote_endpoint(ec);
        origin_.transport = transport.kind();
        origin_.connection_id = id;
        if (!ec) {
            origin_.address = peer.address();
            origin_.port = peer.port();
        }
    }

    void start() override {
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            arm_timer(transport_.settings().handshake_timeout);
            stream_.async_handshake(
                boost::asio::ssl::stream_base::server,
                [self = this->shared_from_this()](const boost::system::error_code& ec) {
                    if (self->closed_) {
                        return;
                    }
                    if (ec) {
                        self->transport_.report_failed_handshake(self->origin_.address,
                                                                 ec.message());
                        self->shut_down();
                        return;
                    }
                    self->arm_timer(self->transport_.settings().handshake_timeout);
                    self->read();
                });
        } else {
            // Until its first message a connection gets the short budget:
            // idle connections (a slowloris) must not hold the few slots
            // for the whole idle timeout.
            arm_timer(transport_.settings().handshake_timeout);
            read();
        }
    }

    bool send(std::string wire) override {
        if (closed_) {
            return false;
        }
        if (queued_bytes_ + wire.size() > transport_.settings().max_queued_bytes) {
            spdlog::info("SIP {} peer {} does not read its responses: closing",
                         transport_name(origin_.transport), origin_.address.to_string());
            shut_down();
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
        lowest_layer_socket(stream_).close(ignored);
    }

private:
    void arm_timer(std::chrono::milliseconds after) {
        timer_.expires_after(after);
        timer_.async_wait([weak = this->weak_from_this()](const boost::system::error_code& ec) {
            auto self = weak.lock();
            if (!self || ec || self->closed_) {
                return;
            }
            self->shut_down();
        });
    }

    void read() {
        stream_.async_read_some(boost::asio::buffer(buffer_),
                                [self = this->shared_from_this()](
                                    const boost::system::error_code& ec, std::size_t size) {
                                    if (self->closed_) {
                                        return;
                                    }
                                    if (ec) {
                                        self->shut_down();
                                        return;
                                    }
                                    self->on_bytes(std::string_view(self->buffer_.data(), size));
                                });
    }

    void on_bytes(std::string_view bytes) {
        const auto pings_before = framer_.keepalive_pings();
        if (auto appended = framer_.append(bytes); !appended) {
            fail(appended.error());
            return;
        }
        bool progressed = false;
        for (;;) {
            auto message = framer_.next_message();
            if (!message) {
                fail(message.error());
                return;
            }
            if (!*message) {
                break;
            }
            progressed = true;
            transport_.deliver(**message, origin_);
            if (closed_) {
                return;
            }
        }
        // RFC 5626 §3.5.1: a double-CRLF ping is answered with one CRLF.
        for (auto pings = framer_.keepalive_pings(); pings > pings_before; --pings) {
            progressed = true;
            send("\r\n");
        }
        if (closed_) {
            return;
        }
        if (progressed) {
            arm_timer(transport_.settings().idle_timeout);
        }
        read();
    }

    void fail(const SipError& error) {
        spdlog::info("SIP {} stream from {} closed: {} ({})", transport_name(origin_.transport),
                     origin_.address.to_string(), error.message, to_string(error.code));
        transport_.count_framing_error();
        shut_down();
    }

    void write_next() {
        boost::asio::async_write(
            stream_, boost::asio::buffer(output_.front()),
            [self = this->shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                if (self->closed_) {
                    return;
                }
                if (ec) {
                    self->shut_down();
                    return;
                }
                self->queued_bytes_ -= self->output_.front().size();
                self->output_.pop_front();
                if (!self->output_.empty()) {
                    self->write_next();
                }
            });
    }

    // Closes and leaves the transport's table; the last handler frees us.
    void shut_down() {
        if (closed_) {
            return;
        }
        close();
        transport_.connection_closed(id_);
    }

    Stream stream_;
    StreamTransport& transport_;
    std::uint64_t id_;
    MessageOrigin origin_;
    StreamFramer framer_;
    boost::asio::steady_timer timer_;
    std::vector<char> buffer_;
    std::deque<std::string> output_;
    std::size_t queued_bytes_ = 0;
    bool closed_ = false;
};

}  // namespace

std::shared_ptr<StreamConnection> make_tcp_connection(tcp::socket socket,
                                                      StreamTransport& transport,
                                                      std::uint64_t id) {
    return std::make_shared<BasicStreamConnection<tcp::socket>>(transport, id, std::move(socket));
}

std::shared_ptr<StreamConnection> make_tls_connection(tcp::socket socket,
                                                      boost::asio::ssl::context& tls,
                                                      StreamTransport& transport,
                                                      std::uint64_t id) {
    return std::make_shared<BasicStreamConnection<TlsStream>>(transport, id, std::move(socket),
                                                              tls);
}

}  // namespace agent::sip
