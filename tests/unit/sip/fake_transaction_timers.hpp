// A hand-driven clock for the transaction tests: nothing fires until the test
// advances time, so timer behaviour is checked without sleeping.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>

#include "sip/transaction_timers.hpp"

namespace agent::sip::test {

class FakeTransactionTimers final : public TransactionTimers {
public:
    TimerId start(std::chrono::milliseconds delay, std::function<void()> on_expiry) override {
        const TimerId id = next_id_++;
        timers_.emplace(id, Timer{now_ + delay, std::move(on_expiry)});
        return id;
    }

    void cancel(TimerId id) override { timers_.erase(id); }

    // Moves the clock forward by `duration`, firing due timers in time order
    // (timers started by callbacks fire too if they fall within the window).
    void advance(std::chrono::milliseconds duration) {
        const std::chrono::milliseconds target = now_ + duration;
        for (int fired = 0; fired < 100000; ++fired) {
            auto due = timers_.end();
            for (auto it = timers_.begin(); it != timers_.end(); ++it) {
                if (it->second.due <= target &&
                    (due == timers_.end() || it->second.due < due->second.due)) {
                    due = it;
                }
            }
            if (due == timers_.end()) break;
            now_ = due->second.due;
            std::function<void()> callback = std::move(due->second.on_expiry);
            timers_.erase(due);
            callback();
        }
        now_ = target;
    }

    std::size_t running() const { return timers_.size(); }
    std::chrono::milliseconds now() const { return now_; }

private:
    struct Timer {
        std::chrono::milliseconds due;
        std::function<void()> on_expiry;
    };
    std::map<TimerId, Timer> timers_;
    TimerId next_id_ = 1;
    std::chrono::milliseconds now_{0};
};

}  // namespace agent::sip::test
