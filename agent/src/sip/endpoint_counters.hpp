// What the SIP endpoint counts: the figures behind the agent's statistics
// and the "dropped requests" counter of the restricted access domains.
#pragma once

#include <cstdint>

namespace agent::sip {

struct EndpointCounters {
    std::uint64_t requests_received = 0;       // parsed requests, retransmissions included
    std::uint64_t responses_sent = 0;          // every response put on the wire
    std::uint64_t responses_ignored = 0;       // responses no REGISTER transaction matched
    std::uint64_t malformed_dropped = 0;       // bytes that did not parse as SIP
    std::uint64_t restricted_dropped = 0;      // source outside the restricted access domains
    std::uint64_t source_filter_dropped = 0;   // InboundAuth=SourceFilter, not the proxy
    std::uint64_t overload_dropped = 0;        // transaction table full (answered 503)
    std::uint64_t stray_acks = 0;              // ACKs matching no transaction or dialog
    std::uint64_t challenges_sent = 0;         // Auth INVITE 401s
    std::uint64_t auth_refused = 0;            // Auth INVITE 403s
    std::uint64_t calls_answered = 0;          // INVITEs answered 200
    std::uint64_t calls_refused_busy = 0;      // no dialog slot: 486
    std::uint64_t calls_cancelled = 0;         // CANCEL before the answer: 487
    std::uint64_t calls_ended = 0;             // BYE received
    std::uint64_t answers_unacknowledged = 0;  // 2xx never ACKed within 64*T1

    // Every request not processed because of the access policy.
    std::uint64_t dropped_requests() const {
        return restricted_dropped + source_filter_dropped + overload_dropped;
    }
};

}  // namespace agent::sip
