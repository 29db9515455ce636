// Which server transaction a request belongs to (RFC 3261 §17.2.3).
//
// RFC 3261 requests (top Via branch starting with z9hG4bK) match on branch,
// sent-by and method, where ACK counts as INVITE so it finds the INVITE
// transaction it acknowledges. Older RFC 2543 requests match on Request-URI,
// From tag, Call-ID, CSeq number and the whole top Via; the To tag is left out
// for INVITE and its ACK (the ACK carries the tag the server added, the INVITE
// none) and kept for everything else.
#pragma once

#include <cstddef>
#include <string>

#include "sip/sip_error.hpp"
#include "sip/sip_message.hpp"

namespace agent::sip {

struct ServerTransactionKey {
    bool rfc3261 = true;
    std::string branch;
    std::string sent_by;  // lower-cased host[:port]
    std::string method;   // INVITE for INVITE and ACK; otherwise the request method
    // RFC 2543 fallback fields; empty for RFC 3261 keys.
    std::string request_uri;
    std::string from_tag;
    std::string to_tag;
    std::string call_id;
    std::uint32_t cseq_number = 0;
    std::string top_via;

    bool operator==(const ServerTransactionKey&) const = default;
};

struct ServerTransactionKeyHash {
    std::size_t operator()(const ServerTransactionKey& key) const;
};

// The key of the transaction `request` creates or belongs to. Fails when the
// request's core headers are invalid (they are not, after the parser).
SipResult<ServerTransactionKey> server_transaction_key(const SipMessage& request);

// The key of the INVITE transaction a CANCEL targets (§9.2): the CANCEL's own
// key with the method replaced by INVITE.
SipResult<ServerTransactionKey> cancelled_invite_key(const SipMessage& cancel);

}  // namespace agent::sip
