#include "sip/invite_server_transaction.hpp"

#include <algorithm>
#include <utility>

#include "sip/message_serializer.hpp"
#include "sip/response_builder.hpp"

namespace agent::sip {

SipResult<std::unique_ptr<InviteServerTransaction>> InviteServerTransaction::create(
    const SipMessage& invite, TransportReliability reliability, TransactionTimers& timers,
    TransactionTimerSettings settings, ServerTransactionHooks hooks) {
    if (!invite.is_request() || invite.request_line().method != "INVITE") {
        return sip_error(SipErrorCode::InvalidArgument,
                         "an INVITE server transaction needs an INVITE request");
    }
    auto trying = build_response(invite, 100);
    if (!trying) return phonecwmp::Unexpected(trying.error());
    auto trying_wire = serialize_sip_message(*trying);
    if (!trying_wire) return phonecwmp::Unexpected(trying_wire.error());
    auto transaction = std::make_unique<InviteServerTransaction>(
        CreationKey{}, reliability, timers, settings, std::move(hooks), std::move(*trying_wire));
    transaction->start_timer(transaction->trying_timer_, settings.trying_delay,
                             &InviteServerTransaction::on_trying_timer);
    return transaction;
}

InviteServerTransaction::InviteServerTransaction(CreationKey, TransportReliability reliability,
                                                 TransactionTimers& timers,
                                                 TransactionTimerSettings settings,
                                                 ServerTransactionHooks hooks,
                                                 std::string trying_wire)
    : reliability_(reliability),
      timers_(timers),
      settings_(settings),
      hooks_(std::move(hooks)),
      trying_wire_(std::move(trying_wire)) {}

InviteServerTransaction::~InviteServerTransaction() {
    cancel_all_timers();
}

void InviteServerTransaction::start_timer(std::optional<TransactionTimers::TimerId>& slot,
                                          std::chrono::milliseconds delay,
                                          void (InviteServerTransaction::*handler)()) {
    cancel_timer(slot);
    // The destructor cancels every timer, so `this` outlives each callback.
    slot = timers_.start(delay, [this, &slot, handler] {
        slot.reset();
        (this->*handler)();
    });
}

void InviteServerTransaction::cancel_timer(std::optional<TransactionTimers::TimerId>& slot) {
    if (slot) timers_.cancel(*slot);
    slot.reset();
}

void InviteServerTransaction::cancel_all_timers() {
    cancel_timer(trying_timer_);
    cancel_timer(timer_g_);
    cancel_timer(timer_h_);
    cancel_timer(timer_i_);
    cancel_timer(timer_l_);
}

void InviteServerTransaction::terminate(TerminationReason reason) {
    cancel_all_timers();
    state_ = State::Terminated;
    // Moved out first: the owner may destroy this object inside the callback.
    auto on_terminated = std::move(hooks_.on_terminated);
    if (on_terminated) on_terminated(reason);
}

SipResult<void> InviteServerTransaction::send_response(const SipMessage& response) {
    if (response.is_request()) {
        return sip_error(SipErrorCode::InvalidArgument, "send_response was given a request");
    }
    const int code = response.status_line().status_code;
    const bool success = code >= 200 && code < 300;
    const bool allowed = state_ == State::Proceeding || (state_ == State::Accepted && success);
    if (!allowed) {
        return sip_error(SipErrorCode::InvalidState,
                         std::string("INVITE server transaction cannot send ") +
                             std::to_string(code) + " in state " + to_string(state_));
    }
    auto wire = serialize_sip_message(response);
    if (!wire) return phonecwmp::Unexpected(wire.error());

    cancel_timer(trying_timer_);
    // Only a response that is not the first needs the 100 again.
    trying_wire_ = std::string();
    last_response_wire_ = std::move(*wire);
    if (hooks_.send) hooks_.send(last_response_wire_);
    if (success) {
        // Accepted never resends: the TU retransmits its 2xx (RFC 6026), so
        // the bytes would only occupy memory for Timer L.
        last_response_wire_ = std::string();
    }
    if (code < 200 || state_ == State::Accepted) return {};
    if (success) {
        state_ = State::Accepted;
        start_timer(timer_l_, 64 * settings_.t1, &InviteServerTransaction::on_timer_l);
        return {};
    }
    state_ = State::Completed;
    if (reliability_ == TransportReliability::Unreliable) {
        timer_g_interval_ = settings_.t1;
        start_timer(timer_g_, timer_g_interval_, &InviteServerTransaction::on_timer_g);
    }
    start_timer(timer_h_, 64 * settings_.t1, &InviteServerTransaction::on_timer_h);
    return {};
}

RequestDisposition InviteServerTransaction::on_request(const SipMessage& request) {
    if (!request.is_request()) return RequestDisposition::Absorbed;
    const std::string& method = request.request_line().method;
    if (method == "INVITE") {
        // Proceeding resends the last provisional, Completed the final; in
        // Accepted the TU retransmits the 2xx on its own schedule (RFC 6026).
        const bool resend = state_ == State::Proceeding || state_ == State::Completed;
        if (resend && !last_response_wire_.empty() && hooks_.send) hooks_.send(last_response_wire_);
        return RequestDisposition::Absorbed;
    }
    if (method != "ACK") return RequestDisposition::Absorbed;
    if (state_ == State::Accepted) return RequestDisposition::PassToTransactionUser;
    if (state_ != State::Completed) return RequestDisposition::Absorbed;
    cancel_timer(timer_g_);
    cancel_timer(timer_h_);
    state_ = State::Confirmed;
    // Confirmed only absorbs ACKs: nothing is ever sent again.
    last_response_wire_ = std::string();
    if (reliability_ == TransportReliability::Reliable) {
        terminate(TerminationReason::Finished);
    } else {
        start_timer(timer_i_, settings_.t4, &InviteServerTransaction::on_timer_i);
    }
    return RequestDisposition::Absorbed;
}

void InviteServerTransaction::on_transport_error() {
    if (state_ != State::Terminated) terminate(TerminationReason::TransportError);
}

void InviteServerTransaction::on_trying_timer() {
    if (state_ == State::Proceeding && last_response_wire_.empty() && hooks_.send) {
        last_response_wire_ = std::move(trying_wire_);
        trying_wire_ = std::string();
        hooks_.send(last_response_wire_);
    }
}

void InviteServerTransaction::on_timer_g() {
    if (state_ != State::Completed) return;
    if (hooks_.send) hooks_.send(last_response_wire_);
    timer_g_interval_ = std::min(2 * timer_g_interval_, settings_.t2);
    start_timer(timer_g_, timer_g_interval_, &InviteServerTransaction::on_timer_g);
}

void InviteServerTransaction::on_timer_h() {
    if (state_ == State::Completed) terminate(TerminationReason::Timeout);
}

void InviteServerTransaction::on_timer_i() {
    if (state_ == State::Confirmed) terminate(TerminationReason::Finished);
}

void InviteServerTransaction::on_timer_l() {
    if (state_ == State::Accepted) terminate(TerminationReason::Finished);
}

const char* to_string(InviteServerTransaction::State state) {
    switch (state) {
        case InviteServerTransaction::State::Proceeding:
            return "Proceeding";
        case InviteServerTransaction::State::Completed:
            return "Completed";
        case InviteServerTransaction::State::Confirmed:
            return "Confirmed";
        case InviteServerTransaction::State::Accepted:
            return "Accepted";
        case InviteServerTransaction::State::Terminated:
            return "Terminated";
    }
    return "unknown";
}

}  // namespace agent::sip
