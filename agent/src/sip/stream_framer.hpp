// Cuts SIP messages out of a TCP or TLS byte stream (RFC 3261 §18.3): skips
// the CRLF keep-alives of RFC 5626 §3.5.1 between messages, waits for the
// empty line that ends the headers, then for exactly Content-Length body
// bytes. Content-Length is mandatory on streams.
//
// Errors are final: the framer cannot find the next message boundary after
// one, so the caller closes the connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/parse_limits.hpp"
#include "sip/sip_error.hpp"

namespace agent::sip {

class StreamFramer {
public:
    explicit StreamFramer(ParseLimits limits = {});

    // Adds bytes read from the connection. Call next_message() until it
    // returns nullopt before appending again; bytes waiting in the framer are
    // bounded by twice max_message_bytes, so a read of at most
    // max_message_bytes always fits.
    SipResult<void> append(std::string_view bytes);

    // The next complete message (start line to end of body, ready for
    // parse_sip_message with Framing::Stream), or nullopt when more bytes are
    // needed.
    SipResult<std::optional<std::string>> next_message();

    // Bytes received but not yet returned as a message.
    std::size_t buffered_bytes() const { return buffer_.size() - consumed_; }
    // CRLF CRLF pings seen between messages; RFC 5626 answers each with CRLF.
    std::uint64_t keepalive_pings() const { return keepalive_pings_; }
    bool failed() const { return failure_.has_value(); }

private:
    phonecwmp::Unexpected<SipError> fail(SipErrorCode code, std::string message);
    void skip_line_ends();

    ParseLimits limits_;
    std::string buffer_;
    std::size_t consumed_ = 0;                   // bytes of buffer_ already handed out
    std::size_t head_scanned_ = 0;               // pending bytes scanned for the head's end
    std::optional<std::size_t> message_length_;  // known once the head has been read
    std::uint64_t keepalive_pings_ = 0;
    unsigned line_ends_since_message_ = 0;
    std::optional<SipError> failure_;
};

}  // namespace agent::sip
