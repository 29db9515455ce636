// The connection-request server's rate limit: a token bucket per request
// source (RequestSource), so that a flood from one host empties only its
// own bucket and the ACS, elsewhere, is still answered; and one bucket for
// all sources together, which bounds what many sources at once can cost
// (sessions triggered, passwords tried).
//
// The table of sources is bounded: a new source beyond `max_sources` takes
// the place of the one unheard of for the longest. A source that comes back
// after being dropped starts with a full bucket, which costs at most one
// burst; the shared bucket still bounds the total.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>

#include "connection_request/rate_limiter.hpp"
#include "connection_request/request_source.hpp"

namespace agent::connection_request {

struct SourceRateSettings {
    std::size_t burst_per_source = 10;
    std::chrono::milliseconds refill_per_source{1000};
    std::size_t burst_total = 40;
    std::chrono::milliseconds refill_total{250};
    std::size_t max_sources = 64;
};

class SourceRateLimiter {
public:
    using Clock = RateLimiter::Clock;

    explicit SourceRateLimiter(const SourceRateSettings& settings);

    // Takes a token from `source`'s bucket and one from the shared bucket,
    // or neither when either is empty.
    bool try_take(const RequestSource& source, Clock::time_point now = Clock::now());

    std::size_t tracked_sources() const { return sources_.size(); }

private:
    struct Tracked {
        RateLimiter bucket;
        Clock::time_point last_seen;
    };

    Tracked& tracked(const RequestSource& source, Clock::time_point now);

    SourceRateSettings settings_;
    RateLimiter total_;
    std::map<RequestSource, Tracked> sources_;
};

}  // namespace agent::connection_request
