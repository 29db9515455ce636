// The DHCPv6 client of RFC 8415 for one IA_NA: SOLICIT (collecting
// ADVERTISEs for the first retransmission time, or taking one with
// preference 255 at once), REQUEST, BOUND, RENEW at T1 to the bound server,
// REBIND at T2 to any server, expiry when every valid lifetime has run out;
// the retransmission of §15 (IRT/MRT/MRC/MRD per message type, ±0.1
// randomisation) on the injected clock and random source; status codes
// NoAddrsAvail, NoBinding (→ REQUEST again), UseMulticast; DECLINE on demand
// and RELEASE on stop. Pure logic over a Dhcpv6Transport and a
// DhcpClientEnvironment, like Dhcpv4Client; its owner applies the leases and
// runs parse_acs_dhcpv6 on `event.reply`. Runs on one thread; the event
// handler may call stop(), decline() or renew() but must not destroy it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dhcp/dhcp_client_environment.hpp"
#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv6_client_messages.hpp"
#include "dhcp/dhcpv6_lease.hpp"
#include "dhcp/dhcpv6_message.hpp"
#include "dhcp/dhcpv6_transport.hpp"

namespace agent::dhcp {

enum class Dhcpv6ClientState {
    Stopped,
    Soliciting,
    Requesting,
    Bound,
    Renewing,
    Rebinding,
    Declining,
};

const char* to_string(Dhcpv6ClientState state);

enum class Dhcpv6ClientEventKind {
    Acquired,        // bound after SOLICIT/REQUEST, same first address as before or none before
    AddressChanged,  // bound to a first address other than the previous lease's
    Renewed,         // RENEW or REBIND extended the lease, same first address
    Lost,            // expired, refused, or declined: the addresses must not be used any more
};

const char* to_string(Dhcpv6ClientEventKind kind);

struct Dhcpv6ClientEvent {
    Dhcpv6ClientEventKind kind = Dhcpv6ClientEventKind::Acquired;
    // The new lease (all but Lost: addresses, DNS 23, NTP 56) or the lost one.
    Dhcpv6Lease lease;
    // The REPLY that granted the lease, with every option (option 17 for ACS
    // discovery); no options for Lost.
    Dhcpv6Message reply;
    std::optional<address_v6> previous_address;  // AddressChanged
    std::string reason;                          // Lost
};

// RFC 8415 §15 retransmission parameters of one message type; 0 = no limit.
struct Dhcpv6Retransmission {
    std::chrono::milliseconds initial;   // IRT
    std::chrono::milliseconds maximum;   // MRT
    unsigned max_count = 0;              // MRC
    std::chrono::milliseconds duration;  // MRD (RENEW/REBIND: until T2 / expiry instead)
};

struct Dhcpv6ClientSettings {
    Dhcpv6ClientIdentity identity;
    // RFC 8415 §7.6 defaults; tests and deployments may shorten them.
    std::chrono::milliseconds solicit_max_delay = std::chrono::seconds(1);  // SOL_MAX_DELAY
    Dhcpv6Retransmission solicit{std::chrono::seconds(1), std::chrono::seconds(3600), 0, {}};
    Dhcpv6Retransmission request{std::chrono::seconds(1), std::chrono::seconds(30), 10, {}};
    Dhcpv6Retransmission renew{std::chrono::seconds(10), std::chrono::seconds(600), 0, {}};
    Dhcpv6Retransmission rebind{std::chrono::seconds(10), std::chrono::seconds(600), 0, {}};
    Dhcpv6Retransmission decline{std::chrono::seconds(1), {}, 4, {}};
    // After NoAddrsAvail, an exhausted REQUEST or a DECLINE, wait this long
    // before soliciting again, so a refusing server is not flooded.
    std::chrono::milliseconds restart_delay = std::chrono::seconds(10);
    // Until the interface has its link-local address (it appears with the
    // link and DAD keeps it tentative for about a second), try this often.
    std::chrono::milliseconds open_retry_delay = std::chrono::seconds(1);
};

class Dhcpv6Client {
public:
    using EventHandler = std::function<void(const Dhcpv6ClientEvent&)>;

    static Result<void> validate(const Dhcpv6ClientSettings& settings);

    Dhcpv6Client(Dhcpv6ClientSettings settings, Dhcpv6Transport& transport,
                 DhcpClientEnvironment& environment, EventHandler on_event);
    ~Dhcpv6Client();
    Dhcpv6Client(const Dhcpv6Client&) = delete;
    Dhcpv6Client& operator=(const Dhcpv6Client&) = delete;

    // SOLICIT after a random delay of up to solicit_max_delay. No-op unless Stopped.
    void start();
    // RELEASE of a held lease (one transmission: the client is going away),
    // cancels every timer, closes the socket. No event is reported.
    void stop();
    // The owner found the address in use (DAD): DECLINE (retransmitted per
    // §15), Lost now, SOLICIT again restart_delay after the DECLINE ends.
    void decline(const std::string& reason);
    // RENEW now instead of at T1; only in BOUND.
    void renew();

    Dhcpv6ClientState state() const { return state_; }
    const std::optional<Dhcpv6Lease>& lease() const { return lease_; }
    // Seconds until the last valid lifetime ends, -1 for infinite, 0 without a lease.
    std::int64_t lease_time_remaining() const;
    std::uint64_t dropped_packets() const { return dropped_packets_; }

private:
    using Clock = DhcpClientEnvironment::Clock;
    using Builder = std::function<Result<Dhcpv6Message>(Dhcpv6Transaction)>;

    struct Candidate {
        Dhcpv6Message advertise;
        Dhcpv6Lease lease;
    };

    void schedule_solicit(std::chrono::milliseconds delay);
    void enter_soliciting();
    void enter_requesting(const Dhcpv6Lease& advertised);
    void enter_renewing();
    void enter_rebinding();
    void enter_bound(const Dhcpv6Message& reply, Dhcpv6Lease lease);
    void lose_lease(const std::string& reason, std::chrono::milliseconds restart_delay);

    void begin_exchange(Dhcpv6ClientState state, Builder builder,
                        const Dhcpv6Retransmission& parameters);
    void transmit();
    void on_retransmission_timeout();
    void on_exchange_exhausted();
    std::chrono::milliseconds next_retransmission_time();
    // The moment RENEW (T2) or REBIND (expiry) must stop, if any.
    std::optional<Clock::time_point> exchange_deadline() const;

    void on_packet(std::span<const std::uint8_t> payload);
    void drop(const std::string& reason);
    void on_advertise(const Dhcpv6Message& message, Dhcpv6Lease advertised);
    void select_best_advertise();
    void on_reply(const Dhcpv6Message& message, Dhcpv6Lease reply);

    void schedule_lease_timers();
    void cancel_timer(DhcpClientEnvironment::TimerId& id);
    void cancel_lease_timers();
    void send_release();
    std::vector<address_v6> lease_addresses() const;
    std::optional<address_v6> unicast_destination() const;

    Dhcpv6ClientSettings settings_;
    Dhcpv6Transport& transport_;
    DhcpClientEnvironment& environment_;
    EventHandler on_event_;

    Dhcpv6ClientState state_ = Dhcpv6ClientState::Stopped;
    std::optional<Dhcpv6Lease> lease_;
    Clock::time_point lease_start_{};
    std::optional<address_v6> previous_address_;
    // The server being requested or bound to, its unicast address if it
    // offered one (option 12), and whether it told us to use multicast.
    Bytes server_duid_;
    std::optional<address_v6> server_unicast_;
    std::optional<Candidate> best_advertise_;
    bool first_solicit_rt_elapsed_ = false;

    // The exchange in progress.
    std::uint32_t transaction_id_ = 0;
    Builder builder_;
    Dhcpv6Retransmission parameters_{};
    unsigned transmissions_ = 0;
    std::chrono::milliseconds retransmission_time_{0};
    Clock::time_point exchange_start_{};

    DhcpClientEnvironment::TimerId exchange_timer_ = 0;
    DhcpClientEnvironment::TimerId t1_timer_ = 0;
    DhcpClientEnvironment::TimerId t2_timer_ = 0;
    DhcpClientEnvironment::TimerId expiry_timer_ = 0;
    std::uint64_t dropped_packets_ = 0;
};

}  // namespace agent::dhcp
