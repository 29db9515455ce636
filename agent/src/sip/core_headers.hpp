// The headers every SIP element relies on, parsed and checked together:
// Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length (RFC 3261 §8.1.1,
// §8.2). The parser runs this on every message it accepts, so a message that
// came out of parse_sip_message always yields CoreHeaders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sip/cseq.hpp"
#include "sip/name_address.hpp"
#include "sip/parse_limits.hpp"
#include "sip/sip_error.hpp"
#include "sip/sip_message.hpp"
#include "sip/via.hpp"

namespace agent::sip {

struct CoreHeaders {
    std::vector<Via> vias;  // top (most recent hop) first
    NameAddress from;
    NameAddress to;
    std::string call_id;
    CSeq cseq;
    std::optional<std::uint32_t> max_forwards;  // always present in a request
    std::optional<std::size_t> content_length;  // absent on datagrams is allowed
};

// Requests need all of Via, From, To, Call-ID, CSeq and Max-Forwards, and the
// CSeq method must equal the request method; responses need all but
// Max-Forwards. Single-valued headers may appear once. Errors name the header
// and the line.
SipResult<CoreHeaders> read_core_headers(const SipMessage& message, const ParseLimits& limits = {});

}  // namespace agent::sip
