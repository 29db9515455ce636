// TransactionTimers on the agent's io_context: one steady_timer per running
// timer, callbacks run on the io_context thread like everything else.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <memory>
#include <unordered_map>

#include "sip/transaction_timers.hpp"

namespace agent::sip {

class AsioTransactionTimers final : public TransactionTimers {
public:
    explicit AsioTransactionTimers(boost::asio::io_context& io);
    // Cancels every running timer; none of their callbacks runs afterwards.
    ~AsioTransactionTimers() override;
    AsioTransactionTimers(const AsioTransactionTimers&) = delete;
    AsioTransactionTimers& operator=(const AsioTransactionTimers&) = delete;

    TimerId start(std::chrono::milliseconds delay, std::function<void()> on_expiry) override;
    void cancel(TimerId id) override;

    std::size_t running_timers() const { return timers_.size(); }

private:
    boost::asio::io_context& io_;
    std::unordered_map<TimerId, std::unique_ptr<boost::asio::steady_timer>> timers_;
    TimerId next_id_ = 1;
    // Completion handlers of cancelled waits still run later (with
    // operation_aborted); they check this before touching the object.
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace agent::sip
