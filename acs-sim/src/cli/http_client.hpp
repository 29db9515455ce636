// A blocking HTTP/1.1 client on libcurl for acs-sim's command-line tools
// (`acs-sim devices|get|set|run --nbi URL`). It never runs on the server's
// I/O thread. One instance keeps its connection open between requests.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"

namespace acssim::cli {

struct HttpReply {
    long status = 0;
    std::string body;
    std::string content_type;
    std::string cookie;  // the first Set-Cookie's NAME=VALUE, when one came
};

struct HttpClientLimits {
    // The whole request, connection included.
    std::chrono::milliseconds timeout{10000};
    // A reply body beyond this fails the request instead of filling memory.
    std::size_t max_reply_bytes = 64 * 1024 * 1024;
};

class HttpClient {
public:
    explicit HttpClient(HttpClientLimits limits = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // `method` is GET, POST, PUT or DELETE; a non-empty body is sent with
    // `content_type`. Any HTTP status is a reply; the error names the URL
    // and the transport failure (refused, timed out, reply too large).
    phonecwmp::Expected<HttpReply, std::string> request(std::string_view method,
                                                        const std::string& url,
                                                        std::string_view body = {},
                                                        std::string_view content_type = {},
                                                        std::string_view cookie = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace acssim::cli
