// Builds a response to a request as a UAS must (RFC 3261 §8.2.6): the status
// line, every Via in order, From, To, Call-ID and CSeq copied, a To tag added
// when the UAS creates the dialog side and the request had none, Timestamp
// echoed in 100 Trying. The serializer adds Content-Length.
#pragma once

#include <string_view>

#include "sip/sip_error.hpp"
#include "sip/sip_message.hpp"

namespace agent::sip {

struct ResponseOptions {
    // Empty = the registered phrase for the code.
    std::string_view reason_phrase;
    // Added to To when the request's To has no tag and the response is not
    // 100 Trying (§8.2.6.2). Must be a token; empty = add none.
    std::string_view to_tag;
};

// Fails when `request` is not a request or lacks the copied headers, when
// the status code is outside 100..699, or when the tag is not a token.
SipResult<SipMessage> build_response(const SipMessage& request, int status_code,
                                     const ResponseOptions& options = {});

}  // namespace agent::sip
