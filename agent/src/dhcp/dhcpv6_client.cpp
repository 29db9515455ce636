#include "dhcp/dhcpv6_client.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "dhcp/dhcpv6_codec.hpp"

namespace agent::dhcp {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

// RFC 8415 §21.12 Server Unicast: the server accepts unicast at this address.
constexpr std::uint16_t kServerUnicastOption = 12;
constexpr std::uint8_t kHighestPreference = 255;
// No 24-bit transaction id equals it: nothing matches between exchanges.
constexpr std::uint32_t kNoTransaction = 0x1000000;

milliseconds until(DhcpClientEnvironment::Clock::time_point from,
                   DhcpClientEnvironment::Clock::time_point to) {
    return to > from ? duration_cast<milliseconds>(to - from) : milliseconds(0);
}

std::string hex_of(const Bytes& data) {
    std::string text;
    for (std::size_t i = 0; i < data.size() && i < 32; ++i) text += fmt::format("{:02x}", data[i]);
    return text;
}

std::string describe(const Dhcpv6StatusCode& status) {
    std::string printable;
    for (char c : status.message) {
        if (printable.size() >= 128) break;
        printable.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return printable.empty() ? fmt::format("status {}", status.code)
                             : fmt::format("status {} ({})", status.code, printable);
}

bool has_status(const Dhcpv6StatusCode& status, Dhcpv6Status code) {
    return status.code == static_cast<std::uint16_t>(code);
}

std::optional<address_v6> server_unicast_address(const Dhcpv6Message& message) {
    const Bytes* data = message.find(kServerUnicastOption);
    if (data == nullptr || data->size() != 16) return std::nullopt;
    address_v6::bytes_type bytes{};
    std::copy(data->begin(), data->end(), bytes.begin());
    return address_v6(bytes);
}

// The end of the lease: when the last valid lifetime runs out.
std::uint32_t longest_valid_lifetime(const Dhcpv6Lease& lease) {
    std::uint32_t longest = 0;
    for (const auto& address : lease.addresses) {
        longest = std::max(longest, address.valid_lifetime);
    }
    return longest;
}

// T1/T2 of 0 mean "client's choice" (§21.4); a lease whose preferred
// lifetimes are 0 gets them from lease_from_dhcpv6_reply as 0 too. Renewing at
// once would loop with the server, so they come from the valid lifetime then,
// and T1 is at least a second.
void settle_renewal_times(Dhcpv6Lease& lease) {
    const std::uint32_t valid = longest_valid_lifetime(lease);
    if (valid == kDhcpv6Infinity) return;
    if (lease.renewal_time == 0) lease.renewal_time = valid / 2;
    lease.renewal_time = std::max<std::uint32_t>(lease.renewal_time, 1);
    if (lease.rebinding_time == 0) {
        lease.rebinding_time = static_cast<std::uint32_t>(std::uint64_t{valid} * 4 / 5);
    }
    lease.rebinding_time = std::max(lease.rebinding_time, lease.renewal_time);
}

Result<void> validate_retransmission(const Dhcpv6Retransmission& parameters, const char* name) {
    if (parameters.initial.count() <= 0) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("{} initial retransmission time must be positive", name));
    }
    if (parameters.maximum.count() != 0 && parameters.maximum < parameters.initial) {
        return dhcp_error(
            DhcpErrorKind::Invalid,
            fmt::format("{} maximum retransmission time {} ms below its initial {} ms", name,
                        parameters.maximum.count(), parameters.initial.count()));
    }
    if (parameters.max_count > 1000) {
        return dhcp_error(DhcpErrorKind::Invalid, fmt::format("{} transmission count {} above 1000",
                                                              name, parameters.max_count));
    }
    return {};
}

}  // namespace

const char* to_string(Dhcpv6ClientState state) {
    switch (state) {
        case Dhcpv6ClientState::Stopped:
            return "STOPPED";
        case Dhcpv6ClientState::Soliciting:
            return "SOLICITING";
        case Dhcpv6ClientState::Requesting:
            return "REQUESTING";
        case Dhcpv6ClientState::Bound:
            return "BOUND";
        case Dhcpv6ClientState::Renewing:
            return "RENEWING";
        case Dhcpv6ClientState::Rebinding:
            return "REBINDING";
        case Dhcpv6ClientState::Declining:
            return "DECLINING";
    }
    return "?";
}

const char* to_string(Dhcpv6ClientEventKind kind) {
    switch (kind) {
        case Dhcpv6ClientEventKind::Acquired:
            return "acquired";
        case Dhcpv6ClientEventKind::AddressChanged:
            return "address-changed";
        case Dhcpv6ClientEventKind::Renewed:
            return "renewed";
        case Dhcpv6ClientEventKind::Lost:
            return "lost";
    }
    return "?";
}

Result<void> Dhcpv6Client::validate(const Dhcpv6ClientSettings& settings) {
    if (settings.identity.iaid == 0) {
        // Not forbidden by RFC 8415, but 0 is what an uninitialised IAID
        // looks like in captures: refuse it so a configuration slip shows.
        return dhcp_error(DhcpErrorKind::Invalid, "IAID 0");
    }
    if (settings.solicit_max_delay.count() < 0 || settings.restart_delay.count() < 0 ||
        settings.open_retry_delay.count() <= 0) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          "negative SOLICIT or restart delay, or socket retry delay not positive");
    }
    for (const auto& [parameters, name] :
         {std::pair{&settings.solicit, "SOLICIT"}, std::pair{&settings.request, "REQUEST"},
          std::pair{&settings.renew, "RENEW"}, std::pair{&settings.rebind, "REBIND"},
          std::pair{&settings.decline, "DECLINE"}}) {
        if (auto valid = validate_retransmission(*parameters, name); !valid) return valid;
    }
    return validate_dhcpv6_client_identity(settings.identity);
}

Dhcpv6Client::Dhcpv6Client(Dhcpv6ClientSettings settings, Dhcpv6Transport& transport,
                           DhcpClientEnvironment& environment, EventHandler on_event)
    : settings_(std::move(settings)),
      transport_(transport),
      environment_(environment),
      on_event_(std::move(on_event)) {
    transport_.set_receiver([this](std::span<const std::uint8_t> payload) { on_packet(payload); });
}

Dhcpv6Client::~Dhcpv6Client() {
    cancel_timer(exchange_timer_);
    cancel_lease_timers();
    transport_.set_receiver({});
    transport_.close();
}

void Dhcpv6Client::start() {
    if (state_ != Dhcpv6ClientState::Stopped) return;
    // RFC 8415 §18.2.1: a random delay before the first SOLICIT so hosts
    // powered up together do not all solicit at once.
    const auto max_delay = settings_.solicit_max_delay.count();
    const auto delay =
        max_delay == 0 ? 0 : static_cast<std::int64_t>(environment_.random_u32() % (max_delay + 1));
    schedule_solicit(milliseconds(delay));
}

void Dhcpv6Client::stop() {
    if (state_ == Dhcpv6ClientState::Stopped) return;
    if (lease_) send_release();
    cancel_timer(exchange_timer_);
    cancel_lease_timers();
    transport_.close();
    lease_.reset();
    transaction_id_ = kNoTransaction;
    state_ = Dhcpv6ClientState::Stopped;
}

void Dhcpv6Client::decline(const std::string& reason) {
    if (!lease_ || state_ == Dhcpv6ClientState::Stopped) return;
    Dhcpv6ClientEvent event;
    event.kind = Dhcpv6ClientEventKind::Lost;
    event.lease = *lease_;
    event.reason = fmt::format("declined: {}", reason);
    const auto addresses = lease_addresses();
    const Bytes server = lease_->server_duid;
    cancel_lease_timers();
    lease_.reset();
    // The server marks the addresses unusable: asking for them again is pointless.
    previous_address_.reset();
    server_duid_ = server;
    begin_exchange(
        Dhcpv6ClientState::Declining,
        [this, server, addresses](Dhcpv6Transaction transaction) -> Result<Dhcpv6Message> {
            // RFC 8415 §18.2.8: a DECLINE carries what a RELEASE carries.
            auto message = build_dhcpv6_release(settings_.identity, transaction, server, addresses);
            if (message) message->type = Dhcpv6MessageType::Decline;
            return message;
        },
        settings_.decline);
    spdlog::warn("DHCPv6: lease lost: {}", event.reason);
    if (on_event_) on_event_(event);
}

void Dhcpv6Client::renew() {
    if (state_ != Dhcpv6ClientState::Bound || !lease_) return;
    cancel_timer(t1_timer_);
    enter_renewing();
}

std::int64_t Dhcpv6Client::lease_time_remaining() const {
    if (!lease_) return 0;
    const std::uint32_t valid = longest_valid_lifetime(*lease_);
    if (valid == kDhcpv6Infinity) return -1;
    return duration_cast<seconds>(until(environment_.now(), lease_start_ + seconds(valid))).count();
}

void Dhcpv6Client::schedule_solicit(milliseconds delay) {
    cancel_timer(exchange_timer_);
    state_ = Dhcpv6ClientState::Soliciting;
    transaction_id_ = kNoTransaction;
    best_advertise_.reset();
    first_solicit_rt_elapsed_ = false;
    server_duid_.clear();
    server_unicast_.reset();
    exchange_timer_ = environment_.start_timer(delay, [this] {
        exchange_timer_ = 0;
        enter_soliciting();
    });
}

void Dhcpv6Client::enter_soliciting() {
    if (auto opened = transport_.open(); !opened) {
        spdlog::warn("DHCPv6: cannot open the client socket: {}; retrying in {} ms",
                     opened.error().message, settings_.open_retry_delay.count());
        schedule_solicit(settings_.open_retry_delay);
        return;
    }
    begin_exchange(
        Dhcpv6ClientState::Soliciting,
        [this](Dhcpv6Transaction transaction) {
            return build_dhcpv6_solicit(settings_.identity, transaction);
        },
        settings_.solicit);
}

void Dhcpv6Client::enter_requesting(const Dhcpv6Lease& advertised) {
    server_duid_ = advertised.server_duid;
    std::vector<address_v6> addresses;
    for (const auto& leased : advertised.addresses) addresses.push_back(leased.address);
    const Bytes server = server_duid_;
    begin_exchange(
        Dhcpv6ClientState::Requesting,
        [this, server, addresses](Dhcpv6Transaction transaction) {
            return build_dhcpv6_request(settings_.identity, transaction, server, addresses);
        },
        settings_.request);
}

void Dhcpv6Client::enter_renewing() {
    const auto addresses = lease_addresses();
    const Bytes server = lease_->server_duid;
    server_duid_ = server;
    begin_exchange(
        Dhcpv6ClientState::Renewing,
        [this, server, addresses](Dhcpv6Transaction transaction) {
            return build_dhcpv6_renew(settings_.identity, transaction, server, addresses);
        },
        settings_.renew);
}

void Dhcpv6Client::enter_rebinding() {
    const auto addresses = lease_addresses();
    // Any server may answer a REBIND, and only by multicast (§18.2.5).
    server_duid_.clear();
    server_unicast_.reset();
    begin_exchange(
        Dhcpv6ClientState::Rebinding,
        [this, addresses](Dhcpv6Transaction transaction) {
            return build_dhcpv6_rebind(settings_.identity, transaction, addresses);
        },
        settings_.rebind);
}

void Dhcpv6Client::enter_bound(const Dhcpv6Message& reply, Dhcpv6Lease lease) {
    Dhcpv6ClientEvent event;
    const address_v6 first = lease.addresses.front().address;
    if (previous_address_ && *previous_address_ != first) {
        event.kind = Dhcpv6ClientEventKind::AddressChanged;
        event.previous_address = previous_address_;
    } else {
        event.kind = lease_ ? Dhcpv6ClientEventKind::Renewed : Dhcpv6ClientEventKind::Acquired;
    }
    for (const auto& reason : lease.ignored) {
        spdlog::warn("DHCPv6: REPLY from server {}: {}", hex_of(lease.server_duid), reason);
    }
    settle_renewal_times(lease);
    cancel_timer(exchange_timer_);
    cancel_lease_timers();
    transaction_id_ = kNoTransaction;
    server_duid_ = lease.server_duid;
    server_unicast_ = server_unicast_address(reply);
    lease_start_ = environment_.now();
    lease_ = lease;
    previous_address_ = first;
    state_ = Dhcpv6ClientState::Bound;
    schedule_lease_timers();
    spdlog::info("DHCPv6: {} {} (T1 {} s, T2 {} s, valid {} s) from server {}",
                 to_string(event.kind), first.to_string(), lease.renewal_time, lease.rebinding_time,
                 longest_valid_lifetime(lease), hex_of(lease.server_duid));
    event.lease = std::move(lease);
    event.reply = reply;
    if (on_event_) on_event_(event);
}

void Dhcpv6Client::lose_lease(const std::string& reason, milliseconds restart_delay) {
    Dhcpv6ClientEvent event;
    event.kind = Dhcpv6ClientEventKind::Lost;
    event.reason = reason;
    if (lease_) event.lease = *lease_;
    spdlog::warn("DHCPv6: lease lost: {}", reason);
    cancel_lease_timers();
    lease_.reset();
    schedule_solicit(restart_delay);
    if (on_event_) on_event_(event);
}

void Dhcpv6Client::begin_exchange(Dhcpv6ClientState state, Builder builder,
                                  const Dhcpv6Retransmission& parameters) {
    cancel_timer(exchange_timer_);
    state_ = state;
    transaction_id_ = environment_.random_u32() & 0xffffff;
    exchange_start_ = environment_.now();
    builder_ = std::move(builder);
    parameters_ = parameters;
    transmissions_ = 0;
    retransmission_time_ = milliseconds(0);
    transmit();
}

void Dhcpv6Client::transmit() {
    ++transmissions_;
    // Elapsed time in centiseconds since the exchange began (§21.9).
    const auto elapsed = duration_cast<milliseconds>(environment_.now() - exchange_start_) / 10;
    const auto centiseconds =
        static_cast<std::uint16_t>(std::clamp<std::int64_t>(elapsed.count(), 0, 0xffff));
    auto message = builder_(Dhcpv6Transaction{transaction_id_, centiseconds});
    if (!message) {
        spdlog::error("DHCPv6: cannot build the {} message: {}", to_string(state_),
                      message.error().message);
    } else if (auto packet = encode_dhcpv6(*message); !packet) {
        spdlog::error("DHCPv6: cannot encode the {} message: {}", to_string(state_),
                      packet.error().message);
    } else {
        const auto unicast = unicast_destination();
        auto sent = unicast ? transport_.send_unicast(*packet, *unicast)
                            : transport_.send_multicast(*packet);
        if (!sent) {
            // The retransmission below tries again.
            spdlog::warn("DHCPv6: {} send failed: {}", to_string(state_), sent.error().message);
        }
    }
    milliseconds delay = next_retransmission_time();
    const auto now = environment_.now();
    if (const auto deadline = exchange_deadline()) delay = std::min(delay, until(now, *deadline));
    if (parameters_.duration.count() != 0) {
        delay = std::min(delay, until(now, exchange_start_ + parameters_.duration));
    }
    exchange_timer_ = environment_.start_timer(delay, [this] {
        exchange_timer_ = 0;
        on_retransmission_timeout();
    });
}

milliseconds Dhcpv6Client::next_retransmission_time() {
    // RAND of §15: uniform in [-0.1, +0.1], in steps of 0.0001; for the
    // first SOLICIT strictly not negative, so the first RT is at least IRT.
    auto randomised = [this](milliseconds base, bool positive) {
        const auto step = static_cast<std::int64_t>(environment_.random_u32() % 2001);
        const std::int64_t factor = positive ? step / 2 : step - 1000;
        return milliseconds(base.count() * factor / 10000);
    };
    if (retransmission_time_.count() == 0) {
        const bool first_solicit = state_ == Dhcpv6ClientState::Soliciting;
        retransmission_time_ = parameters_.initial + randomised(parameters_.initial, first_solicit);
    } else {
        retransmission_time_ = 2 * retransmission_time_ + randomised(retransmission_time_, false);
    }
    if (parameters_.maximum.count() != 0 && retransmission_time_ > parameters_.maximum) {
        retransmission_time_ = parameters_.maximum + randomised(parameters_.maximum, false);
    }
    return retransmission_time_;
}

std::optional<DhcpClientEnvironment::Clock::time_point> Dhcpv6Client::exchange_deadline() const {
    if (!lease_) return std::nullopt;
    if (state_ == Dhcpv6ClientState::Renewing && lease_->rebinding_time != kDhcpv6Infinity) {
        return lease_start_ + seconds(lease_->rebinding_time);
    }
    if (state_ == Dhcpv6ClientState::Rebinding) {
        const std::uint32_t valid = longest_valid_lifetime(*lease_);
        if (valid != kDhcpv6Infinity) return lease_start_ + seconds(valid);
    }
    return std::nullopt;
}

void Dhcpv6Client::on_retransmission_timeout() {
    if (state_ == Dhcpv6ClientState::Soliciting) {
        if (transmissions_ == 1) first_solicit_rt_elapsed_ = true;
        if (best_advertise_) {
            select_best_advertise();
            return;
        }
    }
    const auto now = environment_.now();
    // RENEW ends at T2, REBIND at expiry: their lease timers take over.
    if (const auto deadline = exchange_deadline(); deadline && now >= *deadline) return;
    if ((parameters_.max_count != 0 && transmissions_ >= parameters_.max_count) ||
        (parameters_.duration.count() != 0 && now >= exchange_start_ + parameters_.duration)) {
        on_exchange_exhausted();
        return;
    }
    transmit();
}

void Dhcpv6Client::on_exchange_exhausted() {
    switch (state_) {
        case Dhcpv6ClientState::Requesting:
            if (lease_) {
                spdlog::warn("DHCPv6: no REPLY to {} REQUESTs for a held lease; rebinding",
                             transmissions_);
                enter_rebinding();
            } else {
                spdlog::warn("DHCPv6: no REPLY to {} REQUESTs; soliciting again in {} ms",
                             transmissions_, settings_.restart_delay.count());
                schedule_solicit(settings_.restart_delay);
            }
            break;
        case Dhcpv6ClientState::Declining:
            spdlog::warn("DHCPv6: no REPLY to {} DECLINEs; soliciting again in {} ms",
                         transmissions_, settings_.restart_delay.count());
            schedule_solicit(settings_.restart_delay);
            break;
        case Dhcpv6ClientState::Soliciting:
            spdlog::warn("DHCPv6: no usable ADVERTISE after {} SOLICITs; again in {} ms",
                         transmissions_, settings_.restart_delay.count());
            schedule_solicit(settings_.restart_delay);
            break;
        default:
            break;
    }
}

void Dhcpv6Client::drop(const std::string& reason) {
    ++dropped_packets_;
    spdlog::debug("DHCPv6 ({}): packet dropped: {}", to_string(state_), reason);
}

void Dhcpv6Client::on_packet(std::span<const std::uint8_t> payload) {
    if (state_ == Dhcpv6ClientState::Stopped || state_ == Dhcpv6ClientState::Bound ||
        transaction_id_ == kNoTransaction) {
        drop("no exchange in progress");
        return;
    }
    auto message = decode_dhcpv6(payload);
    if (!message) {
        drop(message.error().message);
        return;
    }
    // Checks type, transaction id, our DUID in option 1 and a server DUID.
    auto lease = lease_from_dhcpv6_reply(*message, transaction_id_, settings_.identity.duid,
                                         settings_.identity.iaid);
    if (!lease) {
        drop(lease.error().message);
        return;
    }
    if (message->type == Dhcpv6MessageType::Advertise) {
        on_advertise(*message, std::move(*lease));
    } else {
        on_reply(*message, std::move(*lease));
    }
}

void Dhcpv6Client::on_advertise(const Dhcpv6Message& message, Dhcpv6Lease advertised) {
    if (state_ != Dhcpv6ClientState::Soliciting) {
        drop(fmt::format("ADVERTISE in {}", to_string(state_)));
        return;
    }
    // §18.2.9: an ADVERTISE without addresses for our IA_NA is ignored.
    if (!advertised.status.success() || !advertised.ia_status.success() ||
        advertised.addresses.empty()) {
        const auto& status = advertised.status.success() ? advertised.ia_status : advertised.status;
        drop(fmt::format("ADVERTISE from server {} without addresses: {}",
                         hex_of(advertised.server_duid), describe(status)));
        return;
    }
    const std::uint8_t preference = advertised.preference.value_or(0);
    if (!best_advertise_ || preference > best_advertise_->lease.preference.value_or(0)) {
        best_advertise_ = Candidate{message, std::move(advertised)};
    }
    // Preference 255, or any ADVERTISE after the first RT: no reason to wait.
    if (preference == kHighestPreference || first_solicit_rt_elapsed_) select_best_advertise();
}

void Dhcpv6Client::select_best_advertise() {
    Candidate chosen = std::move(*best_advertise_);
    best_advertise_.reset();
    spdlog::debug("DHCPv6: requesting {} from server {} (preference {})",
                  chosen.lease.addresses.front().address.to_string(),
                  hex_of(chosen.lease.server_duid), chosen.lease.preference.value_or(0));
    server_unicast_ = server_unicast_address(chosen.advertise);
    enter_requesting(chosen.lease);
}

void Dhcpv6Client::on_reply(const Dhcpv6Message& message, Dhcpv6Lease reply) {
    switch (state_) {
        case Dhcpv6ClientState::Soliciting:
            if (!settings_.identity.rapid_commit || !reply.rapid_commit) {
                drop("REPLY to a SOLICIT without rapid commit");
                return;
            }
            server_duid_ = reply.server_duid;
            break;
        case Dhcpv6ClientState::Declining:
            spdlog::info("DHCPv6: DECLINE acknowledged ({}); soliciting again in {} ms",
                         describe(reply.status), settings_.restart_delay.count());
            schedule_solicit(settings_.restart_delay);
            return;
        case Dhcpv6ClientState::Requesting:
        case Dhcpv6ClientState::Renewing:
            if (reply.server_duid != server_duid_) {
                drop(fmt::format("REPLY from server {} while waiting for {}",
                                 hex_of(reply.server_duid), hex_of(server_duid_)));
                return;
            }
            break;
        default:
            break;
    }
    if (has_status(reply.status, Dhcpv6Status::UseMulticast)) {
        if (!unicast_destination()) {
            drop("UseMulticast in answer to a multicast message");
            return;
        }
        // §18.2.10: send again, and from now on, by multicast.
        spdlog::info("DHCPv6: server {} asks for multicast; resending", hex_of(reply.server_duid));
        server_unicast_.reset();
        cancel_timer(exchange_timer_);
        transmit();
        return;
    }
    if (!reply.status.success()) {
        // UnspecFail and the like: the retransmission timer tries again.
        ++dropped_packets_;
        spdlog::warn("DHCPv6: {} answered with {}", to_string(state_), describe(reply.status));
        return;
    }
    if (!reply.has_ia) {
        drop(fmt::format("REPLY from server {} without our IA_NA", hex_of(reply.server_duid)));
        return;
    }
    const bool extending =
        state_ == Dhcpv6ClientState::Renewing || state_ == Dhcpv6ClientState::Rebinding;
    if (extending && has_status(reply.ia_status, Dhcpv6Status::NoBinding)) {
        // §18.2.10.1: the server lost our binding; ask it to create one.
        spdlog::info("DHCPv6: server {} has no binding for us; requesting again",
                     hex_of(reply.server_duid));
        server_unicast_ = server_unicast_address(message);
        Dhcpv6Lease held = *lease_;
        held.server_duid = reply.server_duid;
        enter_requesting(held);
        return;
    }
    if (!reply.ia_status.success() || reply.addresses.empty()) {
        const std::string reason = fmt::format(
            "{} REPLY from server {}: {}", to_string(state_), hex_of(reply.server_duid),
            reply.ia_status.success() ? "no valid address left" : describe(reply.ia_status));
        if (lease_) {
            lose_lease(reason, settings_.restart_delay);
        } else {
            spdlog::warn("DHCPv6: {}; soliciting again in {} ms", reason,
                         settings_.restart_delay.count());
            schedule_solicit(settings_.restart_delay);
        }
        return;
    }
    enter_bound(message, std::move(reply));
}

void Dhcpv6Client::schedule_lease_timers() {
    const auto now = environment_.now();
    if (lease_->renewal_time != kDhcpv6Infinity) {
        t1_timer_ = environment_.start_timer(
            until(now, lease_start_ + seconds(lease_->renewal_time)), [this] {
                t1_timer_ = 0;
                enter_renewing();
            });
    }
    if (lease_->rebinding_time != kDhcpv6Infinity) {
        t2_timer_ = environment_.start_timer(
            until(now, lease_start_ + seconds(lease_->rebinding_time)), [this] {
                t2_timer_ = 0;
                cancel_timer(t1_timer_);
                enter_rebinding();
            });
    }
    const std::uint32_t valid = longest_valid_lifetime(*lease_);
    if (valid != kDhcpv6Infinity) {
        expiry_timer_ = environment_.start_timer(until(now, lease_start_ + seconds(valid)), [this] {
            expiry_timer_ = 0;
            lose_lease("valid lifetime expired", milliseconds(0));
        });
    }
}

void Dhcpv6Client::cancel_timer(DhcpClientEnvironment::TimerId& id) {
    if (id != 0) environment_.cancel_timer(id);
    id = 0;
}

void Dhcpv6Client::cancel_lease_timers() {
    cancel_timer(t1_timer_);
    cancel_timer(t2_timer_);
    cancel_timer(expiry_timer_);
}

std::vector<address_v6> Dhcpv6Client::lease_addresses() const {
    std::vector<address_v6> addresses;
    if (lease_) {
        for (const auto& leased : lease_->addresses) addresses.push_back(leased.address);
    }
    return addresses;
}

std::optional<address_v6> Dhcpv6Client::unicast_destination() const {
    // §18.2.4: only messages naming the server go by unicast, and only when
    // it offered a unicast address and did not refuse it since.
    switch (state_) {
        case Dhcpv6ClientState::Requesting:
        case Dhcpv6ClientState::Renewing:
        case Dhcpv6ClientState::Declining:
            return server_unicast_;
        default:
            return std::nullopt;
    }
}

void Dhcpv6Client::send_release() {
    auto message = build_dhcpv6_release(settings_.identity,
                                        Dhcpv6Transaction{environment_.random_u32() & 0xffffff, 0},
                                        lease_->server_duid, lease_addresses());
    auto packet =
        message ? encode_dhcpv6(*message) : Result<Bytes>(phonecwmp::Unexpected(message.error()));
    if (!packet) {
        spdlog::error("DHCPv6: cannot build RELEASE: {}", packet.error().message);
        return;
    }
    auto opened = transport_.open();
    if (opened) {
        const auto unicast = server_unicast_;
        opened = unicast ? transport_.send_unicast(*packet, *unicast)
                         : transport_.send_multicast(*packet);
    }
    if (opened) {
        spdlog::info("DHCPv6: released {} to server {}",
                     lease_->addresses.front().address.to_string(), hex_of(lease_->server_duid));
    } else {
        spdlog::warn("DHCPv6: RELEASE not sent: {}", opened.error().message);
    }
}

}  // namespace agent::dhcp
