// DhcpClientEnvironment on the agent's io_context: steady_clock, one
// steady_timer per running timer (callbacks run on the io_context thread),
// and a random source seeded from std::random_device.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <random>
#include <unordered_map>

#include "dhcp/dhcp_client_environment.hpp"

namespace agent::dhcp {

class AsioDhcpClientEnvironment final : public DhcpClientEnvironment {
public:
    explicit AsioDhcpClientEnvironment(boost::asio::io_context& io);
    // Cancels every timer; none of their callbacks runs afterwards.
    ~AsioDhcpClientEnvironment() override;
    AsioDhcpClientEnvironment(const AsioDhcpClientEnvironment&) = delete;
    AsioDhcpClientEnvironment& operator=(const AsioDhcpClientEnvironment&) = delete;

    Clock::time_point now() const override { return Clock::now(); }
    TimerId start_timer(std::chrono::milliseconds delay, std::function<void()> on_expiry) override;
    void cancel_timer(TimerId id) override;
    std::uint32_t random_u32() override { return random_(); }

private:
    boost::asio::io_context& io_;
    std::unordered_map<TimerId, std::unique_ptr<boost::asio::steady_timer>> timers_;
    TimerId next_id_ = 1;
    std::mt19937 random_{std::random_device{}()};
    // Completion handlers of cancelled waits still run later (with
    // operation_aborted); they check this before touching the object.
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace agent::dhcp
