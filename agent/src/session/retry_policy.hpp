// Session retry waits (TR-069 §3.2.1.1): after the n-th consecutive failed
// session the CPE waits a random time in
//   [m·(k/1000)^(n-1), m·(k/1000)^n]   (n capped at 10)
// where m = CWMPRetryMinimumWaitInterval and k = CWMPRetryIntervalMultiplier.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace agent {

struct RetryWindow {
    double min_seconds = 0;
    double max_seconds = 0;
};

RetryWindow retry_window(std::uint32_t failed_sessions, std::uint32_t minimum_wait_seconds,
                         std::uint32_t multiplier_permille);

std::chrono::milliseconds retry_wait(std::uint32_t failed_sessions,
                                     std::uint32_t minimum_wait_seconds,
                                     std::uint32_t multiplier_permille, std::mt19937_64& random);

}  // namespace agent
