// The non-INVITE server transaction of RFC 3261 §17.2.2.
//
//   Trying     --1xx--> Proceeding   (request retransmission: resend last 1xx)
//   Trying/Proceeding --final--> Completed
//                                    (retransmission: resend the final;
//                                     Timer J = 64*T1 over UDP, 0 over reliable → Terminated)
//
// A retransmission in Trying is absorbed without an answer: the TU has not
// produced one yet.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sip/server_transaction_hooks.hpp"
#include "sip/sip_error.hpp"
#include "sip/sip_message.hpp"
#include "sip/transaction_timers.hpp"

namespace agent::sip {

class NonInviteServerTransaction {
    // Only create() can name this, so only create() can construct.
    struct CreationKey {
        explicit CreationKey() = default;
    };

public:
    enum class State { Trying, Proceeding, Completed, Terminated };

    // `request` must be a request other than INVITE and ACK (ACK never
    // creates a server transaction).
    static SipResult<std::unique_ptr<NonInviteServerTransaction>> create(
        const SipMessage& request, TransportReliability reliability, TransactionTimers& timers,
        TransactionTimerSettings settings, ServerTransactionHooks hooks);

    NonInviteServerTransaction(CreationKey, TransportReliability reliability,
                               TransactionTimers& timers, TransactionTimerSettings settings,
                               ServerTransactionHooks hooks);
    ~NonInviteServerTransaction();
    NonInviteServerTransaction(const NonInviteServerTransaction&) = delete;
    NonInviteServerTransaction& operator=(const NonInviteServerTransaction&) = delete;

    // A response from the TU; InvalidState once a final response was sent.
    SipResult<void> send_response(const SipMessage& response);

    // A retransmission of the request, matched by the transport.
    RequestDisposition on_request(const SipMessage& request);

    void on_transport_error();

    State state() const { return state_; }

private:
    void terminate(TerminationReason reason);
    void on_timer_j();

    TransportReliability reliability_;
    TransactionTimers& timers_;
    TransactionTimerSettings settings_;
    ServerTransactionHooks hooks_;
    State state_ = State::Trying;
    std::string last_response_wire_;
    std::optional<TransactionTimers::TimerId> timer_j_;
};

const char* to_string(NonInviteServerTransaction::State state);

}  // namespace agent::sip
