#include "sip/user_agent_server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <random>

#include "sip/core_headers.hpp"
#include "sip/message_parser.hpp"
#include "sip/message_serializer.hpp"
#include "sip/minimal_sdp.hpp"
#include "sip/response_builder.hpp"
#include "sip/response_routing.hpp"

namespace agent::sip {
namespace {

constexpr std::string_view kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO";

using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

// The headers a final response carries because of its status and method,
// so that a response repeated from a compact record is the same response.
ExtraHeaders final_headers(const SipMessage& request, int status) {
    const std::string& method = request.request_line().method;
    if (status == 405 || status == 501) {
        return {{"Allow", std::string(kAllow)}};
    }
    if (status == 200 && method == "OPTIONS") {
        return {{"Allow", std::string(kAllow)}, {"Accept", "application/sdp"}};
    }
    if (status == 420) {
        if (auto require = request.header("Require")) {
            return {{"Unsupported", std::string(*require)}};
        }
    }
    return {};
}

std::string source_text(const MessageOrigin& origin) {
    return fmt::format("{} {}:{}", transport_name(origin.transport), origin.address.to_string(),
                       origin.port);
}

}  // namespace

UserAgentServer::UserAgentServer(boost::asio::io_context& io, UserAgentSettings settings,
                                 UserAgentHooks hooks)
    : io_(io),
      settings_(std::move(settings)),
      hooks_(std::move(hooks)),
      timers_(io),
      completed_(timers_, &CompletedTransactionTable::steady_now,
                 settings_.max_completed_transactions),
      dialogs_(settings_.max_dialogs),
      authenticator_("phonecwmp"),
      tag_salt_(std::random_device{}()) {}

UserAgentServer::~UserAgentServer() = default;

void UserAgentServer::set_inbound_auth(InboundAuthMode mode, std::string realm,
                                       InboundCredentials credentials) {
    auth_mode_ = mode;
    authenticator_.configure(std::move(realm), std::move(credentials));
}

void UserAgentServer::reset() {
    alive_ = std::make_shared<char>();
    transactions_.clear();
    completed_.clear();
    dialogs_.clear();
}

void UserAgentServer::on_message(std::string_view bytes, const MessageOrigin& origin) {
    const auto framing =
        origin.transport == TransportKind::Udp ? Framing::Datagram : Framing::Stream;
    auto message = parse_sip_message(bytes, settings_.limits, framing);
    if (!message) {
        if (message.error().code != SipErrorCode::EmptyMessage) {
            ++counters_.malformed_dropped;
            spdlog::debug("SIP from {} dropped: {} (line {})", source_text(origin),
                          message.error().message, message.error().line);
        }
        return;
    }
    if (!message->is_request()) {
        ++counters_.responses_ignored;
        return;
    }
    on_request(std::move(*message), origin);
}

bool UserAgentServer::admitted(const MessageOrigin& origin) {
    switch (hooks_.admit ? hooks_.admit(origin) : Admission::Accept) {
        case Admission::Accept:
            return true;
        case Admission::RestrictedDomain:
            ++counters_.restricted_dropped;
            report_drop(origin, "not a restricted access domain address");
            return false;
        case Admission::SourceFilter:
            ++counters_.source_filter_dropped;
            report_drop(origin, "not the proxy (InboundAuth SourceFilter)");
            return false;
    }
    return false;
}

void UserAgentServer::report_drop(const MessageOrigin& origin, std::string_view reason) {
    if (!drop_reports_.admit()) {
        return;
    }
    spdlog::info("SIP request from {} dropped: {} ({} dropped so far)", source_text(origin), reason,
                 counters_.dropped_requests());
}

void UserAgentServer::on_request(SipMessage request, const MessageOrigin& origin) {
    ++counters_.requests_received;
    if (auto stamped = stamp_top_via(request, origin); !stamped) {
        ++counters_.malformed_dropped;
        return;
    }
    auto core = read_core_headers(request, settings_.limits);
    if (!core) {
        ++counters_.malformed_dropped;
        return;
    }
    const auto peer = response_destination(core->vias.front(), origin);
    const std::string& method = request.request_line().method;

    if (method == "ACK") {
        on_ack(request);
        return;
    }
    auto key = server_transaction_key(request);
    if (!key) {
        ++counters_.malformed_dropped;
        return;
    }
    if (auto* transaction = find_transaction(*key)) {
        // A retransmission: the transaction answers it (or stays quiet).
        std::visit([&request](auto& t) { t->on_request(request); }, *transaction);
        return;
    }
    if (const auto* record = completed_.find(*key)) {
        // A retransmission of a transaction past its final response.
        if (record->kind == CompletedTransactionTable::Kind::CompletedNonInvite) {
            respond_statelessly(request, peer, record->status, record->to_tag,
                                final_headers(request, record->status));
        }
        return;
    }
    if (method == "CANCEL") {
        on_cancel(request, origin, peer);
        return;
    }
    const std::string to_tag = core->to.tag();
    if (!to_tag.empty()) {
        if (auto* dialog = dialogs_.find({core->call_id, to_tag, core->from.tag()})) {
            on_in_dialog(request, *dialog, origin, peer);
            return;
        }
        if (!admitted(origin)) {
            return;
        }
        if (auto* transaction = open_transaction(request, origin, peer)) {
            respond(*transaction, request, 481);
        }
        return;
    }
    if (!admitted(origin)) {
        return;
    }
    if (request.header("Require") && method != "CANCEL") {
        // §8.2.2.3: no option tags are supported.
        if (auto* transaction = open_transaction(request, origin, peer)) {
            respond(*transaction, request, 420);
        }
        return;
    }
    if (method == "INVITE") {
        on_invite(request, origin, peer);
        return;
    }
    auto* transaction = open_transaction(request, origin, peer);
    if (transaction == nullptr) {
        return;
    }
    if (method == "OPTIONS") {
        respond(*transaction, request, 200, new_tag());
    } else if (method == "BYE") {
        respond(*transaction, request, 481);
    } else {
        respond(*transaction, request, 405, new_tag());
    }
}

void UserAgentServer::on_ack(const SipMessage& ack) {
    if (auto key = server_transaction_key(ack)) {
        if (auto* transaction = find_transaction(*key)) {
            // The ACK of a non-2xx final response belongs to the INVITE
            // transaction (§17.2.1); with a 2xx it is the TU's (RFC 6026).
            const auto disposition =
                std::visit([&ack](auto& t) { return t->on_request(ack); }, *transaction);
            if (disposition == RequestDisposition::Absorbed) {
                compact(*key, 0, {});
                return;
            }
        } else if (const auto* record = completed_.find(*key);
                   record != nullptr &&
                   record->kind == CompletedTransactionTable::Kind::ConfirmedInvite) {
            return;  // a retransmitted ACK of a non-2xx answer
        }
    }
    auto core = read_core_headers(ack, settings_.limits);
    if (!core) {
        return;
    }
    auto* dialog = dialogs_.find({core->call_id, core->to.tag(), core->from.tag()});
    if (dialog == nullptr || dialog->state == Dialog::State::Early) {
        ++counters_.stray_acks;
        return;
    }
    if (dialog->state == Dialog::State::Answered) {
        dialog->state = Dialog::State::Confirmed;
        dialog->answer_wire.clear();
        if (dialog->timer) {
            dialog->timer->cancel();
        }
    }
}

void UserAgentServer::on_cancel(const SipMessage& cancel, const MessageOrigin& origin,
                                const ResponseDestination& peer) {
    auto invite_key = cancelled_invite_key(cancel);
    auto* invite_transaction = invite_key ? find_transaction(*invite_key) : nullptr;
    if (invite_transaction == nullptr && invite_key && completed_.find(*invite_key) != nullptr) {
        // §9.2: the INVITE already has its final response; the CANCEL is
        // answered and changes nothing.
        const auto* dialog = dialogs_.find_by_invite(*invite_key);
        const std::string tag = dialog != nullptr ? dialog->id.local_tag : new_tag();
        if (auto* transaction = open_transaction(cancel, origin, peer)) {
            respond(*transaction, cancel, 200, tag);
        }
        return;
    }
    if (invite_transaction == nullptr) {
        // Nothing accepted to cancel: an out-of-dialog request like any other.
        if (!admitted(origin)) {
            return;
        }
        if (auto* transaction = open_transaction(cancel, origin, peer)) {
            respond(*transaction, cancel, 481);
        }
        return;
    }
    auto* dialog = dialogs_.find_by_invite(*invite_key);
    if (auto* transaction = open_transaction(cancel, origin, peer)) {
        respond(*transaction, cancel, 200, dialog != nullptr ? dialog->id.local_tag : new_tag());
    }
    // §9.2: a CANCEL after the final response changes nothing.
    if (dialog != nullptr && dialog->state == Dialog::State::Early) {
        ++counters_.calls_cancelled;
        const auto id = dialog->id;
        respond(*invite_transaction, dialog->invite, 487, id.local_tag);
        end_dialog(id);
    }
}

void UserAgentServer::on_in_dialog(const SipMessage& request, Dialog& dialog,
                                   const MessageOrigin& origin, const ResponseDestination& peer) {
    const std::string& method = request.request_line().method;
    auto* transaction = open_transaction(request, origin, peer);
    if (transaction == nullptr) {
        return;
    }
    if (method == "BYE") {
        ++counters_.calls_ended;
        const auto id = dialog.id;
        respond(*transaction, request, 200);
        end_dialog(id);
    } else if (method == "INVITE") {
        // A session refresh or re-offer: the phone's media description has
        // not changed, so the same answer stands.
        dialog.invite = request;
        dialog.invite_key = *server_transaction_key(request);
        dialog.peer = peer;
        dialog.state = Dialog::State::Early;
        answer_call(dialog.id);
    } else if (method == "OPTIONS" || method == "INFO") {
        respond(*transaction, request, 200);
    } else {
        respond(*transaction, request, 501);
    }
}

void UserAgentServer::on_invite(const SipMessage& invite, const MessageOrigin& origin,
                                const ResponseDestination& peer) {
    auto key = server_transaction_key(invite);
    if (!key) {
        ++counters_.malformed_dropped;
        return;
    }
    if (auth_mode_ == InboundAuthMode::Digest) {
        auto decision = authenticator_.check(invite);
        if (decision.kind == AuthDecision::Kind::Challenge) {
            ++counters_.challenges_sent;
            ExtraHeaders challenges;
            for (auto& value : decision.challenges) {
                challenges.emplace_back("WWW-Authenticate", std::move(value));
            }
            respond_statelessly(invite, peer, 401, stateless_tag(*key), challenges);
            return;
        }
        if (decision.kind == AuthDecision::Kind::Forbidden) {
            // Stateful: a refused answer must not be re-evaluated (the
            // retransmission would now look like a replayed nonce).
            ++counters_.auth_refused;
            spdlog::info("SIP INVITE from {} refused: {}", source_text(origin), decision.reason);
            if (auto* transaction = open_transaction(invite, origin, peer)) {
                respond(*transaction, invite, 403, new_tag());
            }
            return;
        }
    }
    dialogs_.erase_older_than(std::chrono::steady_clock::now() - settings_.max_call_duration);
    if (dialogs_.size() >= dialogs_.capacity()) {
        ++counters_.calls_refused_busy;
        respond_statelessly(invite, peer, 486, stateless_tag(*key));
        return;
    }
    auto* transaction = open_transaction(invite, origin, peer);
    if (transaction == nullptr) {
        return;
    }
    auto core = read_core_headers(invite, settings_.limits);
    Dialog fresh;
    fresh.id = {core->call_id, new_tag(), core->from.tag()};
    fresh.invite_key = *server_transaction_key(invite);
    fresh.invite = invite;
    fresh.peer = peer;
    fresh.timer = std::make_unique<boost::asio::steady_timer>(io_);
    Dialog* dialog = dialogs_.insert(std::move(fresh));
    if (dialog == nullptr) {
        ++counters_.calls_refused_busy;
        respond(*transaction, invite, 486, new_tag());
        return;
    }
    respond(*transaction, invite, 100);
    const auto id = dialog->id;
    respond(*transaction, invite, 180, id.local_tag, {{"Contact", contact_for(origin)}});
    if (settings_.answer_delay.count() == 0) {
        answer_call(id);
        return;
    }
    dialog->timer->expires_after(settings_.answer_delay);
    dialog->timer->async_wait(
        [this, id, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
            if (!ec && !alive.expired()) {
                answer_call(id);
            }
        });
}

void UserAgentServer::answer_call(DialogId id) {
    auto* dialog = dialogs_.find(id);
    if (dialog == nullptr || dialog->state != Dialog::State::Early) {
        return;
    }
    auto* transaction = find_transaction(dialog->invite_key);
    if (transaction == nullptr) {
        end_dialog(id);
        return;
    }
    MessageOrigin origin;
    origin.transport = dialog->peer.transport;
    origin.address = dialog->peer.address;
    origin.port = dialog->peer.port;
    const auto local = hooks_.local_address(origin);
    const auto session = (tag_salt_ ^ ++tag_counter_) & 0xffffffffu;
    auto response =
        build_response(dialog->invite, 200, {.reason_phrase = {}, .to_tag = id.local_tag});
    if (!response) {
        end_dialog(id);
        return;
    }
    response->add_header("Contact", contact_for(origin));
    response->add_header("Allow", std::string(kAllow));
    response->add_header("Content-Type", "application/sdp");
    response->add_header("User-Agent", settings_.user_agent);
    response->body = minimal_sdp_answer(local, settings_.rtp_port, session);
    auto wire = serialize_sip_message(*response);
    const bool sent =
        std::visit([&response](auto& t) { return static_cast<bool>(t->send_response(*response)); },
                   *transaction);
    if (!sent || !wire) {
        end_dialog(id);
        return;
    }
    ++counters_.calls_answered;
    dialog->state = Dialog::State::Answered;
    // Only an early dialog answers its INVITE again (487 on CANCEL).
    dialog->invite = SipMessage{};
    compact(dialog->invite_key, 200, id.local_tag);
    // RFC 3261 §13.3.1.4: over UDP the UAS retransmits the 2xx, T1 doubling
    // up to T2, until the ACK arrives; on any transport the call is over
    // when no ACK came within 64*T1 (so an unacknowledged answer cannot
    // hold a dialog slot for long).
    const bool unreliable = dialog->peer.transport == TransportKind::Udp;
    dialog->answer_wire = std::move(*wire);
    dialog->retransmit_interval = unreliable ? settings_.timers.t1 : 64 * settings_.timers.t1;
    dialog->created = std::chrono::steady_clock::now();
    if (!dialog->timer) {
        dialog->timer = std::make_unique<boost::asio::steady_timer>(io_);
    }
    dialog->timer->expires_after(dialog->retransmit_interval);
    dialog->timer->async_wait(
        [this, id, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
            if (!ec && !alive.expired()) {
                retransmit_answer(id);
            }
        });
}

void UserAgentServer::retransmit_answer(DialogId id) {
    auto* dialog = dialogs_.find(id);
    if (dialog == nullptr || dialog->state != Dialog::State::Answered) {
        return;
    }
    const auto age = std::chrono::steady_clock::now() - dialog->created;
    if (age >= 64 * settings_.timers.t1) {
        // §13.3.1.4: no ACK — the session is over.
        ++counters_.answers_unacknowledged;
        end_dialog(id);
        return;
    }
    if (dialog->peer.transport == TransportKind::Udp &&
        hooks_.send(dialog->peer, dialog->answer_wire)) {
        ++counters_.responses_sent;
    }
    dialog->retransmit_interval = std::min(2 * dialog->retransmit_interval, settings_.timers.t2);
    dialog->timer->expires_after(dialog->retransmit_interval);
    dialog->timer->async_wait(
        [this, id, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
            if (!ec && !alive.expired()) {
                retransmit_answer(id);
            }
        });
}

void UserAgentServer::end_dialog(const DialogId& id) {
    dialogs_.erase(id);
}

UserAgentServer::Transaction* UserAgentServer::find_transaction(const ServerTransactionKey& key) {
    const auto found = transactions_.find(key);
    return found == transactions_.end() ? nullptr : &found->second;
}

UserAgentServer::Transaction* UserAgentServer::open_transaction(const SipMessage& request,
                                                                const MessageOrigin& origin,
                                                                const ResponseDestination& peer) {
    auto key = server_transaction_key(request);
    if (!key) {
        ++counters_.malformed_dropped;
        return nullptr;
    }
    if (transactions_.size() >= settings_.max_transactions) {
        ++counters_.overload_dropped;
        respond_statelessly(request, peer, 503);
        return nullptr;
    }
    ServerTransactionHooks hooks;
    hooks.send = [this, peer, alive = std::weak_ptr<char>(alive_)](const std::string& wire) {
        if (!alive.expired() && hooks_.send(peer, wire)) {
            ++counters_.responses_sent;
        }
    };
    hooks.on_terminated = [this, key = *key,
                           alive = std::weak_ptr<char>(alive_)](TerminationReason) {
        // Deferred: the transaction may still be on the stack.
        boost::asio::post(io_, [this, key, alive] {
            if (!alive.expired()) {
                transactions_.erase(key);
            }
        });
    };
    const auto reliability = reliability_of(origin.transport);
    Transaction transaction;
    if (request.request_line().method == "INVITE") {
        auto created = InviteServerTransaction::create(request, reliability, timers_,
                                                       settings_.timers, std::move(hooks));
        if (!created) {
            ++counters_.malformed_dropped;
            return nullptr;
        }
        transaction = std::move(*created);
    } else {
        auto created = NonInviteServerTransaction::create(request, reliability, timers_,
                                                          settings_.timers, std::move(hooks));
        if (!created) {
            ++counters_.malformed_dropped;
            return nullptr;
        }
        transaction = std::move(*created);
    }
    auto [where, inserted] = transactions_.emplace(std::move(*key), std::move(transaction));
    return &where->second;
}

void UserAgentServer::respond(Transaction& transaction, const SipMessage& request, int status,
                              std::string_view to_tag, const ExtraHeaders& extra_headers) {
    auto response = build_response(request, status, {.reason_phrase = {}, .to_tag = to_tag});
    if (!response) {
        spdlog::warn("SIP: cannot build {} response: {}", status, response.error().message);
        return;
    }
    for (const auto& [name, value] : extra_headers) {
        response->add_header(name, value);
    }
    for (auto& [name, value] : final_headers(request, status)) {
        response->add_header(name, std::move(value));
    }
    if (status >= 200) {
        response->add_header("User-Agent", settings_.user_agent);
    }
    // May end (and schedule the removal of) the transaction.
    auto sent =
        std::visit([&response](auto& t) { return t->send_response(*response); }, transaction);
    if (!sent) {
        spdlog::debug("SIP: {} not sent: {}", status, sent.error().message);
        return;
    }
    if (status >= 200) {
        if (auto key = server_transaction_key(request)) {
            compact(*key, status, to_tag);
        }
    }
}

void UserAgentServer::compact(const ServerTransactionKey& key, int status,
                              std::string_view to_tag) {
    const auto found = transactions_.find(key);
    if (found == transactions_.end()) {
        return;
    }
    using Kind = CompletedTransactionTable::Kind;
    std::optional<std::pair<Kind, std::chrono::milliseconds>> record;
    if (const auto* invite =
            std::get_if<std::unique_ptr<InviteServerTransaction>>(&found->second)) {
        if ((*invite)->state() == InviteServerTransaction::State::Accepted) {
            record.emplace(Kind::AcceptedInvite, 64 * settings_.timers.t1);  // Timer L
        } else if ((*invite)->state() == InviteServerTransaction::State::Confirmed) {
            record.emplace(Kind::ConfirmedInvite, settings_.timers.t4);  // Timer I
        }
    } else if (std::get<std::unique_ptr<NonInviteServerTransaction>>(found->second)->state() ==
               NonInviteServerTransaction::State::Completed) {
        record.emplace(Kind::CompletedNonInvite, 64 * settings_.timers.t1);  // Timer J
    }
    if (record && completed_.insert(key, record->first, static_cast<std::uint16_t>(status),
                                    std::string(to_tag), record->second)) {
        transactions_.erase(found);
    }
}

void UserAgentServer::respond_statelessly(const SipMessage& request,
                                          const ResponseDestination& peer, int status,
                                          std::string_view to_tag,
                                          const ExtraHeaders& extra_headers) {
    if (request.request_line().method == "ACK") {
        return;
    }
    auto response = build_response(request, status, {.reason_phrase = {}, .to_tag = to_tag});
    if (!response) {
        return;
    }
    for (const auto& [name, value] : extra_headers) {
        response->add_header(name, value);
    }
    if (status == 503) {
        response->add_header("Retry-After", "5");
    }
    response->add_header("User-Agent", settings_.user_agent);
    if (auto wire = serialize_sip_message(*response); wire && hooks_.send(peer, std::move(*wire))) {
        ++counters_.responses_sent;
    }
}

std::string UserAgentServer::stateless_tag(const ServerTransactionKey& key) const {
    // Keyed with the per-process salt so that a peer cannot predict the tag
    // another caller's request gets.
    std::uint64_t x = ServerTransactionKeyHash{}(key) ^ tag_salt_;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return fmt::format("{:x}", x ^ (x >> 31));
}

std::string UserAgentServer::contact_for(const MessageOrigin& origin) const {
    const auto address = hooks_.local_address(origin);
    const auto host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    const auto port = hooks_.local_port(origin.transport);
    switch (origin.transport) {
        case TransportKind::Udp:
            return fmt::format("<sip:{}@{}:{}>", settings_.contact_user, host, port);
        case TransportKind::Tcp:
            return fmt::format("<sip:{}@{}:{};transport=tcp>", settings_.contact_user, host, port);
        case TransportKind::Tls:
            return fmt::format("<sips:{}@{}:{}>", settings_.contact_user, host, port);
    }
    return {};
}

std::string UserAgentServer::new_tag() {
    return fmt::format("{:x}{:x}", tag_salt_ & 0xffffffffu, ++tag_counter_);
}

}  // namespace agent::sip
