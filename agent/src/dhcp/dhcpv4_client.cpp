#include "dhcp/dhcpv4_client.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "dhcp/dhcpv4_codec.hpp"

namespace agent::dhcp {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

// RFC 2131 §4.1: the first retransmission after 4 s, doubling up to 64 s,
// each randomised by ±1 s so clients that started together spread out.
constexpr milliseconds kFirstRetransmission = seconds(4);
constexpr milliseconds kLongestRetransmission = seconds(64);
constexpr std::int64_t kJitterMilliseconds = 1000;
// RFC 2131 §4.4.5: in RENEWING and REBINDING wait half the time left to T2
// (resp. expiry), but at least 60 s.
constexpr milliseconds kMinimumRenewalRetransmission = seconds(60);

std::optional<address_v4> server_identifier(const Dhcpv4Message& message) {
    const Bytes* id = message.find(dhcpv4_option::kServerIdentifier);
    if (id == nullptr || id->size() != 4) return std::nullopt;
    return address_v4(address_v4::bytes_type{(*id)[0], (*id)[1], (*id)[2], (*id)[3]});
}

// For log lines.
std::string server_of(const Dhcpv4Message& message) {
    const auto id = server_identifier(message);
    return id ? id->to_string() : "a server without option 54";
}

// Option 56 text, printable characters only: it goes into a log line.
std::string nak_message(const Dhcpv4Message& message) {
    const Bytes* text = message.find(dhcpv4_option::kMessage);
    if (text == nullptr) return {};
    std::string printable;
    for (std::uint8_t c : *text) {
        if (printable.size() >= 128) break;
        printable.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    }
    return printable;
}

milliseconds until(DhcpClientEnvironment::Clock::time_point from,
                   DhcpClientEnvironment::Clock::time_point to) {
    return to > from ? duration_cast<milliseconds>(to - from) : milliseconds(0);
}

}  // namespace

const char* to_string(Dhcpv4ClientState state) {
    switch (state) {
        case Dhcpv4ClientState::Stopped:
            return "STOPPED";
        case Dhcpv4ClientState::Init:
            return "INIT";
        case Dhcpv4ClientState::Selecting:
            return "SELECTING";
        case Dhcpv4ClientState::Requesting:
            return "REQUESTING";
        case Dhcpv4ClientState::InitReboot:
            return "INIT-REBOOT";
        case Dhcpv4ClientState::Bound:
            return "BOUND";
        case Dhcpv4ClientState::Renewing:
            return "RENEWING";
        case Dhcpv4ClientState::Rebinding:
            return "REBINDING";
    }
    return "?";
}

const char* to_string(Dhcpv4ClientEventKind kind) {
    switch (kind) {
        case Dhcpv4ClientEventKind::Acquired:
            return "acquired";
        case Dhcpv4ClientEventKind::AddressChanged:
            return "address-changed";
        case Dhcpv4ClientEventKind::Renewed:
            return "renewed";
        case Dhcpv4ClientEventKind::Lost:
            return "lost";
    }
    return "?";
}

Result<void> Dhcpv4Client::validate(const Dhcpv4ClientSettings& settings) {
    if (settings.max_transmissions == 0 || settings.max_transmissions > 16) {
        return dhcp_error(DhcpErrorKind::Invalid, fmt::format("max_transmissions {} outside 1..16",
                                                              settings.max_transmissions));
    }
    return validate_dhcpv4_client_identity(settings.identity);
}

Dhcpv4Client::Dhcpv4Client(Dhcpv4ClientSettings settings, Dhcpv4Transport& transport,
                           DhcpClientEnvironment& environment, EventHandler on_event)
    : settings_(std::move(settings)),
      transport_(transport),
      environment_(environment),
      on_event_(std::move(on_event)),
      previous_address_(settings_.remembered_address) {
    transport_.set_receiver([this](std::span<const std::uint8_t> payload) { on_packet(payload); });
}

Dhcpv4Client::~Dhcpv4Client() {
    cancel_exchange_timer();
    cancel_lease_timers();
    transport_.set_receiver({});
    transport_.close_unicast();
    transport_.close_link();
}

void Dhcpv4Client::start() {
    if (state_ != Dhcpv4ClientState::Stopped) return;
    if (settings_.remembered_address) {
        enter_init_reboot(*settings_.remembered_address);
    } else {
        enter_init(milliseconds(0));
    }
}

void Dhcpv4Client::stop() {
    if (state_ == Dhcpv4ClientState::Stopped) return;
    if (lease_) send_release();
    cancel_exchange_timer();
    cancel_lease_timers();
    transport_.close_unicast();
    transport_.close_link();
    lease_.reset();
    state_ = Dhcpv4ClientState::Stopped;
}

void Dhcpv4Client::decline(const std::string& reason) {
    if (!lease_ || state_ == Dhcpv4ClientState::Stopped) return;
    const Dhcpv4Lease declined = *lease_;
    if (auto opened = transport_.open_link(); !opened) {
        spdlog::warn("DHCPv4: cannot send DHCPDECLINE for {}: {}", declined.address.to_string(),
                     opened.error().message);
    } else {
        auto message = build_dhcpv4_decline(settings_.identity,
                                            Dhcpv4Transaction{environment_.random_u32(), 0},
                                            declined.address, declined.server_identifier);
        auto packet = message ? encode_dhcpv4(*message)
                              : Result<Bytes>(phonecwmp::Unexpected(message.error()));
        auto sent = packet ? transport_.send_broadcast(*packet, address_v4::any())
                           : Result<void>(phonecwmp::Unexpected(packet.error()));
        if (!sent) spdlog::warn("DHCPv4: DHCPDECLINE not sent: {}", sent.error().message);
    }
    // The server has marked the address unusable; asking for it again would
    // only get it refused.
    previous_address_.reset();
    lose_lease(fmt::format("declined {}: {}", declined.address.to_string(), reason),
               settings_.restart_delay);
}

void Dhcpv4Client::renew() {
    if (state_ != Dhcpv4ClientState::Bound || !lease_) return;
    cancel_timer(t1_timer_);
    enter_renewing();
}

std::int64_t Dhcpv4Client::lease_time_remaining() const {
    if (!lease_) return 0;
    if (lease_->lease_time == kInfiniteLeaseTime) return -1;
    const auto expiry = lease_start_ + seconds(lease_->lease_time);
    return std::chrono::duration_cast<seconds>(until(environment_.now(), expiry)).count();
}

void Dhcpv4Client::enter_init(milliseconds delay) {
    cancel_exchange_timer();
    transport_.close_unicast();
    state_ = Dhcpv4ClientState::Init;
    if (delay.count() == 0) {
        send_discover();
        return;
    }
    exchange_timer_ = environment_.start_timer(delay, [this] {
        exchange_timer_ = 0;
        send_discover();
    });
}

void Dhcpv4Client::send_discover() {
    if (auto opened = transport_.open_link(); !opened) {
        spdlog::error("DHCPv4: cannot open the link-level socket: {}; retrying in {} ms",
                      opened.error().message, settings_.restart_delay.count());
        state_ = Dhcpv4ClientState::Init;
        exchange_timer_ = environment_.start_timer(settings_.restart_delay, [this] {
            exchange_timer_ = 0;
            send_discover();
        });
        return;
    }
    state_ = Dhcpv4ClientState::Selecting;
    selected_server_.reset();
    const auto requested = previous_address_;
    begin_exchange(
        [this, requested](Dhcpv4Transaction transaction) {
            return build_dhcpv4_discover(settings_.identity, transaction, requested);
        },
        Route::Broadcast, true);
}

void Dhcpv4Client::enter_requesting(const Dhcpv4Message& offer, const Dhcpv4Lease& offered) {
    state_ = Dhcpv4ClientState::Requesting;
    selected_server_ = offered.server_identifier;
    spdlog::debug("DHCPv4: offer of {} from {}", offer.yiaddr.to_string(),
                  offered.server_identifier.to_string());
    const address_v4 address = offered.address;
    const address_v4 server = offered.server_identifier;
    // RFC 2131 table 5: the REQUEST answering an offer keeps its xid and secs.
    begin_exchange(
        [this, address, server](Dhcpv4Transaction transaction) {
            return build_dhcpv4_request_selecting(settings_.identity, transaction, address, server);
        },
        Route::Broadcast, false);
}

void Dhcpv4Client::enter_init_reboot(address_v4 address) {
    if (auto opened = transport_.open_link(); !opened) {
        spdlog::error("DHCPv4: cannot open the link-level socket: {}", opened.error().message);
        enter_init(settings_.restart_delay);
        return;
    }
    state_ = Dhcpv4ClientState::InitReboot;
    begin_exchange(
        [this, address](Dhcpv4Transaction transaction) {
            return build_dhcpv4_request_init_reboot(settings_.identity, transaction, address);
        },
        Route::Broadcast, true);
}

void Dhcpv4Client::enter_renewing() {
    state_ = Dhcpv4ClientState::Renewing;
    cancel_exchange_timer();
    const address_v4 address = lease_->address;
    if (auto opened = transport_.open_unicast(address); !opened) {
        // Without the unicast socket the broadcast of REBINDING at T2 is
        // the only way left; nothing is sent until then.
        spdlog::warn("DHCPv4: no UDP socket on {} to renew ({}); rebinding at T2",
                     address.to_string(), opened.error().message);
        return;
    }
    begin_exchange(
        [this, address](Dhcpv4Transaction transaction) {
            return build_dhcpv4_request_renewing(settings_.identity, transaction, address);
        },
        Route::Unicast, true);
}

void Dhcpv4Client::enter_rebinding() {
    state_ = Dhcpv4ClientState::Rebinding;
    cancel_exchange_timer();
    transport_.close_unicast();
    if (auto opened = transport_.open_link(); !opened) {
        spdlog::error("DHCPv4: cannot open the link-level socket to rebind: {}",
                      opened.error().message);
        return;  // the expiry timer still ends the lease
    }
    const address_v4 address = lease_->address;
    begin_exchange(
        [this, address](Dhcpv4Transaction transaction) {
            return build_dhcpv4_request_rebinding(settings_.identity, transaction, address);
        },
        Route::Broadcast, true);
}

void Dhcpv4Client::enter_bound(const Dhcpv4Message& ack, Dhcpv4Lease lease) {
    const bool extending =
        state_ == Dhcpv4ClientState::Renewing || state_ == Dhcpv4ClientState::Rebinding;
    Dhcpv4ClientEvent event;
    if (previous_address_ && *previous_address_ != lease.address) {
        event.kind = Dhcpv4ClientEventKind::AddressChanged;
        event.previous_address = previous_address_;
    } else {
        event.kind = extending ? Dhcpv4ClientEventKind::Renewed : Dhcpv4ClientEventKind::Acquired;
    }
    for (const auto& reason : lease.ignored) {
        spdlog::warn("DHCPv4: ACK from {}: {}", lease.server_identifier.to_string(), reason);
    }
    cancel_exchange_timer();
    cancel_lease_timers();
    transport_.close_unicast();
    transport_.close_link();
    consecutive_naks_ = 0;
    lease_start_ = request_sent_;
    lease_ = lease;
    previous_address_ = lease.address;
    state_ = Dhcpv4ClientState::Bound;
    schedule_lease_timers();
    spdlog::info("DHCPv4: {} {}/{} from {} for {} s", to_string(event.kind),
                 lease.address.to_string(), lease.subnet_mask.to_string(),
                 lease.server_identifier.to_string(), lease.lease_time);
    event.lease = std::move(lease);
    event.reply = ack;
    if (on_event_) on_event_(event);
}

void Dhcpv4Client::lose_lease(const std::string& reason, milliseconds restart_delay) {
    Dhcpv4ClientEvent event;
    event.kind = Dhcpv4ClientEventKind::Lost;
    event.reason = reason;
    if (lease_) event.lease = *lease_;
    spdlog::warn("DHCPv4: lease of {} lost: {}", event.lease.address.to_string(), reason);
    cancel_lease_timers();
    lease_.reset();
    enter_init(restart_delay);
    if (on_event_) on_event_(event);
}

void Dhcpv4Client::begin_exchange(Builder builder, Route route, bool new_transaction) {
    cancel_exchange_timer();
    if (new_transaction) {
        xid_ = environment_.random_u32();
        exchange_start_ = environment_.now();
    }
    builder_ = std::move(builder);
    route_ = route;
    transmissions_ = 0;
    transmit();
}

void Dhcpv4Client::transmit() {
    const auto now = environment_.now();
    if (transmissions_ == 0) request_sent_ = now;
    ++transmissions_;
    auto message = builder_(Dhcpv4Transaction{xid_, elapsed_seconds()});
    if (!message) {
        spdlog::error("DHCPv4: cannot build the {} message: {}", to_string(state_),
                      message.error().message);
    } else if (auto packet = encode_dhcpv4(*message); !packet) {
        spdlog::error("DHCPv4: cannot encode the {} message: {}", to_string(state_),
                      packet.error().message);
    } else {
        auto sent = route_ == Route::Unicast
                        ? transport_.send_unicast(*packet, lease_->server_identifier)
                        : transport_.send_broadcast(*packet, state_ == Dhcpv4ClientState::Rebinding
                                                                 ? lease_->address
                                                                 : address_v4::any());
        if (!sent) {
            // The retransmission below tries again.
            spdlog::warn("DHCPv4: {} send failed: {}", to_string(state_), sent.error().message);
        }
    }
    exchange_timer_ = environment_.start_timer(retransmission_delay(), [this] {
        exchange_timer_ = 0;
        on_retransmission_timeout();
    });
}

milliseconds Dhcpv4Client::retransmission_delay() const {
    const auto now = environment_.now();
    if (state_ == Dhcpv4ClientState::Renewing || state_ == Dhcpv4ClientState::Rebinding) {
        const auto end =
            lease_start_ + seconds(state_ == Dhcpv4ClientState::Renewing ? lease_->rebinding_time
                                                                         : lease_->lease_time);
        // Past T2 (resp. expiry) the lease timer has already moved on.
        return std::max(until(now, end) / 2, kMinimumRenewalRetransmission);
    }
    const unsigned doublings = std::min(transmissions_ - 1, 4U);
    const milliseconds base =
        std::min(kFirstRetransmission * (1 << doublings), kLongestRetransmission);
    const auto jitter =
        static_cast<std::int64_t>(environment_.random_u32() % (2 * kJitterMilliseconds + 1)) -
        kJitterMilliseconds;
    return base + milliseconds(jitter);
}

void Dhcpv4Client::on_retransmission_timeout() {
    const bool bounded = state_ == Dhcpv4ClientState::Selecting ||
                         state_ == Dhcpv4ClientState::Requesting ||
                         state_ == Dhcpv4ClientState::InitReboot;
    if (bounded && transmissions_ >= settings_.max_transmissions) {
        on_exchange_exhausted();
        return;
    }
    transmit();
}

void Dhcpv4Client::on_exchange_exhausted() {
    switch (state_) {
        case Dhcpv4ClientState::Selecting:
            spdlog::warn("DHCPv4: no DHCPOFFER after {} DHCPDISCOVERs; trying again in {} ms",
                         transmissions_, settings_.restart_delay.count());
            enter_init(settings_.restart_delay);
            break;
        case Dhcpv4ClientState::Requesting:
            spdlog::warn("DHCPv4: no answer from {} to {} DHCPREQUESTs; back to INIT",
                         selected_server_ ? selected_server_->to_string() : "?", transmissions_);
            enter_init(milliseconds(0));
            break;
        case Dhcpv4ClientState::InitReboot:
            spdlog::warn("DHCPv4: no answer confirming {}; back to INIT",
                         previous_address_ ? previous_address_->to_string() : "?");
            enter_init(milliseconds(0));
            break;
        default:
            break;
    }
}

std::uint16_t Dhcpv4Client::elapsed_seconds() const {
    const auto elapsed =
        std::chrono::duration_cast<seconds>(environment_.now() - exchange_start_).count();
    return static_cast<std::uint16_t>(std::clamp<std::int64_t>(elapsed, 0, 0xffff));
}

void Dhcpv4Client::drop(const std::string& reason) {
    ++dropped_packets_;
    spdlog::debug("DHCPv4 ({}): packet dropped: {}", to_string(state_), reason);
}

void Dhcpv4Client::on_packet(std::span<const std::uint8_t> payload) {
    switch (state_) {
        case Dhcpv4ClientState::Selecting:
        case Dhcpv4ClientState::Requesting:
        case Dhcpv4ClientState::InitReboot:
        case Dhcpv4ClientState::Renewing:
        case Dhcpv4ClientState::Rebinding:
            break;
        default:
            drop("no exchange in progress");
            return;
    }
    auto message = decode_dhcpv4(payload);
    if (!message) {
        drop(message.error().message);
        return;
    }
    auto type = classify_dhcpv4_reply(*message, xid_, settings_.identity.hardware_address);
    if (!type) {
        drop(type.error().message);
        return;
    }
    switch (*type) {
        case Dhcpv4MessageType::Offer:
            on_offer(*message);
            break;
        case Dhcpv4MessageType::Ack:
            on_ack(*message);
            break;
        case Dhcpv4MessageType::Nak:
            on_nak(*message);
            break;
        default:
            drop(fmt::format("{} is not a server reply", to_string(*type)));
            break;
    }
}

void Dhcpv4Client::on_offer(const Dhcpv4Message& message) {
    if (state_ != Dhcpv4ClientState::Selecting) {
        drop(fmt::format("DHCPOFFER from {} in {}", server_of(message), to_string(state_)));
        return;
    }
    auto offered = lease_from_dhcpv4_reply(message);
    if (!offered) {
        drop(fmt::format("DHCPOFFER from {}: {}", server_of(message), offered.error().message));
        return;
    }
    enter_requesting(message, *offered);
}

void Dhcpv4Client::on_ack(const Dhcpv4Message& message) {
    if (state_ == Dhcpv4ClientState::Selecting) {
        drop(fmt::format("DHCPACK from {} in SELECTING", server_of(message)));
        return;
    }
    // REQUESTING accepts only the selected server, RENEWING only the
    // lease's server (it was asked by unicast); REBINDING and INIT-REBOOT
    // asked every server.
    std::optional<address_v4> expected;
    if (state_ == Dhcpv4ClientState::Requesting) expected = selected_server_;
    if (state_ == Dhcpv4ClientState::Renewing) expected = lease_->server_identifier;
    if (expected && server_identifier(message) != expected) {
        drop(fmt::format("DHCPACK from {} while waiting for {}", server_of(message),
                         expected->to_string()));
        return;
    }
    auto lease = lease_from_dhcpv4_reply(message);
    if (!lease) {
        drop(fmt::format("DHCPACK from {}: {}", server_of(message), lease.error().message));
        return;
    }
    enter_bound(message, std::move(*lease));
}

void Dhcpv4Client::on_nak(const Dhcpv4Message& message) {
    if (state_ == Dhcpv4ClientState::Selecting) {
        drop(fmt::format("DHCPNAK from {} in SELECTING", server_of(message)));
        return;
    }
    std::optional<address_v4> expected;
    if (state_ == Dhcpv4ClientState::Requesting) expected = selected_server_;
    if (state_ == Dhcpv4ClientState::Renewing) expected = lease_->server_identifier;
    if (expected && server_identifier(message) && server_identifier(message) != expected) {
        drop(fmt::format("DHCPNAK from {} while waiting for {}", server_of(message),
                         expected->to_string()));
        return;
    }
    const std::string text = nak_message(message);
    const std::string reason = fmt::format("DHCPNAK from {} in {}{}{}", server_of(message),
                                           to_string(state_), text.empty() ? "" : ": ", text);
    // A server that NAKs everything must not turn the client into a
    // DISCOVER flood: only the first NAK in a row restarts at once.
    const milliseconds delay = consecutive_naks_++ == 0 ? milliseconds(0) : settings_.restart_delay;
    if (lease_) {
        lose_lease(reason, delay);
        return;
    }
    spdlog::warn("DHCPv4: {}", reason);
    enter_init(delay);
}

void Dhcpv4Client::schedule_lease_timers() {
    if (lease_->lease_time == kInfiniteLeaseTime) return;
    const auto now = environment_.now();
    t1_timer_ =
        environment_.start_timer(until(now, lease_start_ + seconds(lease_->renewal_time)), [this] {
            t1_timer_ = 0;
            enter_renewing();
        });
    t2_timer_ = environment_.start_timer(until(now, lease_start_ + seconds(lease_->rebinding_time)),
                                         [this] {
                                             t2_timer_ = 0;
                                             enter_rebinding();
                                         });
    expiry_timer_ =
        environment_.start_timer(until(now, lease_start_ + seconds(lease_->lease_time)), [this] {
            expiry_timer_ = 0;
            lose_lease("lease expired", milliseconds(0));
        });
}

void Dhcpv4Client::cancel_timer(DhcpClientEnvironment::TimerId& id) {
    if (id != 0) environment_.cancel_timer(id);
    id = 0;
}

void Dhcpv4Client::cancel_exchange_timer() {
    cancel_timer(exchange_timer_);
}

void Dhcpv4Client::cancel_lease_timers() {
    cancel_timer(t1_timer_);
    cancel_timer(t2_timer_);
    cancel_timer(expiry_timer_);
}

void Dhcpv4Client::send_release() {
    auto message =
        build_dhcpv4_release(settings_.identity, Dhcpv4Transaction{environment_.random_u32(), 0},
                             lease_->address, lease_->server_identifier);
    auto packet =
        message ? encode_dhcpv4(*message) : Result<Bytes>(phonecwmp::Unexpected(message.error()));
    if (!packet) {
        spdlog::error("DHCPv4: cannot build DHCPRELEASE: {}", packet.error().message);
        return;
    }
    // RFC 2131 §4.4.6 sends it by unicast; when the address is not
    // configured on the interface (yet) that is impossible, and a broadcast
    // from the leased address reaches the same server.
    auto sent = transport_.open_unicast(lease_->address);
    if (sent) sent = transport_.send_unicast(*packet, lease_->server_identifier);
    if (!sent) {
        spdlog::debug("DHCPv4: DHCPRELEASE by unicast failed ({}); broadcasting it",
                      sent.error().message);
        sent = transport_.open_link();
        if (sent) sent = transport_.send_broadcast(*packet, lease_->address);
    }
    if (sent) {
        spdlog::info("DHCPv4: released {} to {}", lease_->address.to_string(),
                     lease_->server_identifier.to_string());
    } else {
        spdlog::warn("DHCPv4: DHCPRELEASE of {} not sent: {}", lease_->address.to_string(),
                     sent.error().message);
    }
}

}  // namespace agent::dhcp
