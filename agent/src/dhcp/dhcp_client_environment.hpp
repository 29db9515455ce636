// The time and randomness a DHCP client runs on, behind an interface so the
// state machine is tested with a manual clock (no sleeps) and runs on
// steady_timers of the agent's io_context (AsioDhcpClientEnvironment).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace agent::dhcp {

class DhcpClientEnvironment {
public:
    using Clock = std::chrono::steady_clock;
    using TimerId = std::uint64_t;

    virtual ~DhcpClientEnvironment() = default;

    virtual Clock::time_point now() const = 0;
    // Runs `on_expiry` once after `delay` unless cancelled first. Ids are
    // never 0 (0 means "no timer" to callers).
    virtual TimerId start_timer(std::chrono::milliseconds delay,
                                std::function<void()> on_expiry) = 0;
    // Unknown or already expired ids are ignored.
    virtual void cancel_timer(TimerId id) = 0;
    // Uniformly distributed; transaction ids and retransmission jitter.
    virtual std::uint32_t random_u32() = 0;
};

}  // namespace agent::dhcp
