#include "sip/client_transaction.hpp"

#include <algorithm>

#include "sip/cseq.hpp"
#include "sip/via.hpp"

namespace agent::sip {

ClientTransactionKey client_key_of_response(const SipMessage& response) {
    const auto via_text = response.header("Via");
    const auto cseq_text = response.header("CSeq");
    if (!via_text || !cseq_text) {
        return {};
    }
    auto via = parse_via(*via_text);
    auto cseq = parse_cseq(*cseq_text);
    if (!via || !cseq) {
        return {};
    }
    return {via->branch(), cseq->method};
}

const char* to_string(NonInviteClientTransaction::State state) {
    switch (state) {
        case NonInviteClientTransaction::State::Trying:
            return "Trying";
        case NonInviteClientTransaction::State::Proceeding:
            return "Proceeding";
        case NonInviteClientTransaction::State::Completed:
            return "Completed";
        case NonInviteClientTransaction::State::Terminated:
            return "Terminated";
    }
    return "Terminated";
}

NonInviteClientTransaction::NonInviteClientTransaction(TransactionTimers& timers,
                                                       TransactionTimerSettings settings,
                                                       bool reliable, ClientTransactionKey key,
                                                       std::string wire,
                                                       ClientTransactionHooks hooks)
    : timers_(timers),
      settings_(settings),
      reliable_(reliable),
      key_(std::move(key)),
      wire_(std::move(wire)),
      hooks_(std::move(hooks)),
      interval_e_(settings.t1) {}

NonInviteClientTransaction::~NonInviteClientTransaction() {
    cancel_timers();
}

void NonInviteClientTransaction::start() {
    timer_f_ = timers_.start(64 * settings_.t1, [this] {
        timer_f_ = 0;
        on_timer_f();
    });
    if (!reliable_) {
        timer_e_ = timers_.start(interval_e_, [this] {
            timer_e_ = 0;
            on_timer_e();
        });
    }
    transmit();
}

void NonInviteClientTransaction::transmit() {
    ++transmissions_;
    if (!hooks_.send(wire_)) {
        fail("the transport could not send the request");
    }
}

void NonInviteClientTransaction::on_timer_e() {
    if (state_ != State::Trying && state_ != State::Proceeding) {
        return;
    }
    // §17.1.2.2: doubling up to T2 while Trying; every T2 once Proceeding.
    interval_e_ =
        state_ == State::Proceeding ? settings_.t2 : std::min(2 * interval_e_, settings_.t2);
    timer_e_ = timers_.start(interval_e_, [this] {
        timer_e_ = 0;
        on_timer_e();
    });
    transmit();
}

void NonInviteClientTransaction::on_timer_f() {
    if (state_ == State::Trying || state_ == State::Proceeding) {
        fail("no final response within timer F (64*T1)");
    }
}

void NonInviteClientTransaction::on_response(const SipMessage& response) {
    if (response.is_request() || (state_ != State::Trying && state_ != State::Proceeding)) {
        return;  // Completed absorbs retransmitted finals.
    }
    const int status = response.status_line().status_code;
    if (status < 200) {
        state_ = State::Proceeding;
        auto deliver = hooks_.on_response;  // the hook may destroy this transaction
        deliver(response);
        return;
    }
    state_ = State::Completed;
    cancel_timers();
    if (reliable_) {
        state_ = State::Terminated;
    } else {
        timer_k_ = timers_.start(settings_.t4, [this] {
            timer_k_ = 0;
            state_ = State::Terminated;
        });
    }
    // Last, through a copy: the transaction user may destroy this transaction.
    auto deliver = hooks_.on_response;
    deliver(response);
}

void NonInviteClientTransaction::on_transport_error(const std::string& reason) {
    if (state_ == State::Trying || state_ == State::Proceeding) {
        fail(reason);
    }
}

void NonInviteClientTransaction::fail(const std::string& reason) {
    terminate();
    auto report = hooks_.on_failure;  // the hook may destroy this transaction
    report(reason);
}

void NonInviteClientTransaction::terminate() {
    state_ = State::Terminated;
    cancel_timers();
}

void NonInviteClientTransaction::cancel_timers() {
    for (auto* id : {&timer_e_, &timer_f_, &timer_k_}) {
        if (*id != 0) {
            timers_.cancel(*id);
            *id = 0;
        }
    }
}

}  // namespace agent::sip
