#include "connection_request/rate_limiter.hpp"

#include <algorithm>

namespace agent::connection_request {

RateLimiter::RateLimiter(std::size_t capacity, Clock::duration refill_interval)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      refill_interval_(std::max(refill_interval, Clock::duration(1))),
      tokens_(capacity_) {}

void RateLimiter::refill(Clock::time_point now) {
    if (!started_) {
        started_ = true;
        last_refill_ = now;
        return;
    }
    if (now <= last_refill_) {
        return;
    }
    const auto earned = static_cast<std::size_t>((now - last_refill_) / refill_interval_);
    if (earned == 0) {
        return;
    }
    tokens_ = std::min(capacity_, tokens_ + std::min(earned, capacity_));
    // Keep the remainder so that a steady trickle is not rounded away.
    last_refill_ = tokens_ == capacity_
                       ? now
                       : last_refill_ + static_cast<Clock::rep>(earned) * refill_interval_;
}

bool RateLimiter::can_take(Clock::time_point now) {
    refill(now);
    return tokens_ > 0;
}

bool RateLimiter::try_take(Clock::time_point now) {
    refill(now);
    if (tokens_ == 0) {
        return false;
    }
    --tokens_;
    return true;
}

}  // namespace agent::connection_request
