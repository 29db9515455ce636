// Periodic Inform timing from ManagementServer.PeriodicInformEnable,
// PeriodicInformInterval and PeriodicInformTime: Informs fall on
// PeriodicInformTime + n·Interval; the unknown time 0001-01-01T00:00:00Z lets
// the CPE choose the phase (we start counting from now).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace agent {

// When the next periodic Inform is due, or nullopt when disabled.
std::optional<std::chrono::system_clock::time_point> next_periodic_inform(
    bool enabled, std::uint32_t interval_seconds, std::string_view phase_reference,
    std::chrono::system_clock::time_point now);

class PeriodicInformScheduler {
public:
    PeriodicInformScheduler(boost::asio::io_context& io, std::function<void()> due);

    // (Re)arms the timer from the current parameter values.
    void configure(bool enabled, std::uint32_t interval_seconds, std::string_view phase_reference);

private:
    void arm();

    boost::asio::steady_timer timer_;
    std::function<void()> due_;
    bool enabled_ = false;
    std::uint32_t interval_seconds_ = 0;
    std::string phase_reference_;
};

}  // namespace agent
