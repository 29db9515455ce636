// The transports the phone's SIP endpoint speaks (TR-104 *Transport values
// minus SCTP, which the endpoint does not implement).
#pragma once

#include <optional>
#include <string_view>

#include "sip/server_transaction_hooks.hpp"

namespace agent::sip {

enum class TransportKind { Udp, Tcp, Tls };

// "UDP", "TCP", "TLS": the TR-104 spelling and the Via transport token.
std::string_view transport_name(TransportKind kind);
// Case-insensitive; nullopt for anything else (SCTP included).
std::optional<TransportKind> parse_transport(std::string_view name);
TransportReliability reliability_of(TransportKind kind);

}  // namespace agent::sip
