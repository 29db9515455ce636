#include "http/http_server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/socket_base.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <exception>
#include <optional>

namespace acssim::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string format_endpoint(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    if (address.is_v6()) return fmt::format("[{}]:{}", address.to_string(), endpoint.port());
    return fmt::format("{}:{}", address.to_string(), endpoint.port());
}

// What the listener keeps of its connections: enough to close them.
class Connection {
public:
    virtual ~Connection() = default;
    virtual void close() = 0;
};

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One accepted connection: reads requests one after the other (keep-alive),
// answers each with the handler, and closes on error, timeout, or when
// either side asks for it. Over TLS the handshake comes first, under the
// same timeout as a read.
template <class Stream>
class StreamConnection final : public Connection,
                               public std::enable_shared_from_this<StreamConnection<Stream>> {
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

public:
    StreamConnection(tcp::socket socket, asio::ssl::context* tls,
                     std::shared_ptr<const Listener> listener, const std::string& name,
                     const Limits& limits, const DeferringHandler& handler)
        : stream_(make_stream(std::move(socket), tls)),
          listener_(std::move(listener)),
          name_(name),
          limits_(limits),
          handler_(handler) {}

    void start() {
        boost::system::error_code error;
        state_.remote = socket().remote_endpoint(error);
        if constexpr (kTls) {
            lowest().expires_after(limits_.timeout);
            stream_.async_handshake(asio::ssl::stream_base::server,
                                    [self = this->shared_from_this()](const beast::error_code& e) {
                                        self->on_handshake(e);
                                    });
        } else {
            read_header();
        }
    }

    void close() override { lowest().close(); }

private:
    static Stream make_stream(tcp::socket socket, asio::ssl::context* tls) {
        if constexpr (kTls) {
            return Stream(std::move(socket), *tls);
        } else {
            (void)tls;
            return Stream(std::move(socket));
        }
    }

    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
    tcp::socket& socket() { return lowest().socket(); }

    void on_handshake(const beast::error_code& error) {
        if (error) {
            // Plain HTTP on the HTTPS port, an old TLS version, a CPE that
            // does not trust the certificate: worth telling the operator.
            spdlog::warn("{} {}: TLS handshake failed: {}", name_, format_endpoint(state_.remote),
                         error.message());
            return close();
        }
        read_header();
    }

    void read_header() {
        parser_.emplace();
        parser_->body_limit(limits_.max_body_bytes);
        parser_->header_limit(limits_.max_header_bytes);
        lowest().expires_after(limits_.timeout);
        bhttp::async_read_header(
            stream_, buffer_, *parser_,
            beast::bind_front_handler(&StreamConnection::on_header, this->shared_from_this()));
    }

    void on_header(const beast::error_code& error, std::size_t) {
        if (error) return on_read_error(error);
        body_limit_ = limits_.max_body_bytes;
        if (limits_.body_limit_of) {
            body_limit_ = std::min(limits_.body_limit_of(parser_->get()), limits_.max_body_bytes);
            // The parser checked Content-Length against max_body_bytes only.
            const auto length = parser_->content_length();
            if (length && *length > body_limit_) return on_read_error(bhttp::error::body_limit);
            parser_->body_limit(body_limit_);
        }
        // libcurl waits for "100 Continue" before sending a body over 1 KiB;
        // answering at once saves it a one-second pause per message.
        const auto expect = parser_->get()[bhttp::field::expect];
        if (beast::iequals(expect, "100-continue")) {
            continue_ = bhttp::response<bhttp::empty_body>{bhttp::status::continue_,
                                                           parser_->get().version()};
            lowest().expires_after(limits_.timeout);
            bhttp::async_write(stream_, continue_,
                               [self = this->shared_from_this()](
                                   const beast::error_code& write_error, std::size_t) {
                                   if (write_error) return self->close();
                                   self->read_body();
                               });
            return;
        }
        read_body();
    }

    void read_body() {
        // Beast reads at most the buffer's free capacity, and never less
        // than 512 bytes: with the few hundred bytes a header needs, a
        // megabyte body took thousands of 512-byte reads, each a trip
        // through the event loop. The room is given back once the request
        // is read, so that idle keep-alive connections stay small.
        const auto length = parser_->content_length();
        if (length && *length > buffer_.capacity()) {
            buffer_.reserve(
                static_cast<std::size_t>(std::min<std::uint64_t>(*length, kBodyReadBytes)));
        }
        lowest().expires_after(limits_.timeout);
        bhttp::async_read(
            stream_, buffer_, *parser_,
            beast::bind_front_handler(&StreamConnection::on_body, this->shared_from_this()));
    }

    void on_body(const beast::error_code& error, std::size_t) {
        if (error) return on_read_error(error);
        if (buffer_.capacity() > kIdleBufferBytes) buffer_.shrink_to_fit();
        auto request = std::make_shared<Request>(parser_->release());
        std::optional<Response> response;
        try {
            // The deferred answer keeps the connection alive until it is
            // written; a closed connection just drops it.
            Respond respond = [self = this->shared_from_this(), request](Response deferred) {
                if (!self->socket().is_open() || self->response_) return;
                self->answer(*request, std::move(deferred));
            };
            response = handler_(*request, state_, std::move(respond));
        } catch (const std::exception& exception) {
            // A bug or resource exhaustion in one request must not take the
            // whole simulator down with it.
            spdlog::error("{} {}: handler failed: {}", name_, format_endpoint(state_.remote),
                          exception.what());
            response = Response{bhttp::status::internal_server_error, request->version()};
            response->set(bhttp::field::content_type, "text/plain; charset=utf-8");
            response->body() = std::string{"internal error: "} + exception.what() + "\n";
        }
        if (response) answer(*request, std::move(*response));
    }

    void answer(const Request& request, Response response) {
        spdlog::debug(
            "{} {} {} {} -> {}", name_, format_endpoint(state_.remote),
            std::string_view{request.method_string().data(), request.method_string().size()},
            std::string_view{request.target().data(), request.target().size()},
            response.result_int());
        response.version(request.version());
        response.keep_alive(request.keep_alive() && response.keep_alive());
        // A HEAD answer may announce the length of the body GET would send.
        if (request.method() != bhttp::verb::head || !response.has_content_length()) {
            response.prepare_payload();
        }
        write(std::move(response));
    }

    void on_read_error(const beast::error_code& error) {
        if (error == bhttp::error::end_of_stream || error == asio::error::operation_aborted ||
            error == asio::ssl::error::stream_truncated) {
            return close();
        }
        if (error == beast::error::timeout) {
            spdlog::debug("{} {}: idle timeout", name_, format_endpoint(state_.remote));
            return close();
        }
        if (error == bhttp::error::body_limit) {
            spdlog::warn("{} {}: request body over {} bytes", name_, format_endpoint(state_.remote),
                         body_limit_);
            return reject(bhttp::status::payload_too_large,
                          fmt::format("request body over {} bytes", body_limit_));
        }
        if (error == bhttp::error::header_limit) {
            spdlog::warn("{} {}: request header over {} bytes", name_,
                         format_endpoint(state_.remote), limits_.max_header_bytes);
            return reject(bhttp::status::request_header_fields_too_large,
                          fmt::format("request header over {} bytes", limits_.max_header_bytes));
        }
        if (error.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
            error != bhttp::error::partial_message) {
            spdlog::warn("{} {}: bad HTTP request: {}", name_, format_endpoint(state_.remote),
                         error.message());
            return reject(bhttp::status::bad_request, "bad HTTP request: " + error.message());
        }
        spdlog::debug("{} {}: {}", name_, format_endpoint(state_.remote), error.message());
        close();
    }

    // Answers a request that could not be read, then closes: the rest of
    // the stream cannot be trusted to start at a message boundary.
    void reject(bhttp::status status, std::string message) {
        Response response{status, 11};
        response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
        response.body() = std::move(message) + "\n";
        response.keep_alive(false);
        response.prepare_payload();
        write(std::move(response));
    }

    void write(Response response) {
        response_ = std::move(response);
        lowest().expires_after(limits_.timeout);
        bhttp::async_write(
            stream_, *response_,
            beast::bind_front_handler(&StreamConnection::on_write, this->shared_from_this()));
    }

    void on_write(const beast::error_code& error, std::size_t) {
        const bool keep_alive = response_ && response_->keep_alive();
        response_.reset();
        if (error || !keep_alive) {
            if constexpr (kTls) {
                if (!error) {
                    // close_notify, so that the client can tell the end of
                    // the answer from a truncation attack.
                    lowest().expires_after(limits_.timeout);
                    stream_.async_shutdown([self = this->shared_from_this()](
                                               const beast::error_code&) { self->close(); });
                    return;
                }
            }
            boost::system::error_code ignored;
            socket().shutdown(tcp::socket::shutdown_send, ignored);
            return close();
        }
        read_header();
    }

    Stream stream_;
    // Keeps the listener, and so the name, limits and handler below, alive.
    std::shared_ptr<const Listener> listener_;
    const std::string& name_;
    const Limits& limits_;
    const DeferringHandler& handler_;
    static constexpr std::size_t kBodyReadBytes = 64 * 1024;
    static constexpr std::size_t kIdleBufferBytes = 4096;

    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    bhttp::response<bhttp::empty_body> continue_;
    std::optional<Response> response_;
    std::uint64_t body_limit_ = 0;
    ConnectionState state_;
};

}  // namespace

phonecwmp::Expected<std::shared_ptr<Listener>, std::string> Listener::open(
    asio::io_context& io, const tcp::endpoint& endpoint, std::string name, Limits limits,
    Handler handler, std::shared_ptr<asio::ssl::context> tls) {
    return open(io, endpoint, std::move(name), limits,
                DeferringHandler{
                    [handler = std::move(handler)](Request& request, ConnectionState& connection,
                                                   const Respond&) -> std::optional<Response> {
                        return handler(request, connection);
                    }},
                std::move(tls));
}

phonecwmp::Expected<std::shared_ptr<Listener>, std::string> Listener::open(
    asio::io_context& io, const tcp::endpoint& endpoint, std::string name, Limits limits,
    DeferringHandler handler, std::shared_ptr<asio::ssl::context> tls) {
    auto listener = std::make_shared<Listener>(Passkey{}, io, std::move(name), limits,
                                               std::move(handler), std::move(tls));
    auto& acceptor = listener->acceptor_;
    boost::system::error_code error;
    const auto fail = [&](std::string_view step) {
        return phonecwmp::Unexpected(fmt::format("{}: cannot {} {}: {}", listener->name_, step,
                                                 format_endpoint(endpoint), error.message()));
    };
    acceptor.open(endpoint.protocol(), error);
    if (error) return fail("open a socket for");
    acceptor.set_option(asio::socket_base::reuse_address(true), error);
    if (error) return fail("set SO_REUSEADDR for");
    acceptor.bind(endpoint, error);
    if (error) return fail("bind");
    acceptor.listen(asio::socket_base::max_listen_connections, error);
    if (error) return fail("listen on");
    return listener;
}

Listener::Listener(Passkey, asio::io_context& io, std::string name, Limits limits,
                   DeferringHandler handler, std::shared_ptr<asio::ssl::context> tls)
    : io_(io),
      acceptor_(io),
      retry_timer_(io),
      name_(std::move(name)),
      limits_(limits),
      handler_(std::move(handler)),
      tls_(std::move(tls)) {}

tcp::endpoint Listener::local_endpoint() const {
    boost::system::error_code error;
    return acceptor_.local_endpoint(error);
}

void Listener::start() {
    spdlog::info("{} listening on {}{}", name_, format_endpoint(local_endpoint()),
                 tls_ ? " (HTTPS)" : "");
    accept();
}

void Listener::accept() {
    acceptor_.async_accept(io_,
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(const boost::system::error_code& error, tcp::socket socket) {
    if (stopped_ || error == asio::error::operation_aborted) return;
    if (error) {
        // Out of file descriptors and the like: wait a little rather than spin.
        spdlog::warn("{}: accept failed: {}", name_, error.message());
        retry_timer_.expires_after(std::chrono::milliseconds(100));
        retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& wait) {
            if (!wait && !self->stopped_) self->accept();
        });
        return;
    }
    std::erase_if(connections_, [](const std::weak_ptr<Connection>& c) { return c.expired(); });
    if (connections_.size() >= limits_.max_connections) {
        refuse(std::move(socket));
        accept();
        return;
    }
    if (tls_) {
        auto connection = std::make_shared<StreamConnection<TlsStream>>(
            std::move(socket), tls_.get(), shared_from_this(), name_, limits_, handler_);
        connections_.push_back(connection);
        connection->start();
    } else {
        auto connection = std::make_shared<StreamConnection<PlainStream>>(
            std::move(socket), nullptr, shared_from_this(), name_, limits_, handler_);
        connections_.push_back(connection);
        connection->start();
    }
    accept();
}

void Listener::refuse(tcp::socket socket) {
    boost::system::error_code ignored;
    // RST rather than FIN: nothing of this connection lingers in TIME_WAIT.
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
    if (const auto suppressed = refusal_warnings_.admit()) {
        spdlog::warn("{}: {} open connections, the limit: refused {} new one(s)", name_,
                     limits_.max_connections, *suppressed + 1);
    }
}

void Listener::stop() {
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
    for (const auto& weak : connections_) {
        if (auto connection = weak.lock()) connection->close();
    }
    connections_.clear();
}

std::size_t Listener::open_connections() const {
    return static_cast<std::size_t>(
        std::count_if(connections_.begin(), connections_.end(),
                      [](const std::weak_ptr<Connection>& c) { return !c.expired(); }));
}

}  // namespace acssim::http
