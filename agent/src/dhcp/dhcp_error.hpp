// The error every DHCP decoder, encoder and validator returns. Packets come
// from the network, so the message names the field and the offending value:
// it goes straight into a log line.
#pragma once

#include <string>

#include "phonecwmp/expected.hpp"

namespace agent::dhcp {

enum class DhcpErrorKind {
    Truncated,   // the bytes end before a declared length
    TooLarge,    // a size or count bound is exceeded
    Malformed,   // the bytes cannot be what the RFC defines
    Invalid,     // well-formed, but the value is not acceptable
    Missing,     // a required option or field is absent
    Unexpected,  // a message of the wrong type or for someone else
};

struct DhcpError {
    DhcpErrorKind kind = DhcpErrorKind::Malformed;
    std::string message;
};

template <class T>
using Result = phonecwmp::Expected<T, DhcpError>;

inline phonecwmp::Unexpected<DhcpError> dhcp_error(DhcpErrorKind kind, std::string message) {
    return phonecwmp::Unexpected<DhcpError>(DhcpError{kind, std::move(message)});
}

const char* to_string(DhcpErrorKind kind);

}  // namespace agent::dhcp
