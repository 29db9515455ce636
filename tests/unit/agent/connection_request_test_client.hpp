// Clients for connection-request tests, run on a thread of their own while
// the test's thread runs the agent's io_context: plain sockets for exact
// bytes, a two-leg Digest exchange made with cwmp/http_digest.hpp, and
// libcurl's own Digest implementation (what the agent links, and what
// `curl --digest` uses). Every call is bounded in time.
#pragma once

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstring>
#include <functional>
#include <future>
#include <string>
#include <vector>

#include "cwmp/http_digest.hpp"
#include "io_loop.hpp"

namespace agent::testing {

// A connected TCP socket with 5-second send and receive timeouts; -1 on
// failure. From `source` (an IPv4 loopback address such as 127.0.0.2) when
// given: the server's fairness counts by source address.
inline int connect_to(const boost::asio::ip::tcp::endpoint& endpoint,
                      const char* source = nullptr) {
    sockaddr_storage address{};
    socklen_t length = 0;
    if (endpoint.address().is_v4()) {
        auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
        v4->sin_family = AF_INET;
        v4->sin_port = htons(endpoint.port());
        const auto bytes = endpoint.address().to_v4().to_bytes();
        std::memcpy(&v4->sin_addr, bytes.data(), bytes.size());
        length = sizeof(sockaddr_in);
    } else {
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(endpoint.port());
        const auto bytes = endpoint.address().to_v6().to_bytes();
        std::memcpy(&v6->sin6_addr, bytes.data(), bytes.size());
        length = sizeof(sockaddr_in6);
    }
    const int fd = ::socket(address.ss_family, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (source != nullptr) {
        sockaddr_in from{};
        from.sin_family = AF_INET;
        if (::inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
            ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
            ::close(fd);
            return -1;
        }
    }
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

inline bool send_all(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

// Reads one response whose body is empty (every reply of the server): up to
// the blank line after the headers. Empty when the server closed first.
inline std::string read_response(int fd) {
    std::string text;
    char chunk[1024];
    while (text.find("\r\n\r\n") == std::string::npos && text.size() < 64 * 1024) {
        const auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) break;
        text.append(chunk, static_cast<std::size_t>(n));
    }
    return text;
}

// True when the peer closed the connection (recv returns 0 or a reset)
// within the socket's receive timeout.
inline bool closed_by_peer(int fd) {
    char byte;
    const auto n = ::recv(fd, &byte, 1, 0);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

inline int status_of(const std::string& response) {
    // "HTTP/1.1 401 Unauthorized"
    if (response.size() < 12 || response.compare(0, 5, "HTTP/") != 0) return 0;
    return std::atoi(response.c_str() + 9);
}

inline std::vector<std::string> header_values(const std::string& response, std::string name) {
    std::vector<std::string> values;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t at = response.find("\r\n");
    while (at != std::string::npos && at + 2 < response.size()) {
        const auto end = response.find("\r\n", at + 2);
        const std::string line = response.substr(at + 2, end - at - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string key = line.substr(0, colon);
            for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (key == name) {
                auto value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.erase(0, 1);
                values.push_back(value);
            }
        }
        at = end;
    }
    return values;
}

inline std::string get_request(const std::string& target, const std::string& extra_headers = {}) {
    return "GET " + target + " HTTP/1.1\r\nHost: cpe\r\n" + extra_headers + "\r\n";
}

// Runs `work` on a thread while the test's thread runs `io`; the io_context
// keeps running until the work is done (bounded: every client call times out).
// A ticking timer wakes the loop up to notice the end of the work, which
// no handler of the io_context reports.
template <class Work>
auto while_serving(boost::asio::io_context& io, Work work) {
    auto future = std::async(std::launch::async, std::move(work));
    auto ready = [&] {
        return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    };
    boost::asio::steady_timer ticker(io);
    std::function<void(const boost::system::error_code&)> tick =
        [&](const boost::system::error_code& error) {
            if (error || ready()) return;
            ticker.expires_after(std::chrono::milliseconds(5));
            ticker.async_wait(tick);
        };
    tick({});
    run_until(io, ready, std::chrono::seconds(30));
    ticker.cancel();
    // The cancelled wait completes while `tick` still exists.
    io.poll();
    return future.get();
}

struct DigestExchange {
    std::string challenge_response;  // the 401
    std::string final_response;      // the answer to the authenticated request
    std::string authorization;       // the Authorization header sent
};

// A GET answered with a 401, then the same GET on the same connection with
// credentials for the challenge of `algorithm`.
inline DigestExchange digest_get(const boost::asio::ip::tcp::endpoint& endpoint,
                                 const std::string& target, const std::string& username,
                                 const std::string& password, cwmp::digest::Algorithm algorithm) {
    DigestExchange exchange;
    const int fd = connect_to(endpoint);
    if (fd < 0) return exchange;
    if (send_all(fd, get_request(target))) {
        exchange.challenge_response = read_response(fd);
        for (const auto& header : header_values(exchange.challenge_response, "WWW-Authenticate")) {
            auto challenge = cwmp::digest::parse_challenge(header);
            if (!challenge || challenge->algorithm != algorithm) continue;
            auto credentials = cwmp::digest::answer_challenge(
                *challenge, username, password, "GET", target, 1, cwmp::digest::random_cnonce());
            if (!credentials) break;
            exchange.authorization = cwmp::digest::format_credentials(*credentials);
            if (send_all(
                    fd, get_request(target, "Authorization: " + exchange.authorization + "\r\n"))) {
                exchange.final_response = read_response(fd);
            }
            break;
        }
    }
    ::close(fd);
    return exchange;
}

// Whether a new connection (from `source` when given) is closed by the
// server before anything is sent; true also when it cannot be made.
inline bool closed_at_once(const boost::asio::ip::tcp::endpoint& endpoint,
                           const char* source = nullptr) {
    const int fd = connect_to(endpoint, source);
    if (fd < 0) return true;
    const bool closed = closed_by_peer(fd);
    ::close(fd);
    return closed;
}

// One request on the open connection `fd`; the response text (empty when the
// server closed it).
inline std::string request_on(int fd, const std::string& request) {
    return send_all(fd, request) ? read_response(fd) : std::string();
}

// One request on a new connection (from `source` when given); the response text.
inline std::string request_once(const boost::asio::ip::tcp::endpoint& endpoint,
                                const std::string& request, const char* source = nullptr) {
    const int fd = connect_to(endpoint, source);
    if (fd < 0) return {};
    std::string response = request_on(fd, request);
    ::close(fd);
    return response;
}

// libcurl with CURLAUTH_DIGEST: the HTTP status of the final answer, 0 on
// a transport error.
inline long curl_digest_get(const std::string& url, const std::string& username,
                            const std::string& password) {
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return 0;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
    curl_easy_setopt(curl, CURLOPT_USERNAME, username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10'000L);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    long status = 0;
    if (curl_easy_perform(curl) == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    }
    curl_easy_cleanup(curl);
    return status;
}

}  // namespace agent::testing
