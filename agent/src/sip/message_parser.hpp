// RFC 3261 §7 message parser. Input is untrusted bytes from the network; the
// result is a SipMessage whose core headers are known to be valid, or a
// SipError naming the line and the reason. Nothing here throws or allocates
// more than the limits allow.
#pragma once

#include <string_view>

#include "sip/parse_limits.hpp"
#include "sip/sip_error.hpp"
#include "sip/sip_message.hpp"

namespace agent::sip {

enum class Framing {
    // One UDP datagram is one message: Content-Length is optional (the body is
    // the rest of the datagram); when present, bytes beyond it are discarded
    // and fewer bytes than it declares reject the message (RFC 3261 §18.3).
    Datagram,
    // A message cut out of a TCP/TLS stream by StreamFramer: Content-Length is
    // mandatory and must match the body exactly.
    Stream,
};

SipResult<SipMessage> parse_sip_message(std::string_view bytes, const ParseLimits& limits = {},
                                        Framing framing = Framing::Datagram);

}  // namespace agent::sip
