// Fuzz target of the agent's connection-request server without sockets:
// the input is the byte stream of one TCP connection. It is read the way
// agent/src/connection_request/connection.cpp reads it (Beast's
// request_parser with an empty body, the server's header limit, no body
// allowed, at most max_requests requests per connection), and each request
// goes through the server's checks: GET only, the secret path only, then
// the real RequestAuthenticator against the phone's data model. A request
// that the authenticator challenges, answered with the right password, must
// then be accepted exactly when it is a GET on the path.
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "connection_request/connection.hpp"
#include "connection_request/request_authenticator.hpp"
#include "cwmp/http_digest.hpp"
#include "datamodel/model.hpp"
#include "fuzz_target.hpp"

namespace {

namespace bhttp = boost::beast::http;
using agent::connection_request::AuthDecision;
using agent::connection_request::ConnectionLimits;
using agent::connection_request::RequestAuthenticator;
using phonecwmp::fuzz::require;

constexpr std::string_view kPath = "/AbCdEfGhIjKlMnOpQrStUv";
constexpr std::string_view kUsername = "acs";
constexpr std::string_view kPassword = "connection-request-secret";

// A SyncReadStream over the input, handing it out in pieces of a size
// taken from the input so that the parser sees headers split anywhere.
class InputStream {
public:
    InputStream(std::string_view bytes, std::size_t chunk) : bytes_(bytes), chunk_(chunk) {}

    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers, boost::system::error_code& error) {
        if (bytes_.empty()) {
            error = boost::asio::error::eof;
            return 0;
        }
        error = {};
        const std::size_t wanted = std::min(chunk_, bytes_.size());
        const std::size_t copied =
            boost::asio::buffer_copy(buffers, boost::asio::buffer(bytes_.data(), wanted));
        bytes_.remove_prefix(copied);
        return copied;
    }

    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers) {
        boost::system::error_code error;
        const std::size_t n = read_some(buffers, error);
        if (error) throw boost::system::system_error(error);
        return n;
    }

private:
    std::string_view bytes_;
    std::size_t chunk_;
};

datamodel::Model& phone_model() {
    static const std::unique_ptr<datamodel::Model> model = [] {
        auto loaded = datamodel::Definitions::load_file(PHONECWMP_DEFINITIONS_FILE);
        if (!loaded) throw std::runtime_error("cannot load " + loaded.error().file);
        auto made = std::make_unique<datamodel::Model>(
            std::make_shared<const datamodel::Definitions>(std::move(*loaded)));
        auto set = made->set_internal({{"Device.ManagementServer.ConnectionRequestUsername",
                                        std::string(kUsername), std::nullopt},
                                       {"Device.ManagementServer.ConnectionRequestPassword",
                                        std::string(kPassword), std::nullopt}});
        if (!set) throw std::runtime_error("cannot set the connection-request credentials");
        return made;
    }();
    return *model;
}

RequestAuthenticator& authenticator() {
    // The server's defaults: 60 s nonces, 64 tracked.
    static RequestAuthenticator instance(phone_model(), std::chrono::seconds(60), 64);
    return instance;
}

// The server's decision for one parsed request: true when a session would
// be started.
bool serve(const bhttp::request<bhttp::empty_body>& request) {
    const std::string_view target(request.target().data(), request.target().size());
    const std::string_view method(request.method_string().data(), request.method_string().size());
    if (request.method() != bhttp::verb::get || target != kPath) return false;
    std::optional<std::string_view> authorization;
    if (auto found = request.find(bhttp::field::authorization); found != request.end()) {
        authorization = std::string_view(found->value().data(), found->value().size());
    }
    const AuthDecision decision = authenticator().check(method, target, authorization);
    if (decision.kind == AuthDecision::Kind::Accept) return true;
    require(decision.kind == AuthDecision::Kind::Challenge);
    require(!decision.challenges.empty() && !decision.reason.empty());

    // The legitimate client answers the challenge and gets in.
    auto challenge = cwmp::digest::parse_challenge(decision.challenges.front());
    require(challenge.has_value());
    auto credentials = cwmp::digest::answer_challenge(*challenge, kUsername, kPassword, method,
                                                      target, 1, "f00dcafe");
    require(credentials.has_value());
    const auto header = cwmp::digest::format_credentials(*credentials);
    require(authenticator().check(method, target, header).kind == AuthDecision::Kind::Accept);
    return true;
}

// Reads requests off one connection until it would be closed; the number
// of requests served.
std::size_t serve_connection(std::string_view bytes, std::size_t chunk) {
    const ConnectionLimits limits;
    InputStream stream(bytes, chunk);
    boost::beast::flat_buffer buffer(limits.max_header_bytes * 2);
    std::size_t served = 0;
    while (served < limits.max_requests) {
        bhttp::request_parser<bhttp::empty_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
        parser.body_limit(0);
        boost::system::error_code error;
        bhttp::read(stream, buffer, parser, error);
        if (error) break;  // answered with 4xx or just closed: the connection ends
        const auto& request = parser.get();
        require(request.target().size() <= limits.max_header_bytes);
        if (serve(request)) ++served;
        if (!request.keep_alive()) break;
    }
    return served;
}

}  // namespace

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes) {
    return serve_connection(bytes, bytes.size() + 1) > 0;
}

}  // namespace phonecwmp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes = phonecwmp::fuzz::as_text(data, size);
    const std::size_t chunk = size == 0 ? 1 : 1 + data[0] % 64;
    serve_connection(bytes, chunk);
    serve_connection(bytes, size + 1);
    return 0;
}
