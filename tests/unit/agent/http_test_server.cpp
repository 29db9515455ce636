#include "http_test_server.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <type_traits>
#include <utility>

namespace agent::http::test {

namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::asio::ip::tcp;

namespace {

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

class ConnectionBase {
public:
    virtual ~ConnectionBase() = default;
    virtual void close() = 0;
};

}  // namespace

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (same_name(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

namespace {
constexpr const char* kHangUpMarker = "X-Phonecwmp-Test-Hang-Up";
}  // namespace

Reply hang_up() {
    Reply marker = make_reply(500);
    marker.set(kHangUpMarker, "1");
    return marker;
}

Reply make_reply(unsigned status, std::string body, std::string content_type) {
    Reply reply{static_cast<bhttp::status>(status), 11};
    if (!content_type.empty()) {
        reply.set(bhttp::field::content_type, content_type);
    }
    reply.body() = std::move(body);
    return reply;
}

struct TestHttpServer::State {
    State(boost::asio::io_context& io, Handler on_request, unsigned short port)
        : acceptor(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), port)),
          handler(std::move(on_request)) {}

    tcp::acceptor acceptor;
    Handler handler;
    std::optional<ssl::context> tls;
    std::vector<RecordedRequest> requests;
    std::vector<std::vector<std::string>> alpn_offers;
    std::size_t accepted = 0;
    std::size_t closed = 0;
    std::size_t hung_up = 0;
    std::size_t handshakes_failed = 0;
    std::vector<std::weak_ptr<ConnectionBase>> connections;
};

namespace {

// Reads requests and writes replies on one plain or TLS stream.
template <class Stream>
class Connection final : public ConnectionBase,
                         public std::enable_shared_from_this<Connection<Stream>> {
public:
    template <class... StreamArgs>
    Connection(std::shared_ptr<TestHttpServer::State> state, std::size_t index,
               StreamArgs&&... stream_args)
        : state_(std::move(state)),
          stream_(std::forward<StreamArgs>(stream_args)...),
          index_(index) {}

    void start() {
        if constexpr (std::is_same_v<Stream, tcp::socket>) {
            read();
        } else {
            stream_.async_handshake(
                ssl::stream_base::server,
                [self = this->shared_from_this()](const boost::system::error_code& ec) {
                    if (ec) {
                        ++self->state_->handshakes_failed;
                        self->close();
                        return;
                    }
                    self->read();
                });
        }
    }

    void close() override {
        boost::system::error_code ignored;
        socket().close(ignored);
    }

private:
    tcp::socket& socket() {
        if constexpr (std::is_same_v<Stream, tcp::socket>) {
            return stream_;
        } else {
            return stream_.next_layer();
        }
    }

    void read() {
        request_ = {};
        bhttp::async_read(stream_, buffer_, request_,
                          [self = this->shared_from_this()](const boost::system::error_code& ec,
                                                            std::size_t) { self->on_request(ec); });
    }

    void on_request(const boost::system::error_code& ec) {
        if (ec) {
            if (ec != boost::asio::error::operation_aborted) {
                ++state_->closed;
            }
            close();
            return;
        }
        RecordedRequest recorded;
        recorded.connection = index_;
        recorded.version = request_.version();
        recorded.method = std::string(request_.method_string());
        recorded.target = std::string(request_.target());
        recorded.body = request_.body();
        for (const auto& field : request_) {
            recorded.headers.emplace_back(std::string(field.name_string()),
                                          std::string(field.value()));
        }
        state_->requests.push_back(recorded);
        auto reply = state_->handler(recorded);
        if (!reply) {
            read();  // unanswered: only notices when the client goes away
            return;
        }
        if (reply->find(kHangUpMarker) != reply->end()) {
            ++state_->hung_up;
            close();
            return;
        }
        reply_ = std::move(*reply);
        reply_.keep_alive(request_.keep_alive());
        reply_.prepare_payload();
        bhttp::async_write(
            stream_, reply_,
            [self = this->shared_from_this()](const boost::system::error_code& error, std::size_t) {
                if (error || !self->reply_.keep_alive()) {
                    self->close();
                    return;
                }
                self->read();
            });
    }

    std::shared_ptr<TestHttpServer::State> state_;
    Stream stream_;
    std::size_t index_;
    boost::beast::flat_buffer buffer_;
    bhttp::request<bhttp::string_body> request_;
    Reply reply_;
};

// Records the client's ALPN offer and picks http/1.1 when offered.
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
                unsigned int in_length, void* arg) {
    auto* state = static_cast<TestHttpServer::State*>(arg);
    std::vector<std::string> offered;
    int chosen = -1;
    for (unsigned int pos = 0; pos < in_length;) {
        const unsigned int length = in[pos];
        if (pos + 1 + length > in_length) {
            break;
        }
        offered.emplace_back(reinterpret_cast<const char*>(in + pos + 1), length);
        if (offered.back() == "http/1.1") {
            chosen = static_cast<int>(pos);
        }
        pos += 1 + length;
    }
    state->alpn_offers.push_back(offered);
    if (chosen < 0) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    *out = in + chosen + 1;
    *out_length = in[chosen];
    return SSL_TLSEXT_ERR_OK;
}

}  // namespace

TestHttpServer::TestHttpServer(boost::asio::io_context& io, Handler handler,
                               std::optional<TlsIdentity> tls)
    : TestHttpServer(io, std::move(handler), ServerOptions{std::move(tls), {}, 0}) {}

TestHttpServer::TestHttpServer(boost::asio::io_context& io, Handler handler, ServerOptions options)
    : state_(std::make_shared<State>(io, std::move(handler), options.port)) {
    if (options.tls) {
        auto& context = state_->tls.emplace(ssl::context::tls_server);
        context.use_certificate(boost::asio::buffer(options.tls->certificate_pem),
                                ssl::context::pem);
        context.use_private_key(boost::asio::buffer(options.tls->key_pem), ssl::context::pem);
        SSL_CTX_set_alpn_select_cb(context.native_handle(), &select_alpn, state_.get());
        if (!options.client_ca_pem.empty()) {
            context.add_certificate_authority(boost::asio::buffer(options.client_ca_pem));
            context.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
        }
    }
    accept(state_);
}

TestHttpServer::~TestHttpServer() {
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
    for (const auto& weak : state_->connections) {
        if (auto connection = weak.lock()) {
            connection->close();
        }
    }
}

void TestHttpServer::accept(const std::shared_ptr<State>& state) {
    state->acceptor.async_accept([state](const boost::system::error_code& ec, tcp::socket socket) {
        if (ec) {
            return;
        }
        const std::size_t index = state->accepted++;
        if (state->tls) {
            auto connection = std::make_shared<Connection<ssl::stream<tcp::socket>>>(
                state, index, std::move(socket), *state->tls);
            state->connections.push_back(connection);
            connection->start();
        } else {
            auto connection =
                std::make_shared<Connection<tcp::socket>>(state, index, std::move(socket));
            state->connections.push_back(connection);
            connection->start();
        }
        accept(state);
    });
}

unsigned short TestHttpServer::port() const {
    return state_->acceptor.local_endpoint().port();
}

std::string TestHttpServer::url(const std::string& path) const {
    return std::string(state_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port()) +
           path;
}

std::size_t TestHttpServer::connections() const {
    return state_->accepted;
}

std::size_t TestHttpServer::closed() const {
    return state_->closed;
}

std::size_t TestHttpServer::hung_up() const {
    return state_->hung_up;
}

const std::vector<RecordedRequest>& TestHttpServer::requests() const {
    return state_->requests;
}

const std::vector<std::vector<std::string>>& TestHttpServer::alpn_offers() const {
    return state_->alpn_offers;
}

std::size_t TestHttpServer::handshakes_failed() const {
    return state_->handshakes_failed;
}

}  // namespace agent::http::test
