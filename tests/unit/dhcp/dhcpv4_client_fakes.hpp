// Test doubles for the DHCPv4 client: a manual clock with timers that fire
// only when the test advances time, and a transport that records what the
// client sends and lets the test play the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "dhcp/dhcp_client_environment.hpp"
#include "dhcp/dhcpv4_codec.hpp"
#include "dhcp/dhcpv4_transport.hpp"

namespace dhcp_test {

using agent::dhcp::address_v4;
using agent::dhcp::Bytes;

class ManualEnvironment final : public agent::dhcp::DhcpClientEnvironment {
public:
    Clock::time_point now() const override { return now_; }

    TimerId start_timer(std::chrono::milliseconds delay, std::function<void()> on_expiry) override {
        const TimerId id = next_id_++;
        timers_.emplace(id, Timer{now_ + delay, std::move(on_expiry)});
        return id;
    }
    void cancel_timer(TimerId id) override { timers_.erase(id); }
    std::uint32_t random_u32() override { return random_value; }

    // Moves time forward by `step`, firing due timers in order of due time
    // (then start order); bounded so a timer loop fails instead of hanging.
    void advance(std::chrono::milliseconds step) {
        const auto target = now_ + step;
        for (int fired = 0; fired < 10000; ++fired) {
            auto next = timers_.end();
            for (auto it = timers_.begin(); it != timers_.end(); ++it) {
                if (it->second.due <= target &&
                    (next == timers_.end() || it->second.due < next->second.due)) {
                    next = it;
                }
            }
            if (next == timers_.end()) {
                now_ = target;
                return;
            }
            now_ = std::max(now_, next->second.due);
            auto callback = std::move(next->second.callback);
            timers_.erase(next);
            callback();
        }
        throw std::runtime_error("more than 10000 timers fired in one advance()");
    }

    std::size_t running_timers() const { return timers_.size(); }

    // 1000 makes the ±1 s retransmission jitter exactly 0.
    std::uint32_t random_value = 1000;

private:
    struct Timer {
        Clock::time_point due;
        std::function<void()> callback;
    };
    Clock::time_point now_{std::chrono::hours(1000)};
    std::map<TimerId, Timer> timers_;
    TimerId next_id_ = 1;
};

struct SentPacket {
    agent::dhcp::Dhcpv4Message message;
    bool broadcast = false;
    address_v4 source;  // broadcast: IP source; unicast: the bound local address
    address_v4 server;  // unicast only
    ManualEnvironment::Clock::time_point at;
};

class FakeTransport final : public agent::dhcp::Dhcpv4Transport {
public:
    explicit FakeTransport(const ManualEnvironment& environment) : environment_(environment) {}

    void set_receiver(Receiver receiver) override { receiver_ = std::move(receiver); }
    agent::dhcp::Result<void> open_link() override {
        if (fail_link)
            return agent::dhcp::dhcp_error(agent::dhcp::DhcpErrorKind::Invalid, "no link");
        link_open = true;
        return {};
    }
    void close_link() override { link_open = false; }
    agent::dhcp::Result<void> send_broadcast(std::span<const std::uint8_t> payload,
                                             address_v4 source) override {
        if (!link_open) throw std::logic_error("broadcast without open_link()");
        record(payload, true, source, address_v4());
        return {};
    }
    agent::dhcp::Result<void> open_unicast(address_v4 local) override {
        if (fail_unicast) {
            return agent::dhcp::dhcp_error(agent::dhcp::DhcpErrorKind::Invalid,
                                           "bind: Cannot assign requested address");
        }
        unicast_address = local;
        return {};
    }
    void close_unicast() override { unicast_address.reset(); }
    agent::dhcp::Result<void> send_unicast(std::span<const std::uint8_t> payload,
                                           address_v4 server) override {
        if (!unicast_address) throw std::logic_error("unicast without open_unicast()");
        record(payload, false, *unicast_address, server);
        return {};
    }

    // Plays a server's reply into the client.
    void deliver(const Bytes& payload) {
        if (receiver_) receiver_(payload);
    }

    std::vector<SentPacket> sent;
    bool link_open = false;
    std::optional<address_v4> unicast_address;
    bool fail_unicast = false;
    bool fail_link = false;

private:
    void record(std::span<const std::uint8_t> payload, bool broadcast, address_v4 source,
                address_v4 server) {
        auto message = agent::dhcp::decode_dhcpv4(payload);
        if (!message) throw std::logic_error("client sent an undecodable message");
        sent.push_back(SentPacket{*message, broadcast, source, server, environment_.now()});
    }

    const ManualEnvironment& environment_;
    Receiver receiver_;
};

}  // namespace dhcp_test
