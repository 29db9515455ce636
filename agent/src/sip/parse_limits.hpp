// Bounds on everything a peer can make the parser hold. The defaults suit a
// phone: a UDP datagram is at most 65,535 bytes, and no legitimate message to
// an endpoint carries hundreds of headers or a thousand-character header line.
#pragma once

#include <cstddef>

namespace agent::sip {

struct ParseLimits {
    // The whole message, start line to the end of the body.
    std::size_t max_message_bytes = 65535;
    // Header fields after comma-separated lists are split into one field each.
    std::size_t max_header_fields = 128;
    // One logical header line, after folded continuation lines are joined.
    std::size_t max_header_line_bytes = 4096;
    // Via entries; each proxy on the path adds one, and 70 hops is the default
    // Max-Forwards, but a phone never sits behind more than a handful.
    std::size_t max_via_count = 32;
    // `;name=value` parameters on one header value or URI.
    std::size_t max_parameters = 32;
};

}  // namespace agent::sip
