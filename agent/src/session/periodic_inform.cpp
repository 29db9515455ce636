#include "session/periodic_inform.hpp"

#include <spdlog/spdlog.h>

#include "datamodel/value_syntax.hpp"

namespace agent {

std::optional<std::chrono::system_clock::time_point> next_periodic_inform(
    bool enabled, std::uint32_t interval_seconds, std::string_view phase_reference,
    std::chrono::system_clock::time_point now) {
    if (!enabled || interval_seconds == 0) {
        return std::nullopt;
    }
    const std::chrono::seconds interval(interval_seconds);
    const auto reference = datamodel::parse_date_time(phase_reference);
    if (!reference || *reference == datamodel::kUnknownTime) {
        return now + interval;  // no phase given: the CPE chooses, from now
    }
    // The first reference + n·interval strictly after now (n may be negative).
    auto since = std::chrono::duration_cast<std::chrono::seconds>(now - *reference);
    auto into_period = since % interval;
    if (into_period.count() < 0) {
        into_period += interval;
    }
    return now + (interval - into_period);
}

PeriodicInformScheduler::PeriodicInformScheduler(boost::asio::io_context& io,
                                                 std::function<void()> due)
    : timer_(io), due_(std::move(due)) {}

void PeriodicInformScheduler::configure(bool enabled, std::uint32_t interval_seconds,
                                        std::string_view phase_reference) {
    enabled_ = enabled;
    interval_seconds_ = interval_seconds;
    phase_reference_ = std::string(phase_reference);
    arm();
}

void PeriodicInformScheduler::arm() {
    timer_.cancel();
    const auto now = std::chrono::system_clock::now();
    const auto next = next_periodic_inform(enabled_, interval_seconds_, phase_reference_, now);
    if (!next) {
        spdlog::info("periodic inform: disabled");
        return;
    }
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - now);
    spdlog::debug("periodic inform: next in {} ms", wait.count());
    timer_.expires_after(wait);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) {
            return;
        }
        due_();
        arm();
    });
}

}  // namespace agent
