// The DHCPv4 client state machine of RFC 2131 §4.4 (figure 5): INIT,
// SELECTING, REQUESTING, BOUND, RENEWING, REBINDING and INIT-REBOOT for a
// remembered address, with the randomised exponential retransmission of
// §4.1, the T1/T2/expiry timers of §4.4.5, DECLINE (§4.4.1) and RELEASE
// (§4.4.6). Pure logic: packets go through a Dhcpv4Transport, time and
// randomness come from a DhcpClientEnvironment. It never configures the
// interface; its owner (the network subsystem) applies what the events say.
// Runs on one thread; callbacks are invoked synchronously from it. The event
// handler may call stop(), decline() or renew(), but must not destroy the
// client (nor its transport or environment).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "dhcp/dhcp_client_environment.hpp"
#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_client_messages.hpp"
#include "dhcp/dhcpv4_lease.hpp"
#include "dhcp/dhcpv4_message.hpp"
#include "dhcp/dhcpv4_transport.hpp"

namespace agent::dhcp {

enum class Dhcpv4ClientState {
    Stopped,
    Init,
    Selecting,
    Requesting,
    InitReboot,
    Bound,
    Renewing,
    Rebinding,
};

const char* to_string(Dhcpv4ClientState state);

enum class Dhcpv4ClientEventKind {
    Acquired,        // bound from INIT or INIT-REBOOT, same address as before or none before
    AddressChanged,  // bound to an address other than the previous lease's
    Renewed,         // RENEWING or REBINDING extended the lease, same address
    Lost,            // expired, NAK, or declined: the address must not be used any more
};

const char* to_string(Dhcpv4ClientEventKind kind);

struct Dhcpv4ClientEvent {
    Dhcpv4ClientEventKind kind = Dhcpv4ClientEventKind::Acquired;
    // The new lease (all but Lost) or the lost one.
    Dhcpv4Lease lease;
    // The DHCPACK that granted the lease, with every option (ACS discovery,
    // ReqOption values); empty options for Lost.
    Dhcpv4Message reply;
    // The address held before, for AddressChanged.
    std::optional<address_v4> previous_address;
    // Why, for Lost ("lease expired", "DHCPNAK from 10.0.0.1: ...").
    std::string reason;
};

struct Dhcpv4ClientSettings {
    Dhcpv4ClientIdentity identity;
    // A lease kept across a restart: start in INIT-REBOOT to confirm it.
    std::optional<address_v4> remembered_address;
    // Transmissions of one message before giving up on that exchange
    // (RFC 2131 §4.1: 4, 8, 16, 32, 64 s between them).
    unsigned max_transmissions = 5;
    // After giving up on DISCOVER, and after a DECLINE (RFC 2131 §3.1 step
    // 5 asks for at least 10 s), wait this long before starting again.
    std::chrono::milliseconds restart_delay = std::chrono::seconds(10);
};

class Dhcpv4Client {
public:
    using EventHandler = std::function<void(const Dhcpv4ClientEvent&)>;

    // Fails when the identity is unusable (bad option 55, sizes).
    static Result<void> validate(const Dhcpv4ClientSettings& settings);

    Dhcpv4Client(Dhcpv4ClientSettings settings, Dhcpv4Transport& transport,
                 DhcpClientEnvironment& environment, EventHandler on_event);
    ~Dhcpv4Client();
    Dhcpv4Client(const Dhcpv4Client&) = delete;
    Dhcpv4Client& operator=(const Dhcpv4Client&) = delete;

    // INIT-REBOOT with a remembered address, else INIT. No-op unless Stopped.
    void start();
    // Releases a held lease (DHCPRELEASE to its server), cancels every
    // timer, closes the sockets. No event is reported.
    void stop();
    // The owner found the bound address in use (ARP): DHCPDECLINE, Lost,
    // and after restart_delay a new DISCOVER.
    void decline(const std::string& reason);
    // Renew now instead of at T1 (DHCP Timeout on Renewal); only in BOUND.
    void renew();

    Dhcpv4ClientState state() const { return state_; }
    const std::optional<Dhcpv4Lease>& lease() const { return lease_; }
    // Device.DHCPv4.Client.{i}.LeaseTimeRemaining: seconds left, -1 for an
    // infinite lease, 0 without a lease.
    std::int64_t lease_time_remaining() const;
    // Packets received and dropped (undecodable, for another client, wrong
    // type or server for the state); the reason of each is logged at debug.
    std::uint64_t dropped_packets() const { return dropped_packets_; }

private:
    using Clock = DhcpClientEnvironment::Clock;
    using Builder = std::function<Result<Dhcpv4Message>(Dhcpv4Transaction)>;
    enum class Route { Broadcast, Unicast };

    void enter_init(std::chrono::milliseconds delay);
    void send_discover();
    void enter_requesting(const Dhcpv4Message& offer, const Dhcpv4Lease& offered);
    void enter_init_reboot(address_v4 address);
    void enter_renewing();
    void enter_rebinding();
    void enter_bound(const Dhcpv4Message& ack, Dhcpv4Lease lease);
    void lose_lease(const std::string& reason, std::chrono::milliseconds restart_delay);

    // Starts an exchange: new message, first transmission, retransmission timer.
    // new_transaction: a fresh xid and secs count (all but the REQUEST
    // answering an offer).
    void begin_exchange(Builder builder, Route route, bool new_transaction);
    void transmit();
    void on_retransmission_timeout();
    void on_exchange_exhausted();
    std::chrono::milliseconds retransmission_delay() const;

    void on_packet(std::span<const std::uint8_t> payload);
    void drop(const std::string& reason);
    void on_offer(const Dhcpv4Message& message);
    void on_ack(const Dhcpv4Message& message);
    void on_nak(const Dhcpv4Message& message);

    void schedule_lease_timers();
    void cancel_exchange_timer();
    void cancel_lease_timers();
    void cancel_timer(DhcpClientEnvironment::TimerId& id);
    void send_release();
    std::uint16_t elapsed_seconds() const;

    Dhcpv4ClientSettings settings_;
    Dhcpv4Transport& transport_;
    DhcpClientEnvironment& environment_;
    EventHandler on_event_;

    Dhcpv4ClientState state_ = Dhcpv4ClientState::Stopped;
    std::optional<Dhcpv4Lease> lease_;
    Clock::time_point lease_start_{};
    // The server whose offer is being requested (REQUESTING).
    std::optional<address_v4> selected_server_;
    // The address the client held last, to tell Acquired from AddressChanged.
    std::optional<address_v4> previous_address_;

    // The exchange in progress.
    std::uint32_t xid_ = 0;
    Builder builder_;
    Route route_ = Route::Broadcast;
    unsigned transmissions_ = 0;
    Clock::time_point exchange_start_{};
    // When the request of the exchange was first sent; the lease starts then
    // (RFC 2131 §4.4.1).
    Clock::time_point request_sent_{};

    DhcpClientEnvironment::TimerId exchange_timer_ = 0;
    DhcpClientEnvironment::TimerId t1_timer_ = 0;
    DhcpClientEnvironment::TimerId t2_timer_ = 0;
    DhcpClientEnvironment::TimerId expiry_timer_ = 0;
    std::uint64_t dropped_packets_ = 0;
    unsigned consecutive_naks_ = 0;
};

}  // namespace agent::dhcp
