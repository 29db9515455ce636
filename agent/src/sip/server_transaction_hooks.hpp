// What a server transaction needs from its surroundings: a way to put bytes
// on the wire towards the request's source, and someone to tell when it ends.
#pragma once

#include <functional>
#include <string>

namespace agent::sip {

// Decides the retransmission timers: UDP is unreliable; TCP, TLS and SCTP are
// reliable (RFC 3261 §17).
enum class TransportReliability { Unreliable, Reliable };

enum class TerminationReason {
    Finished,        // the normal end (Timer I, J or L, or a reliable transport)
    Timeout,         // Timer H: no ACK for a final INVITE response
    TransportError,  // the transport reported a send failure
};

// What the transport layer should do with a request it matched to a
// transaction.
enum class RequestDisposition {
    Absorbed,               // a retransmission the transaction handled itself
    PassToTransactionUser,  // the ACK for a 2xx (RFC 6026 Accepted state)
};

struct ServerTransactionHooks {
    // Sends one serialized response to where the request came from (the
    // transport applies RFC 3261 §18.2.2 and RFC 3581 addressing).
    std::function<void(const std::string& wire)> send;
    // Called once, as the transaction's last action; the owner may destroy
    // the transaction from inside it.
    std::function<void(TerminationReason)> on_terminated;
};

}  // namespace agent::sip
