// Driving an io_context from a test, always within a bound.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>

namespace agent::testing {

// Runs the io_context until `done` holds; false when `limit` passed first.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        io.run_one_until(deadline);
    }
    return true;
}

// Runs the io_context for `span` (for "nothing happens meanwhile" checks).
// False if the loop could not even serve the timer in time.
inline bool run_for(boost::asio::io_context& io, std::chrono::milliseconds span) {
    bool over = false;
    boost::asio::steady_timer timer(io, span);
    timer.async_wait([&over](const boost::system::error_code&) { over = true; });
    return run_until(
        io, [&over] { return over; }, span + std::chrono::seconds(5));
}

}  // namespace agent::testing
