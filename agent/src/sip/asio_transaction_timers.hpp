// TransactionTimers on the agent's io_context (phonecwmp::AsioTimerTable):
// callbacks run on the io_context thread like everything else.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>

#include "phonecwmp/asio_timer_table.hpp"
#include "sip/transaction_timers.hpp"

namespace agent::sip {

class AsioTransactionTimers final : public TransactionTimers {
public:
    explicit AsioTransactionTimers(boost::asio::io_context& io) : table_(io) {}

    TimerId start(std::chrono::milliseconds delay, std::function<void()> on_expiry) override {
        return table_.start(delay, std::move(on_expiry));
    }
    void cancel(TimerId id) override { table_.cancel(id); }

    std::size_t running_timers() const { return table_.running(); }

private:
    phonecwmp::AsioTimerTable table_;
};

}  // namespace agent::sip
