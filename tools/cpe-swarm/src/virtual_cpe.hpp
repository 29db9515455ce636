// One CWMP session of a virtual device, as a coroutine on the calling
// thread's io_context: connect, Inform, empty POST, answer the ACS's
// requests until its 204, close. Every read and write has a timeout and
// every reply a size limit, so a stuck ACS costs a failed session, never a
// stuck worker.
#pragma once

// clang-format off
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>
#include <boost/asio/awaitable.hpp>
// clang-format on
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <string>

#include "cwmp/codec.hpp"
#include "virtual_device.hpp"

namespace swarm {

struct AcsTarget {
    boost::asio::ip::tcp::endpoint endpoint;
    std::string host;                          // the Host header
    std::string target;                        // the request target, "/" or "/cwmp"
    std::chrono::milliseconds timeout{10000};  // per request and response
    std::size_t max_reply_bytes = 4 * 1024 * 1024;
    unsigned max_requests_per_session = 100;  // ACS requests answered in one session
};

// "" when the session ended with the ACS's 204, else what went wrong.
boost::asio::awaitable<std::string> run_session(VirtualDevice& device, cwmp::Codec& codec,
                                                const AcsTarget& acs);

}  // namespace swarm
