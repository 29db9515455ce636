#include "connection_request/source_rate_limiter.hpp"

#include <algorithm>

namespace agent::connection_request {

SourceRateLimiter::SourceRateLimiter(const SourceRateSettings& settings)
    : settings_(settings), total_(settings.burst_total, settings.refill_total) {
    settings_.max_sources = std::max<std::size_t>(settings_.max_sources, 1);
}

SourceRateLimiter::Tracked& SourceRateLimiter::tracked(const RequestSource& source,
                                                       Clock::time_point now) {
    if (auto found = sources_.find(source); found != sources_.end()) {
        found->second.last_seen = now;
        return found->second;
    }
    if (sources_.size() >= settings_.max_sources) {
        const auto stalest = std::min_element(
            sources_.begin(), sources_.end(),
            [](const auto& a, const auto& b) { return a.second.last_seen < b.second.last_seen; });
        sources_.erase(stalest);
    }
    return sources_
        .emplace(source,
                 Tracked{RateLimiter(settings_.burst_per_source, settings_.refill_per_source), now})
        .first->second;
}

bool SourceRateLimiter::try_take(const RequestSource& source, Clock::time_point now) {
    Tracked& entry = tracked(source, now);
    // The source's own bucket first: a source over its limit must not drain
    // the shared one that the others depend on.
    if (!entry.bucket.can_take(now) || !total_.can_take(now)) {
        return false;
    }
    entry.bucket.try_take(now);
    total_.try_take(now);
    return true;
}

}  // namespace agent::connection_request
