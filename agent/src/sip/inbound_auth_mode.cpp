#include "sip/inbound_auth_mode.hpp"

namespace agent::sip {

std::string_view inbound_auth_name(InboundAuthMode mode) {
    switch (mode) {
        case InboundAuthMode::None:
            return "None";
        case InboundAuthMode::Digest:
            return "Digest";
        case InboundAuthMode::SourceFilter:
            return "SourceFilter";
    }
    return "None";
}

std::optional<InboundAuthMode> parse_inbound_auth(std::string_view text) {
    for (auto mode :
         {InboundAuthMode::None, InboundAuthMode::Digest, InboundAuthMode::SourceFilter}) {
        if (text == inbound_auth_name(mode)) {
            return mode;
        }
    }
    return std::nullopt;
}

}  // namespace agent::sip
