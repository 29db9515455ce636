// Test double for the DHCPv6 client's transport: records what the client
// sends (multicast or unicast to which server) and lets the test play the
// server. The manual clock is the DHCPv4 one (dhcpv4_client_fakes.hpp).
#pragma once

#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "dhcp/dhcpv6_codec.hpp"
#include "dhcp/dhcpv6_transport.hpp"
#include "dhcpv4_client_fakes.hpp"

namespace dhcp_test {

using agent::dhcp::address_v6;

struct SentV6Packet {
    agent::dhcp::Dhcpv6Message message;
    std::optional<address_v6> unicast_to;  // nullopt: ff02::1:2
    ManualEnvironment::Clock::time_point at;
};

class FakeV6Transport final : public agent::dhcp::Dhcpv6Transport {
public:
    explicit FakeV6Transport(const ManualEnvironment& environment) : environment_(environment) {}

    void set_receiver(Receiver receiver) override { receiver_ = std::move(receiver); }
    agent::dhcp::Result<void> open() override {
        if (fail_open) {
            return agent::dhcp::dhcp_error(agent::dhcp::DhcpErrorKind::Invalid,
                                           "interface has no IPv6 link-local address");
        }
        open_ = true;
        return {};
    }
    void close() override { open_ = false; }
    agent::dhcp::Result<void> send_multicast(std::span<const std::uint8_t> payload) override {
        record(payload, std::nullopt);
        return {};
    }
    agent::dhcp::Result<void> send_unicast(std::span<const std::uint8_t> payload,
                                           address_v6 server) override {
        record(payload, server);
        return {};
    }

    void deliver(const agent::dhcp::Bytes& payload) {
        if (receiver_) receiver_(payload);
    }
    bool is_open() const { return open_; }

    std::vector<SentV6Packet> sent;
    bool fail_open = false;

private:
    void record(std::span<const std::uint8_t> payload, std::optional<address_v6> to) {
        if (!open_) throw std::logic_error("DHCPv6 send on a closed socket");
        auto message = agent::dhcp::decode_dhcpv6(payload);
        if (!message) throw std::logic_error("client sent an undecodable DHCPv6 message");
        sent.push_back(SentV6Packet{*message, to, environment_.now()});
    }

    const ManualEnvironment& environment_;
    Receiver receiver_;
    bool open_ = false;
};

}  // namespace dhcp_test
