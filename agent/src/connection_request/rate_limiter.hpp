// Token bucket bounding how many connection requests are served: a burst of
// `capacity`, then one per `refill_interval`. What exceeds it is answered
// 503 (TR-069 §3.2.2 lets the CPE refuse excess requests) without a
// Retry-After, so an ACS does not learn when to try again.
#pragma once

#include <chrono>
#include <cstddef>

namespace agent::connection_request {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    RateLimiter(std::size_t capacity, Clock::duration refill_interval);

    // Takes one token if there is one.
    bool try_take(Clock::time_point now = Clock::now());
    // Whether try_take(now) would succeed; takes nothing.
    bool can_take(Clock::time_point now = Clock::now());

private:
    void refill(Clock::time_point now);

    std::size_t capacity_;
    Clock::duration refill_interval_;
    std::size_t tokens_;
    Clock::time_point last_refill_{};
    bool started_ = false;
};

}  // namespace agent::connection_request
