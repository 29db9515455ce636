#include "dhcp/dhcp_error.hpp"

namespace agent::dhcp {

const char* to_string(DhcpErrorKind kind) {
    switch (kind) {
        case DhcpErrorKind::Truncated:
            return "truncated";
        case DhcpErrorKind::TooLarge:
            return "too large";
        case DhcpErrorKind::Malformed:
            return "malformed";
        case DhcpErrorKind::Invalid:
            return "invalid";
        case DhcpErrorKind::Missing:
            return "missing";
        case DhcpErrorKind::Unexpected:
            return "unexpected";
    }
    return "unknown";
}

}  // namespace agent::dhcp
