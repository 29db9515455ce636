// The error value of the SIP message layer. Every failure of the parser, the
// framer, the builders and the transactions is reported as one of these, never
// as an exception, so a hostile peer cannot unwind the io_context thread.
#pragma once

#include <cstddef>
#include <string>

#include "phonecwmp/expected.hpp"

namespace agent::sip {

enum class SipErrorCode {
    EmptyMessage,          // only CRLF keep-alive bytes, or nothing at all
    MessageTooLarge,       // over ParseLimits::max_message_bytes
    MalformedStartLine,    // request line / status line does not follow RFC 3261 §7.1/§7.2
    UnsupportedVersion,    // a SIP version other than 2.0 (answer 505)
    MalformedHeader,       // a header line that is not `name: value`
    HeaderLineTooLong,     // over ParseLimits::max_header_line_bytes
    TooManyHeaders,        // over ParseLimits::max_header_fields
    TooManyVias,           // over ParseLimits::max_via_count
    MissingHeader,         // a mandatory header is absent
    DuplicateHeader,       // a single-valued header appears twice
    InvalidHeaderValue,    // a header whose value does not follow its grammar
    CSeqMethodMismatch,    // the CSeq method differs from the request method
    IncompleteHeaders,     // no empty line ends the header section
    BodyLengthMismatch,    // Content-Length disagrees with the bytes received
    MissingContentLength,  // stream transports require Content-Length
    InvalidArgument,       // a builder was given something it cannot encode
    InvalidState,          // a transaction was asked to do what its state forbids
};

struct SipError {
    SipErrorCode code = SipErrorCode::InvalidArgument;
    std::string message;
    std::size_t line = 0;  // 1-based line of the message that caused it; 0 = not line-specific
};

template <class T>
using SipResult = phonecwmp::Expected<T, SipError>;

// The status code a UAS should answer a request with when parsing it failed
// with `code` (RFC 3261 §8.2, §21): 505 for versions, 513 for size, else 400.
int response_status_for(SipErrorCode code);

// A short stable name for logs and test messages.
const char* to_string(SipErrorCode code);

phonecwmp::Unexpected<SipError> sip_error(SipErrorCode code, std::string message,
                                          std::size_t line = 0);

}  // namespace agent::sip
