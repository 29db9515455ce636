// Numbered one-shot timers on an io_context: one steady_timer per running
// timer, callbacks run on the io_context thread. The table behind the
// injected-timer interfaces of the SIP transactions and the DHCP clients.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <utility>

namespace phonecwmp {

class AsioTimerTable {
public:
    using TimerId = std::uint64_t;

    explicit AsioTimerTable(boost::asio::io_context& io) : io_(io) {}
    // Cancels every running timer; none of their callbacks runs afterwards.
    ~AsioTimerTable() {
        alive_.reset();
        timers_.clear();  // destroying a steady_timer cancels its wait
    }
    AsioTimerTable(const AsioTimerTable&) = delete;
    AsioTimerTable& operator=(const AsioTimerTable&) = delete;

    // Runs `on_expiry` once after `delay` unless cancelled first; ids are
    // never 0.
    TimerId start(std::chrono::milliseconds delay, std::function<void()> on_expiry) {
        const TimerId id = next_id_++;
        auto timer = std::make_unique<boost::asio::steady_timer>(io_, delay);
        timer->async_wait(
            [this, id, alive = std::weak_ptr<char>(alive_),
             on_expiry = std::move(on_expiry)](const boost::system::error_code& error) {
                if (error || alive.expired()) return;
                const auto running = timers_.find(id);
                if (running == timers_.end()) return;  // cancelled after it had already expired
                timers_.erase(running);
                on_expiry();
            });
        timers_.emplace(id, std::move(timer));
        return id;
    }

    // Unknown or already expired ids are ignored.
    void cancel(TimerId id) { timers_.erase(id); }

    std::size_t running() const { return timers_.size(); }

private:
    boost::asio::io_context& io_;
    std::unordered_map<TimerId, std::unique_ptr<boost::asio::steady_timer>> timers_;
    TimerId next_id_ = 1;
    // Completion handlers of cancelled waits still run later (with
    // operation_aborted); they check this before touching the object.
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace phonecwmp
