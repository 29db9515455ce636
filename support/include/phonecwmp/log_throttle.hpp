// Which occurrences of a repeating event get a log line: the first, then at
// most one per interval. Events an attacker can repeat at will (refused
// connections, failed handshakes, filtered requests) are logged through one,
// so that a flood of them does not become a flood of log lines, while each
// line that is written counts the occurrences suppressed before it (those
// after the last line are counted by occurrences() only).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace phonecwmp {

class LogThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(Clock::duration interval) : interval_(interval) {}

    // Counts one occurrence at `now`. When it is to be logged, returns how
    // many occurrences were suppressed since the last logged one (0 for the
    // first); otherwise std::nullopt.
    std::optional<std::uint64_t> admit(Clock::time_point now = Clock::now()) {
        ++occurrences_;
        if (occurrences_ > 1 && now - last_admitted_ < interval_) {
            ++suppressed_;
            return std::nullopt;
        }
        last_admitted_ = now;
        const auto suppressed = suppressed_;
        suppressed_ = 0;
        return suppressed;
    }

    // Every occurrence counted so far, logged or not.
    std::uint64_t occurrences() const { return occurrences_; }

private:
    Clock::duration interval_;
    Clock::time_point last_admitted_{};  // meaningful once occurrences_ > 0
    std::uint64_t suppressed_ = 0;
    std::uint64_t occurrences_ = 0;
};

}  // namespace phonecwmp
