#include "connection_request/connection_request_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/socket_base.hpp>

#include "connection_request/request_path.hpp"

namespace agent::connection_request {

namespace bhttp = boost::beast::http;
using boost::asio::ip::tcp;

namespace {
constexpr const char* kEnable = "Device.ManagementServer.HTTPConnectionRequestEnable";

std::string describe(const tcp::endpoint& endpoint) {
    return url_host(endpoint.address()) + ":" + std::to_string(endpoint.port());
}
}  // namespace

ConnectionRequestServer::ConnectionRequestServer(boost::asio::io_context& io,
                                                 datamodel::Model& model, ServerSettings settings,
                                                 std::function<void()> on_request)
    : io_(io),
      model_(model),
      settings_(std::move(settings)),
      on_request_(std::move(on_request)),
      acceptor_(io),
      accept_pause_(io),
      rate_limiter_(settings_.rate),
      authenticator_(model, settings_.nonce_lifetime, settings_.max_tracked_nonces) {
    hub_->limits = settings_.connection;
}

ConnectionRequestServer::~ConnectionRequestServer() {
    stop();
}

phonecwmp::Expected<void, std::string> ConnectionRequestServer::start() {
    auto path = load_or_create_path(model_);
    if (!path) {
        return phonecwmp::Unexpected(path.error());
    }
    path_ = std::move(*path);

    const tcp::endpoint wanted(settings_.listen.address, settings_.listen.port);
    boost::system::error_code error;
    auto failed = [&](const char* what) {
        return phonecwmp::Unexpected("connection-request listener on " + describe(wanted) + ": " +
                                     what + ": " + error.message());
    };
    acceptor_.open(wanted.protocol(), error);
    if (error) return failed("open");
    acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
    if (error) return failed("SO_REUSEADDR");
    if (wanted.address().is_v6() && wanted.address().is_unspecified()) {
        // [::] serves IPv4 too (dual stack).
        acceptor_.set_option(boost::asio::ip::v6_only(false), error);
        if (error) return failed("IPV6_V6ONLY");
    }
    acceptor_.bind(wanted, error);
    if (error) return failed("bind");
    acceptor_.listen(boost::asio::socket_base::max_listen_connections, error);
    if (error) return failed("listen");
    bound_ = acceptor_.local_endpoint(error);
    if (error) return failed("local address");

    std::weak_ptr<int> alive = alive_;
    hub_->handle = [this, alive](const Request& request, const tcp::endpoint& remote) {
        if (alive.expired()) return Reply{bhttp::status::service_unavailable, {}, {}};
        return handle(request, remote);
    };
    spdlog::info("connection request: listening on {}", describe(bound_));
    publisher_ = std::make_unique<UrlPublisher>(io_, model_, bound_, path_);
    publisher_->start();
    accept();
    return {};
}

void ConnectionRequestServer::stop() {
    hub_->handle = nullptr;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    accept_pause_.cancel();
    hub_->close_all();
    publisher_.reset();
}

void ConnectionRequestServer::accept() {
    std::weak_ptr<int> alive = alive_;
    acceptor_.async_accept(
        [this, alive](const boost::system::error_code& error, tcp::socket socket) {
            if (alive.expired() || error == boost::asio::error::operation_aborted ||
                !acceptor_.is_open()) {
                return;
            }
            if (!error) {
                admit(std::move(socket));
            } else {
                // E.g. EMFILE: keep serving the connections already open,
                // and try again a little later rather than spin.
                spdlog::warn("connection request: accept: {}", error.message());
                accept_pause_.expires_after(std::chrono::milliseconds(100));
                accept_pause_.async_wait([this, alive](const boost::system::error_code& waited) {
                    if (!waited && !alive.expired() && acceptor_.is_open()) accept();
                });
                return;
            }
            accept();
        });
}

void ConnectionRequestServer::admit(tcp::socket socket) {
    boost::system::error_code error;
    const tcp::endpoint remote = socket.remote_endpoint(error);
    if (error) {
        // Reset by the peer while it waited to be accepted: nobody to
        // serve, and no source to count it against.
        ++statistics_.connections_shed;
        spdlog::debug("connection request: a new connection is gone already: {}", error.message());
        socket.close(error);
        return;
    }
    if (hub_->live() >= settings_.max_connections) {
        const RequestSource source(remote.address());
        if (auto hoarded = hub_->make_room_for(source)) {
            ++statistics_.connections_evicted;
            spdlog::debug(
                "connection request: {} connections open, closing one of the most "
                "held to make room for {}",
                hub_->live(), source.to_string());
            hoarded->close();
        } else {
            // Shedding at once keeps a flood of idle connections from
            // holding the server for the idle timeout each.
            ++statistics_.connections_shed;
            spdlog::debug("connection request: {} connections open, closing a new one from {}",
                          hub_->live(), source.to_string());
            socket.close(error);
            return;
        }
    }
    std::make_shared<Connection>(std::move(socket), hub_)->start();
}

Reply ConnectionRequestServer::handle(const Request& request, const tcp::endpoint& remote) {
    const std::string target(request.target());
    if (request.method() != bhttp::verb::get) {
        ++statistics_.bad_requests;
        spdlog::debug("connection request from {}: method {} -> 405", describe(remote),
                      std::string(request.method_string()));
        return {bhttp::status::method_not_allowed, {{bhttp::field::allow, "GET"}}, {}};
    }
    if (target != path_) {
        ++statistics_.bad_requests;
        spdlog::debug("connection request from {}: unknown path -> 404", describe(remote));
        return {bhttp::status::not_found, {}, {}};
    }
    if (!rate_limiter_.try_take(RequestSource(remote.address()))) {
        ++statistics_.rate_limited;
        if (const auto suppressed = rate_limit_warnings_.admit()) {
            spdlog::warn(
                "connection request from {}: over the rate limit -> 503 ({} more refused "
                "since the last report)",
                describe(remote), *suppressed);
        }
        return {bhttp::status::service_unavailable, {}, {}};
    }
    if (model_.value(kEnable).value_or("true") != "true") {
        ++statistics_.refused;
        spdlog::info("connection request from {}: HTTPConnectionRequestEnable is false -> 403",
                     describe(remote));
        return {bhttp::status::forbidden, {}, {}};
    }
    std::optional<std::string_view> authorization;
    if (auto found = request.find(bhttp::field::authorization); found != request.end()) {
        authorization = std::string_view(found->value().data(), found->value().size());
    }
    auto decision = authenticator_.check("GET", target, authorization);
    switch (decision.kind) {
        case AuthDecision::Kind::Refuse:
            ++statistics_.refused;
            spdlog::warn("connection request from {}: refused ({}) -> 403", describe(remote),
                         decision.reason);
            return {bhttp::status::forbidden, {}, {}};
        case AuthDecision::Kind::Challenge: {
            ++statistics_.challenged;
            // The first leg of every digest exchange lands here: not worth
            // more than debug unless credentials were actually wrong.
            if (authorization) {
                spdlog::warn("connection request from {}: {} -> 401", describe(remote),
                             decision.reason);
            } else {
                spdlog::debug("connection request from {}: {} -> 401", describe(remote),
                              decision.reason);
            }
            Reply reply{bhttp::status::unauthorized, {}, {}};
            for (auto& challenge : decision.challenges) {
                reply.headers.emplace_back(bhttp::field::www_authenticate, std::move(challenge));
            }
            return reply;
        }
        case AuthDecision::Kind::Accept:
            break;
    }
    ++statistics_.accepted;
    spdlog::info("connection request from {}: accepted -> 200", describe(remote));
    std::weak_ptr<int> alive = alive_;
    return {bhttp::status::ok, {}, [this, alive] {
                if (!alive.expired() && on_request_) on_request_();
            }};
}

}  // namespace agent::connection_request
