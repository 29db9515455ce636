#include "sip/sip_error.hpp"

#include <utility>

namespace agent::sip {

int response_status_for(SipErrorCode code) {
    switch (code) {
        case SipErrorCode::UnsupportedVersion:
            return 505;
        case SipErrorCode::MessageTooLarge:
            return 513;
        default:
            return 400;
    }
}

const char* to_string(SipErrorCode code) {
    switch (code) {
        case SipErrorCode::EmptyMessage:
            return "empty message";
        case SipErrorCode::MessageTooLarge:
            return "message too large";
        case SipErrorCode::MalformedStartLine:
            return "malformed start line";
        case SipErrorCode::UnsupportedVersion:
            return "unsupported SIP version";
        case SipErrorCode::MalformedHeader:
            return "malformed header";
        case SipErrorCode::HeaderLineTooLong:
            return "header line too long";
        case SipErrorCode::TooManyHeaders:
            return "too many headers";
        case SipErrorCode::TooManyVias:
            return "too many Via headers";
        case SipErrorCode::MissingHeader:
            return "missing header";
        case SipErrorCode::DuplicateHeader:
            return "duplicate header";
        case SipErrorCode::InvalidHeaderValue:
            return "invalid header value";
        case SipErrorCode::CSeqMethodMismatch:
            return "CSeq method mismatch";
        case SipErrorCode::IncompleteHeaders:
            return "incomplete headers";
        case SipErrorCode::BodyLengthMismatch:
            return "body length mismatch";
        case SipErrorCode::MissingContentLength:
            return "missing Content-Length";
        case SipErrorCode::InvalidArgument:
            return "invalid argument";
        case SipErrorCode::InvalidState:
            return "invalid state";
    }
    return "unknown error";
}

phonecwmp::Unexpected<SipError> sip_error(SipErrorCode code, std::string message,
                                          std::size_t line) {
    return phonecwmp::Unexpected(SipError{code, std::move(message), line});
}

}  // namespace agent::sip
