// A small HTTP/1.1 server on 127.0.0.1 for testing the agent's HTTP client,
// over plain TCP or TLS. It runs on the test's io_context, records every
// request with the TCP connection it came on, and answers what the test's
// handler says.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http_test_tls.hpp"

namespace agent::http::test {

struct RecordedRequest {
    std::size_t connection = 0;  // 0 = the first connection accepted
    unsigned version = 0;        // 11 = HTTP/1.1
    std::string method;
    std::string target;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    // The value of the first header of that name (any case), if present.
    std::optional<std::string> header(std::string_view name) const;
};

using Reply = boost::beast::http::response<boost::beast::http::string_body>;
// The reply to a request, or nothing to leave it unanswered.
using Handler = std::function<std::optional<Reply>(const RecordedRequest&)>;

Reply make_reply(unsigned status, std::string body = {}, std::string content_type = {});
// Not a reply: the server closes the connection without answering.
Reply hang_up();

struct ServerOptions {
    std::optional<TlsIdentity> tls;  // set: the server speaks HTTPS
    // HTTPS: non-empty = every client must present a certificate this CA issued.
    std::string client_ca_pem;
    unsigned short port = 0;  // 0: a free one
};

class TestHttpServer {
public:
    // With an identity the server speaks HTTPS.
    TestHttpServer(boost::asio::io_context& io, Handler handler,
                   std::optional<TlsIdentity> tls = std::nullopt);
    TestHttpServer(boost::asio::io_context& io, Handler handler, ServerOptions options);
    ~TestHttpServer();
    TestHttpServer(const TestHttpServer&) = delete;
    TestHttpServer& operator=(const TestHttpServer&) = delete;

    unsigned short port() const;
    std::string url(const std::string& path = "/acs") const;  // http(s)://127.0.0.1:port/...
    std::size_t connections() const;                          // accepted so far
    std::size_t closed() const;                               // ended by the client
    std::size_t hung_up() const;                              // ended by hang_up()
    const std::vector<RecordedRequest>& requests() const;
    // HTTPS: the ALPN protocols each TLS client offered, e.g. {"h2", "http/1.1"}.
    const std::vector<std::vector<std::string>>& alpn_offers() const;
    std::size_t handshakes_failed() const;

    struct State;  // shared with the connections, defined with them
private:
    static void accept(const std::shared_ptr<State>& state);
    std::shared_ptr<State> state_;
};

}  // namespace agent::http::test
