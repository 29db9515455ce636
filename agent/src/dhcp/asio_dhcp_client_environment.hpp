// DhcpClientEnvironment on the agent's io_context: steady_clock, timers of a
// phonecwmp::AsioTimerTable (callbacks run on the io_context thread), and a
// random source seeded from std::random_device.
#pragma once

#include <boost/asio/io_context.hpp>
#include <random>
#include <utility>

#include "dhcp/dhcp_client_environment.hpp"
#include "phonecwmp/asio_timer_table.hpp"

namespace agent::dhcp {

class AsioDhcpClientEnvironment final : public DhcpClientEnvironment {
public:
    explicit AsioDhcpClientEnvironment(boost::asio::io_context& io) : timers_(io) {}

    Clock::time_point now() const override { return Clock::now(); }
    TimerId start_timer(std::chrono::milliseconds delay, std::function<void()> on_expiry) override {
        return timers_.start(delay, std::move(on_expiry));
    }
    void cancel_timer(TimerId id) override { timers_.cancel(id); }
    std::uint32_t random_u32() override { return random_(); }

private:
    phonecwmp::AsioTimerTable timers_;
    std::mt19937 random_{std::random_device{}()};
};

}  // namespace agent::dhcp
