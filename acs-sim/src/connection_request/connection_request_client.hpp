// Connection requests to CPEs (TR-069 §3.2.2): an HTTP GET on the device's
// ConnectionRequestURL, answering a Digest (or Basic) challenge, on the
// simulator's io_context. Every request is bounded in time (one deadline
// for resolve, connect, both exchanges) and in response size; redirects are
// not followed (a CPE has no business redirecting its connection request).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "phonecwmp/expected.hpp"

namespace acssim {

struct ConnectionRequestTarget {
    std::string url;
    std::string username;
    std::string password;
};

struct ConnectionRequestLimits {
    std::chrono::milliseconds timeout{5000};
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 16 * 1024;
};

// Success, or what went wrong ("connection refused", "401 after
// authentication", "timed out after 5000 ms", ...).
using ConnectionRequestResult = phonecwmp::Expected<void, std::string>;
using ConnectionRequestDone = std::function<void(ConnectionRequestResult result)>;

class ConnectionRequestClient {
public:
    explicit ConnectionRequestClient(boost::asio::io_context& io,
                                     ConnectionRequestLimits limits = {});
    ~ConnectionRequestClient();
    ConnectionRequestClient(const ConnectionRequestClient&) = delete;
    ConnectionRequestClient& operator=(const ConnectionRequestClient&) = delete;

    // Starts the request; `done` is called once, on the io_context's thread
    // (never from within send()). A 2xx answer is success.
    void send(ConnectionRequestTarget target, ConnectionRequestDone done);

    // Aborts every request in flight; their `done` gets "cancelled".
    void cancel_all();

    std::size_t in_flight() const;

private:
    class Exchange;
    boost::asio::io_context& io_;
    ConnectionRequestLimits limits_;
    std::vector<std::weak_ptr<Exchange>> exchanges_;
};

}  // namespace acssim
