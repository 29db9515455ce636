#include "sip/asio_transaction_timers.hpp"

#include <utility>

namespace agent::sip {

AsioTransactionTimers::AsioTransactionTimers(boost::asio::io_context& io) : io_(io) {}

AsioTransactionTimers::~AsioTransactionTimers() {
    alive_.reset();
    timers_.clear();  // destroying a steady_timer cancels its wait
}

TransactionTimers::TimerId AsioTransactionTimers::start(std::chrono::milliseconds delay,
                                                        std::function<void()> on_expiry) {
    const TimerId id = next_id_++;
    auto timer = std::make_unique<boost::asio::steady_timer>(io_, delay);
    timer->async_wait([this, id, alive = std::weak_ptr<char>(alive_),
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

void AsioTransactionTimers::cancel(TimerId id) {
    timers_.erase(id);
}

}  // namespace agent::sip
