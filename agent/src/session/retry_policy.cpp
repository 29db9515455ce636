#include "session/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace agent {

RetryWindow retry_window(std::uint32_t failed_sessions, std::uint32_t minimum_wait_seconds,
                         std::uint32_t multiplier_permille) {
    // The table of the standard stops growing at the tenth retry.
    const std::uint32_t n = std::clamp<std::uint32_t>(failed_sessions, 1, 10);
    const double m = std::max<std::uint32_t>(minimum_wait_seconds, 1);
    const double k =
        static_cast<double>(std::max<std::uint32_t>(multiplier_permille, 1000)) / 1000.0;
    return RetryWindow{m * std::pow(k, n - 1), m * std::pow(k, n)};
}

std::chrono::milliseconds retry_wait(std::uint32_t failed_sessions,
                                     std::uint32_t minimum_wait_seconds,
                                     std::uint32_t multiplier_permille, std::mt19937_64& random) {
    const RetryWindow window =
        retry_window(failed_sessions, minimum_wait_seconds, multiplier_permille);
    std::uniform_real_distribution<double> pick(window.min_seconds, window.max_seconds);
    return std::chrono::milliseconds(static_cast<std::int64_t>(pick(random) * 1000.0));
}

}  // namespace agent
