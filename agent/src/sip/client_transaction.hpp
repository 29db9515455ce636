// The non-INVITE client transaction of RFC 3261 §17.1.2 (used for REGISTER):
// Trying → Proceeding → Completed → Terminated, on the injected clock.
// Over UDP the request is retransmitted by timer E (T1 doubling to T2, T2
// once a provisional arrived) and the transaction gives up after timer F
// (64·T1); over TCP/TLS only timer F runs. After the final response the
// transaction lingers T4 (timer K) over UDP to absorb retransmitted
// responses, and terminates at once over streams.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "sip/sip_message.hpp"
#include "sip/transaction_timers.hpp"

namespace agent::sip {

// RFC 3261 §17.1.3: a response belongs to the client transaction whose
// request carried the same top Via branch and CSeq method.
struct ClientTransactionKey {
    std::string branch;
    std::string method;
    bool operator==(const ClientTransactionKey&) const = default;
};

// The key of a received response; empty branch when the response has no
// usable top Via or CSeq (it then matches nothing).
ClientTransactionKey client_key_of_response(const SipMessage& response);

struct ClientTransactionHooks {
    // Puts the request on the wire again (or the first time); false when the
    // transport failed (the transaction ends with a transport error).
    std::function<bool(const std::string& wire)> send;
    // Every response handed to the transaction user: provisionals while
    // Trying/Proceeding, then the final one; retransmissions are absorbed.
    std::function<void(const SipMessage& response)> on_response;
    // Timer F fired, or the transport failed: no final response will come.
    std::function<void(const std::string& reason)> on_failure;
};

class NonInviteClientTransaction {
public:
    enum class State { Trying, Proceeding, Completed, Terminated };

    // `reliable` is true over TCP/TLS. Call start() to send the request.
    NonInviteClientTransaction(TransactionTimers& timers, TransactionTimerSettings settings,
                               bool reliable, ClientTransactionKey key, std::string wire,
                               ClientTransactionHooks hooks);
    ~NonInviteClientTransaction();
    NonInviteClientTransaction(const NonInviteClientTransaction&) = delete;
    NonInviteClientTransaction& operator=(const NonInviteClientTransaction&) = delete;

    void start();
    // A response whose key matched. Hooks may destroy the transaction.
    void on_response(const SipMessage& response);
    // The connection carrying the request went away before the final response.
    void on_transport_error(const std::string& reason);

    State state() const { return state_; }
    const ClientTransactionKey& key() const { return key_; }
    std::uint32_t transmissions() const { return transmissions_; }

private:
    void transmit();
    void on_timer_e();
    void on_timer_f();
    void fail(const std::string& reason);
    void terminate();
    void cancel_timers();

    TransactionTimers& timers_;
    TransactionTimerSettings settings_;
    bool reliable_;
    ClientTransactionKey key_;
    std::string wire_;
    ClientTransactionHooks hooks_;
    State state_ = State::Trying;
    std::chrono::milliseconds interval_e_;
    TransactionTimers::TimerId timer_e_ = 0;
    TransactionTimers::TimerId timer_f_ = 0;
    TransactionTimers::TimerId timer_k_ = 0;
    std::uint32_t transmissions_ = 0;
};

const char* to_string(NonInviteClientTransaction::State state);

}  // namespace agent::sip
