// Writes a SipMessage in wire form. Content-Length is always written and
// always equals the body (any Content-Length field in the message is
// ignored), so a stream peer can frame what we send.
#pragma once

#include <string>

#include "sip/sip_error.hpp"
#include "sip/sip_message.hpp"

namespace agent::sip {

// Fails (InvalidArgument) instead of writing something a peer would parse
// differently: a CR, LF or NUL in any field, a method or header name that is
// not a token, a status code outside 100..699.
SipResult<std::string> serialize_sip_message(const SipMessage& message);

}  // namespace agent::sip
