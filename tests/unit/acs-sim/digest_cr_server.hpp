#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/field.hpp>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "cwmp/digest_verifier.hpp"
#include "http/http_server.hpp"

namespace acssim::test {

// A CPE's connection-request server on loopback: Digest (SHA-256 and MD5)
// with one user; counts what it accepted and tells `on_accepted`.
class DigestCrServer {
    using tcp = boost::asio::ip::tcp;

public:
    DigestCrServer(boost::asio::io_context& io, std::string user, std::string password)
        : verifier_(cwmp::digest::VerifierSettings{"cr-test"}),
          user_(std::move(user)),
          password_(std::move(password)) {
        auto listener = http::Listener::open(
            io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0), "cr-test",
            http::Limits{},
            [this](http::Request& request, http::ConnectionState&) { return answer(request); });
        if (!listener) throw std::runtime_error(listener.error());
        listener_ = std::move(*listener);
        listener_->start();
    }
    ~DigestCrServer() { listener_->stop(); }

    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(listener_->local_endpoint().port()) + "/cr/k1";
    }
    // Touched only on the io_context's thread.
    int accepted = 0;
    int challenged = 0;
    std::function<void()> on_accepted;

private:
    http::Response answer(http::Request& request) {
        http::Response response{boost::beast::http::status::unauthorized, request.version()};
        const auto header = request[boost::beast::http::field::authorization];
        if (!header.empty()) {
            auto credentials = cwmp::digest::parse_credentials({header.data(), header.size()});
            if (credentials &&
                verifier_.verify(*credentials, "GET",
                                 {request.target().data(), request.target().size()}, user_,
                                 password_) == cwmp::digest::Verdict::Accepted) {
                ++accepted;
                if (on_accepted) on_accepted();
                response.result(boost::beast::http::status::ok);
                return response;
            }
        }
        ++challenged;
        for (const auto& challenge : verifier_.challenges(false)) {
            response.insert(boost::beast::http::field::www_authenticate, challenge);
        }
        return response;
    }

    cwmp::digest::DigestVerifier verifier_;
    std::string user_;
    std::string password_;
    std::shared_ptr<http::Listener> listener_;
};

}  // namespace acssim::test
