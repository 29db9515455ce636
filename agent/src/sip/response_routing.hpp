// RFC 3261 §18.2.1 / §18.2.2 and RFC 3581 (rport) for a UAS: the transport
// notes on the top Via where a request really came from, and the response
// goes there rather than to whatever the Via claims.
#pragma once

#include "sip/message_origin.hpp"
#include "sip/sip_error.hpp"
#include "sip/sip_message.hpp"
#include "sip/via.hpp"

namespace agent::sip {

// Adds `received` to the top Via when its sent-by host is not the source
// address (always when the request asked for rport), and fills an empty
// `rport` with the source port. Fails when the request has no valid Via.
SipResult<void> stamp_top_via(SipMessage& request, const MessageOrigin& origin);

// Where responses to a request with this (stamped) top Via go: back over the
// connection for TCP/TLS; for UDP to `received` (else the source address) at
// `rport`, else the sent-by port, else 5060. Multicast `maddr` is not
// honoured: a phone answers the address that reached it.
ResponseDestination response_destination(const Via& top_via, const MessageOrigin& origin);

}  // namespace agent::sip
