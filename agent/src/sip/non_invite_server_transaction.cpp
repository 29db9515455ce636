#include "sip/non_invite_server_transaction.hpp"

#include <utility>

#include "sip/message_serializer.hpp"

namespace agent::sip {

SipResult<std::unique_ptr<NonInviteServerTransaction>> NonInviteServerTransaction::create(
    const SipMessage& request, TransportReliability reliability, TransactionTimers& timers,
    TransactionTimerSettings settings, ServerTransactionHooks hooks) {
    if (!request.is_request() || request.request_line().method == "INVITE" ||
        request.request_line().method == "ACK") {
        return sip_error(SipErrorCode::InvalidArgument,
                         "a non-INVITE server transaction needs a request other than INVITE "
                         "and ACK");
    }
    return std::make_unique<NonInviteServerTransaction>(CreationKey{}, reliability, timers,
                                                        settings, std::move(hooks));
}

NonInviteServerTransaction::NonInviteServerTransaction(CreationKey,
                                                       TransportReliability reliability,
                                                       TransactionTimers& timers,
                                                       TransactionTimerSettings settings,
                                                       ServerTransactionHooks hooks)
    : reliability_(reliability), timers_(timers), settings_(settings), hooks_(std::move(hooks)) {}

NonInviteServerTransaction::~NonInviteServerTransaction() {
    if (timer_j_) timers_.cancel(*timer_j_);
}

void NonInviteServerTransaction::terminate(TerminationReason reason) {
    if (timer_j_) timers_.cancel(*timer_j_);
    timer_j_.reset();
    state_ = State::Terminated;
    // Moved out first: the owner may destroy this object inside the callback.
    auto on_terminated = std::move(hooks_.on_terminated);
    if (on_terminated) on_terminated(reason);
}

SipResult<void> NonInviteServerTransaction::send_response(const SipMessage& response) {
    if (response.is_request()) {
        return sip_error(SipErrorCode::InvalidArgument, "send_response was given a request");
    }
    const int code = response.status_line().status_code;
    if (state_ != State::Trying && state_ != State::Proceeding) {
        return sip_error(SipErrorCode::InvalidState,
                         std::string("non-INVITE server transaction cannot send ") +
                             std::to_string(code) + " in state " + to_string(state_));
    }
    auto wire = serialize_sip_message(response);
    if (!wire) return phonecwmp::Unexpected(wire.error());
    last_response_wire_ = std::move(*wire);
    if (hooks_.send) hooks_.send(last_response_wire_);
    if (code < 200) {
        state_ = State::Proceeding;
        return {};
    }
    state_ = State::Completed;
    if (reliability_ == TransportReliability::Reliable) {
        terminate(TerminationReason::Finished);
    } else {
        // The destructor cancels the timer, so `this` outlives the callback.
        timer_j_ = timers_.start(64 * settings_.t1, [this] {
            timer_j_.reset();
            on_timer_j();
        });
    }
    return {};
}

RequestDisposition NonInviteServerTransaction::on_request(const SipMessage& /*request*/) {
    if ((state_ == State::Proceeding || state_ == State::Completed) && hooks_.send) {
        hooks_.send(last_response_wire_);
    }
    return RequestDisposition::Absorbed;
}

void NonInviteServerTransaction::on_transport_error() {
    if (state_ != State::Terminated) terminate(TerminationReason::TransportError);
}

void NonInviteServerTransaction::on_timer_j() {
    if (state_ == State::Completed) terminate(TerminationReason::Finished);
}

const char* to_string(NonInviteServerTransaction::State state) {
    switch (state) {
        case NonInviteServerTransaction::State::Trying:
            return "Trying";
        case NonInviteServerTransaction::State::Proceeding:
            return "Proceeding";
        case NonInviteServerTransaction::State::Completed:
            return "Completed";
        case NonInviteServerTransaction::State::Terminated:
            return "Terminated";
    }
    return "unknown";
}

}  // namespace agent::sip
