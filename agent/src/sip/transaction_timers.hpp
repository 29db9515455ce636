// The clock the transaction state machines run on, injected so that tests
// drive time by hand and production uses the io_context (AsioTransactionTimers).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace agent::sip {

// RFC 3261 §17.1.1.1 / Table 4 values; a deployment may tune T1 (an RTT
// estimate) and T2, never below their defaults for a public network.
struct TransactionTimerSettings {
    std::chrono::milliseconds t1{500};
    std::chrono::milliseconds t2{4000};
    std::chrono::milliseconds t4{5000};
    // §17.2.1: an INVITE server transaction sends 100 Trying when the TU has
    // not answered within 200 ms.
    std::chrono::milliseconds trying_delay{200};
};

class TransactionTimers {
public:
    using TimerId = std::uint64_t;

    virtual ~TransactionTimers() = default;

    // Calls `on_expiry` once, `delay` from now, on the io_context thread, and
    // never from inside start() itself.
    virtual TimerId start(std::chrono::milliseconds delay, std::function<void()> on_expiry) = 0;

    // After cancel() returns, the timer's callback is never called. Ids that
    // already fired or were cancelled are ignored.
    virtual void cancel(TimerId id) = 0;
};

}  // namespace agent::sip
