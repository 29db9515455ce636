#include "connection_request/connection_request_client.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>

#include "connection_request/http_url.hpp"
#include "cwmp/http_digest.hpp"
#include "util/base64.hpp"

namespace acssim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string_view view(beast::string_view text) {
    return {text.data(), text.size()};
}

bool starts_with_scheme(std::string_view header, std::string_view scheme) {
    return header.size() > scheme.size() &&
           beast::iequals(beast::string_view{header.data(), scheme.size()},
                          beast::string_view{scheme.data(), scheme.size()}) &&
           header[scheme.size()] == ' ';
}

}  // namespace

// One connection request: resolve, connect, GET, and at most one more GET
// with credentials after a 401.
class ConnectionRequestClient::Exchange : public std::enable_shared_from_this<Exchange> {
public:
    Exchange(asio::io_context& io, const ConnectionRequestLimits& limits,
             ConnectionRequestTarget target, HttpUrl url, ConnectionRequestDone done)
        : io_(io),
          limits_(limits),
          target_(std::move(target)),
          url_(std::move(url)),
          done_(std::move(done)),
          resolver_(io),
          stream_(io),
          deadline_(io) {}

    void start() {
        deadline_.expires_after(limits_.timeout);
        deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
            if (error) return;
            self->fail(fmt::format("no answer within {} ms", self->limits_.timeout.count()));
        });
        resolver_.async_resolve(url_.host, std::to_string(url_.port),
                                [self = shared_from_this()](const boost::system::error_code& error,
                                                            tcp::resolver::results_type results) {
                                    self->on_resolve(error, std::move(results));
                                });
    }

    void cancel() { fail("cancelled"); }

private:
    void on_resolve(const boost::system::error_code& error, tcp::resolver::results_type results) {
        if (finished()) return;
        if (error) return fail(fmt::format("cannot resolve {}: {}", url_.host, error.message()));
        endpoints_ = std::move(results);
        connect();
    }

    void connect() {
        stream_.async_connect(
            endpoints_, [self = shared_from_this()](const boost::system::error_code& error,
                                                    const tcp::endpoint&) {
                if (self->finished()) return;
                if (error) return self->fail(fmt::format("cannot connect: {}", error.message()));
                self->send_get();
            });
    }

    void send_get() {
        request_ = bhttp::request<bhttp::empty_body>{bhttp::verb::get, url_.target, 11};
        request_.set(bhttp::field::host, url_.authority);
        request_.set(bhttp::field::user_agent, "acs-sim");
        if (!authorization_.empty()) request_.set(bhttp::field::authorization, authorization_);
        bhttp::async_write(
            stream_, request_,
            [self = shared_from_this()](const beast::error_code& error, std::size_t) {
                if (self->finished()) return;
                if (error) {
                    return self->fail(fmt::format("cannot send the request: {}", error.message()));
                }
                self->read_response();
            });
    }

    void read_response() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
        parser_->body_limit(limits_.max_body_bytes);
        read_some();
    }

    // Piece by piece, checking the body's size after each: Beast 1.74's
    // async_read does not apply the parser's body limit to a response
    // (measured: a 64 KiB body passed a 16 KiB limit).
    void read_some() {
        bhttp::async_read_some(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](const beast::error_code& error, std::size_t) {
                if (self->finished()) return;
                if (!error && self->parser_->get().body().size() > self->limits_.max_body_bytes) {
                    return self->on_response(bhttp::error::body_limit);
                }
                if (!error && !self->parser_->is_done()) return self->read_some();
                self->on_response(error);
            });
    }

    void on_response(const beast::error_code& error) {
        if (finished()) return;
        if (error == bhttp::error::body_limit) {
            return fail(fmt::format("response body over {} bytes", limits_.max_body_bytes));
        }
        if (error == bhttp::error::header_limit) {
            return fail(fmt::format("response header over {} bytes", limits_.max_header_bytes));
        }
        if (error) return fail(fmt::format("no valid HTTP response: {}", error.message()));
        const auto& response = parser_->get();
        const unsigned status = response.result_int();
        if (status >= 200 && status < 300) return succeed();
        if (status >= 300 && status < 400) {
            return fail(fmt::format("HTTP {} redirect not followed", status));
        }
        if (status != 401) return fail(fmt::format("HTTP {}", status));
        if (!authorization_.empty())
            return fail("HTTP 401 after authentication (wrong credentials)");
        if (target_.username.empty()) return fail("HTTP 401 and no credentials to answer with");
        auto authorization = answer(response);
        if (!authorization) return fail(authorization.error());
        authorization_ = std::move(*authorization);
        if (response.keep_alive()) return send_get();
        // The CPE closes after its challenge: ask again on a new connection.
        boost::system::error_code ignored;
        stream_.socket().close(ignored);
        buffer_.clear();
        connect();
    }

    // The Authorization header answering the best challenge: Digest over Basic.
    phonecwmp::Expected<std::string, std::string> answer(
        const bhttp::response<bhttp::string_body>& response) {
        std::string digest_problem;
        bool basic = false;
        const auto [first, last] = response.equal_range(bhttp::field::www_authenticate);
        for (auto field = first; field != last; ++field) {
            const auto value = view(field->value());
            if (starts_with_scheme(value, "Basic")) {
                basic = true;
                continue;
            }
            if (!starts_with_scheme(value, "Digest")) continue;
            auto challenge = cwmp::digest::parse_challenge(value);
            if (!challenge) {
                digest_problem = challenge.error().message;
                continue;
            }
            auto credentials = cwmp::digest::answer_challenge(*challenge, target_.username,
                                                              target_.password, "GET", url_.target,
                                                              1, cwmp::digest::random_cnonce());
            if (!credentials) {
                digest_problem = credentials.error().message;
                continue;
            }
            return cwmp::digest::format_credentials(*credentials);
        }
        if (basic) return "Basic " + base64_encode(target_.username + ":" + target_.password);
        if (!digest_problem.empty()) {
            return phonecwmp::Unexpected("unusable Digest challenge: " + digest_problem);
        }
        return phonecwmp::Unexpected(std::string{"HTTP 401 without a Digest or Basic challenge"});
    }

    bool finished() const { return !done_; }

    void succeed() { finish({}); }
    void fail(std::string reason) { finish(phonecwmp::Unexpected(std::move(reason))); }

    void finish(ConnectionRequestResult result) {
        if (finished()) return;
        auto done = std::move(done_);
        done_ = nullptr;
        deadline_.cancel();
        resolver_.cancel();
        boost::system::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
        // Outside of any caller's stack frame that might hold references.
        asio::post(io_, [done = std::move(done), result = std::move(result)]() mutable {
            done(std::move(result));
        });
    }

    asio::io_context& io_;
    const ConnectionRequestLimits limits_;
    ConnectionRequestTarget target_;
    HttpUrl url_;
    ConnectionRequestDone done_;
    tcp::resolver resolver_;
    tcp::resolver::results_type endpoints_;
    beast::tcp_stream stream_;
    asio::steady_timer deadline_;
    beast::flat_buffer buffer_;
    bhttp::request<bhttp::empty_body> request_;
    std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
    std::string authorization_;
};

ConnectionRequestClient::ConnectionRequestClient(asio::io_context& io,
                                                 ConnectionRequestLimits limits)
    : io_(io), limits_(limits) {}

ConnectionRequestClient::~ConnectionRequestClient() {
    cancel_all();
}

void ConnectionRequestClient::send(ConnectionRequestTarget target, ConnectionRequestDone done) {
    auto url = parse_http_url(target.url);
    if (!url) {
        asio::post(io_, [done = std::move(done), reason = url.error()] {
            done(phonecwmp::Unexpected("bad ConnectionRequestURL: " + reason));
        });
        return;
    }
    std::erase_if(exchanges_, [](const std::weak_ptr<Exchange>& e) { return e.expired(); });
    auto exchange = std::make_shared<Exchange>(io_, limits_, std::move(target), std::move(*url),
                                               std::move(done));
    exchanges_.push_back(exchange);
    exchange->start();
}

void ConnectionRequestClient::cancel_all() {
    for (const auto& weak : exchanges_) {
        if (auto exchange = weak.lock()) exchange->cancel();
    }
    exchanges_.clear();
}

std::size_t ConnectionRequestClient::in_flight() const {
    return static_cast<std::size_t>(
        std::count_if(exchanges_.begin(), exchanges_.end(),
                      [](const std::weak_ptr<Exchange>& e) { return !e.expired(); }));
}

}  // namespace acssim
