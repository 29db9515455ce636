// SIP.Network.{i}.InboundAuth: how the phone decides whom to take calls from.
#pragma once

#include <optional>
#include <string_view>

namespace agent::sip {

enum class InboundAuthMode {
    None,          // anyone (the restricted access domains still apply)
    Digest,        // Auth INVITE: initial INVITEs must answer a digest challenge
    SourceFilter,  // only requests from the ProxyServer's addresses
};

// The TR-104 spelling: "None", "Digest", "SourceFilter".
std::string_view inbound_auth_name(InboundAuthMode mode);
std::optional<InboundAuthMode> parse_inbound_auth(std::string_view text);

}  // namespace agent::sip
