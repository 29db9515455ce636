#include "sip/transport_kind.hpp"

#include <boost/algorithm/string/predicate.hpp>

namespace agent::sip {

std::string_view transport_name(TransportKind kind) {
    switch (kind) {
        case TransportKind::Udp:
            return "UDP";
        case TransportKind::Tcp:
            return "TCP";
        case TransportKind::Tls:
            return "TLS";
    }
    return "UDP";
}

std::optional<TransportKind> parse_transport(std::string_view name) {
    for (auto kind : {TransportKind::Udp, TransportKind::Tcp, TransportKind::Tls}) {
        if (boost::algorithm::iequals(name, transport_name(kind))) {
            return kind;
        }
    }
    return std::nullopt;
}

TransportReliability reliability_of(TransportKind kind) {
    return kind == TransportKind::Udp ? TransportReliability::Unreliable
                                      : TransportReliability::Reliable;
}

}  // namespace agent::sip
