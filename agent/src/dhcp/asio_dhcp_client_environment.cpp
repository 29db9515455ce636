#include "dhcp/asio_dhcp_client_environment.hpp"

#include <utility>

namespace agent::dhcp {

AsioDhcpClientEnvironment::AsioDhcpClientEnvironment(boost::asio::io_context& io) : io_(io) {}

AsioDhcpClientEnvironment::~AsioDhcpClientEnvironment() {
    alive_.reset();
    timers_.clear();
}

DhcpClientEnvironment::TimerId AsioDhcpClientEnvironment::start_timer(
    std::chrono::milliseconds delay, std::function<void()> on_expiry) {
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

void AsioDhcpClientEnvironment::cancel_timer(TimerId id) {
    timers_.erase(id);
}

}  // namespace agent::dhcp
