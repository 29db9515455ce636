// The INVITE server transaction of RFC 3261 §17.2.1 as updated by RFC 6026
// (the Accepted state absorbs INVITE retransmissions after a 2xx and lets the
// TU retransmit the 2xx itself).
//
//   Proceeding --1xx--> Proceeding       (INVITE retransmission: resend last 1xx)
//   Proceeding --2xx--> Accepted         (Timer L = 64*T1 → Terminated)
//   Proceeding --3xx-6xx--> Completed    (Timer G resends over UDP, Timer H = 64*T1 → Timeout)
//   Completed  --ACK--> Confirmed        (Timer I = T4 over UDP, 0 over reliable → Terminated)
//
// No sockets: responses leave through ServerTransactionHooks::send and time
// comes from TransactionTimers, so every path is testable without sleeping.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sip/server_transaction_hooks.hpp"
#include "sip/sip_error.hpp"
#include "sip/sip_message.hpp"
#include "sip/transaction_timers.hpp"

namespace agent::sip {

class InviteServerTransaction {
    // Only create() can name this, so only create() can construct.
    struct CreationKey {
        explicit CreationKey() = default;
    };

public:
    enum class State { Proceeding, Completed, Confirmed, Accepted, Terminated };

    // `invite` must be an INVITE that parse_sip_message accepted. Arms the
    // 100 Trying timer.
    static SipResult<std::unique_ptr<InviteServerTransaction>> create(
        const SipMessage& invite, TransportReliability reliability, TransactionTimers& timers,
        TransactionTimerSettings settings, ServerTransactionHooks hooks);

    InviteServerTransaction(CreationKey, TransportReliability reliability,
                            TransactionTimers& timers, TransactionTimerSettings settings,
                            ServerTransactionHooks hooks, std::string trying_wire);
    ~InviteServerTransaction();
    InviteServerTransaction(const InviteServerTransaction&) = delete;
    InviteServerTransaction& operator=(const InviteServerTransaction&) = delete;

    // A response from the TU. InvalidState once a final non-2xx was sent or
    // the transaction ended; InvalidArgument for something that cannot be
    // serialized.
    SipResult<void> send_response(const SipMessage& response);

    // A request the transport matched to this transaction: an INVITE
    // retransmission or an ACK.
    RequestDisposition on_request(const SipMessage& request);

    // The transport could not deliver a response (§17.2.4).
    void on_transport_error();

    State state() const { return state_; }

private:
    void start_timer(std::optional<TransactionTimers::TimerId>& slot,
                     std::chrono::milliseconds delay, void (InviteServerTransaction::*handler)());
    void cancel_timer(std::optional<TransactionTimers::TimerId>& slot);
    void cancel_all_timers();
    void terminate(TerminationReason reason);

    void on_trying_timer();
    void on_timer_g();
    void on_timer_h();
    void on_timer_i();
    void on_timer_l();

    TransportReliability reliability_;
    TransactionTimers& timers_;
    TransactionTimerSettings settings_;
    ServerTransactionHooks hooks_;
    State state_ = State::Proceeding;
    std::string trying_wire_;
    std::string last_response_wire_;  // what a retransmitted INVITE gets back
    std::chrono::milliseconds timer_g_interval_{0};
    std::optional<TransactionTimers::TimerId> trying_timer_;
    std::optional<TransactionTimers::TimerId> timer_g_;
    std::optional<TransactionTimers::TimerId> timer_h_;
    std::optional<TransactionTimers::TimerId> timer_i_;
    std::optional<TransactionTimers::TimerId> timer_l_;
};

const char* to_string(InviteServerTransaction::State state);

}  // namespace agent::sip
