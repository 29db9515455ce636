// What the session engine asks of HTTP, independent of libcurl.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "phonecwmp/expected.hpp"

namespace agent::http {

struct Request {
    std::string url;
    std::string body;                  // empty = the CWMP empty POST
    std::vector<std::string> headers;  // "Name: value"
};

struct Response {
    long status = 0;
    std::string body;
    std::string content_type;
    // The absolute target of a 3xx answer's Location header, else empty.
    // Redirects are not followed by the channel: the session engine decides.
    std::string redirect_url;
};

struct TransportError {
    std::string message;
};

using Result = phonecwmp::Expected<Response, TransportError>;
using Completion = std::function<void(Result)>;

// Settings of one CWMP session's HTTP connection.
struct ChannelSettings {
    std::string username;
    std::string password;
    // TLS: the ACS's certificate chain and host name are always verified.
    std::string ca_file;             // PEM bundle; empty = the system's trust store
    std::string client_certificate;  // PEM; empty = no client certificate
    std::string client_key;          // PEM key of client_certificate
    // Bounds one request, from the name lookup to the last byte of the answer.
    std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
    // Bounds the whole session, from the channel's creation on: an ACS that
    // keeps the CPE busy for ever is treated as a failed session.
    std::chrono::milliseconds session_timeout{std::chrono::minutes(5)};
    std::size_t max_response_bytes = 4 * 1024 * 1024;
};

// One CWMP session's HTTP/1.1 conversation: a persistent connection and a
// cookie jar that live as long as the channel. One request at a time.
class Channel {
public:
    virtual ~Channel() = default;
    virtual void post(Request request, Completion done) = 0;
    // Abandons an outstanding request; its completion is never called.
    virtual void cancel() = 0;
    // The session is over: abandons an outstanding request and closes the
    // connection now rather than leaving it idle until the channel goes.
    // May be called from within a completion.
    virtual void end() { cancel(); }
};

class ChannelFactory {
public:
    virtual ~ChannelFactory() = default;
    virtual std::unique_ptr<Channel> open(const ChannelSettings& settings) = 0;
};

}  // namespace agent::http
