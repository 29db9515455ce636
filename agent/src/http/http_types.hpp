// What the session engine asks of HTTP, independent of libcurl.
#pragma once

#include <chrono>
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
    std::string ca_file;  // empty = the system's trust store
    std::string client_certificate;
    std::string client_key;
    std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
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
};

class ChannelFactory {
public:
    virtual ~ChannelFactory() = default;
    virtual std::unique_ptr<Channel> open(const ChannelSettings& settings) = 0;
};

}  // namespace agent::http
