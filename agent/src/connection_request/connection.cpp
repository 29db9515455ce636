#include "connection_request/connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <map>

#include "connection_request/listen_address.hpp"

namespace agent::connection_request {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {
std::string describe(const boost::asio::ip::tcp::endpoint& endpoint) {
    return url_host(endpoint.address()) + ":" + std::to_string(endpoint.port());
}
}  // namespace

void ConnectionHub::close_all() {
    // Copies: close() may end a connection, which erases itself.
    std::vector<std::shared_ptr<Connection>> open;
    for (auto& [key, held] : connections_) {
        if (auto connection = held.connection.lock()) open.push_back(std::move(connection));
    }
    for (auto& connection : open) connection->close();
}

std::shared_ptr<Connection> ConnectionHub::make_room_for(const RequestSource& source) const {
    std::map<RequestSource, std::size_t> held_by;
    for (const auto& [key, held] : connections_) ++held_by[held.source];
    const auto newcomer_holds = held_by.count(source) ? held_by.at(source) : 0;
    std::size_t most = 0;
    for (const auto& [holder, count] : held_by) most = std::max(most, count);
    if (most <= newcomer_holds) return nullptr;
    const Held* victim = nullptr;
    for (const auto& [key, held] : connections_) {
        if (held_by.at(held.source) != most) continue;
        if (!victim || std::pair(held.sent_request, held.opened) <
                           std::pair(victim->sent_request, victim->opened)) {
            victim = &held;
        }
    }
    return victim ? victim->connection.lock() : nullptr;
}

Connection::Connection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ConnectionHub> hub)
    : stream_(std::move(socket)),
      hub_(std::move(hub)),
      // Room for a full header plus the start of a pipelined next request;
      // the parser's header limit is the real bound.
      buffer_(hub_->limits.max_header_bytes * 2) {}

Connection::~Connection() {
    hub_->connections_.erase(this);
}

void Connection::start() {
    boost::system::error_code error;
    remote_ = stream_.socket().remote_endpoint(error);
    hub_->connections_.emplace(
        this,
        ConnectionHub::Held{weak_from_this(), RequestSource(remote_.address()), ++hub_->opened_});
    read_request();
}

void Connection::close() {
    hub_->connections_.erase(this);
    boost::system::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
}

void Connection::read_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(hub_->limits.max_header_bytes));
    parser_->body_limit(0);
    stream_.expires_after(hub_->limits.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](const beast::error_code& error, std::size_t) {
                          self->on_read(error);
                      });
}

void Connection::on_read(const beast::error_code& error) {
    if (error == bhttp::error::end_of_stream || error == boost::asio::error::operation_aborted ||
        error == boost::asio::error::connection_reset || error == boost::asio::error::eof) {
        return close();
    }
    if (error == beast::error::timeout) {
        spdlog::debug("connection request {}: idle timeout", describe(remote_));
        return close();
    }
    if (error == bhttp::error::header_limit || error == beast::http::error::buffer_overflow) {
        return reject(bhttp::status::request_header_fields_too_large,
                      "header over " + std::to_string(hub_->limits.max_header_bytes) + " bytes");
    }
    if (error == bhttp::error::unexpected_body || error == bhttp::error::body_limit) {
        return reject(bhttp::status::payload_too_large, "a body was sent");
    }
    if (error) {
        if (error.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
            error != bhttp::error::partial_message) {
            return reject(bhttp::status::bad_request, "bad HTTP request: " + error.message());
        }
        spdlog::debug("connection request {}: {}", describe(remote_), error.message());
        return close();
    }
    if (!stream_.socket().is_open()) {
        // Closed (made room for another source, or the server stopped)
        // after this read had completed: the request is not served.
        return;
    }
    const Request& request = parser_->get();
    if (!hub_->handle) {
        return close();
    }
    if (auto held = hub_->connections_.find(this); held != hub_->connections_.end()) {
        held->second.sent_request = true;
    }
    ++served_;
    Reply reply = hub_->handle(request, remote_);
    const bool keep_alive = request.keep_alive() && served_ < hub_->limits.max_requests;
    send(std::move(reply), request.version(), keep_alive);
}

void Connection::reject(bhttp::status status, std::string_view why) {
    spdlog::debug("connection request {}: {} -> {}", describe(remote_), why,
                  static_cast<unsigned>(status));
    // The rest of the stream cannot be trusted to start at a message
    // boundary: answer, then close.
    send(Reply{status, {}, {}}, 11, false);
}

void Connection::send(Reply reply, unsigned version, bool keep_alive) {
    response_ = {};
    response_.result(reply.status);
    response_.version(version);
    for (auto& [field, value] : reply.headers) {
        response_.insert(field, value);
    }
    response_.keep_alive(keep_alive);
    response_.prepare_payload();  // Content-Length: 0
    after_sent_ = std::move(reply.after_sent);
    stream_.expires_after(hub_->limits.idle_timeout);
    bhttp::async_write(
        stream_, response_,
        [self = shared_from_this(), keep_alive](const beast::error_code& error, std::size_t) {
            self->on_written(error, keep_alive);
        });
}

void Connection::on_written(const beast::error_code& error, bool keep_alive) {
    if (auto after = std::exchange(after_sent_, nullptr)) {
        // Also when the write failed: the request was valid and accepted.
        after();
    }
    if (error || !keep_alive) {
        return close();
    }
    read_request();
}

}  // namespace agent::connection_request
