// The data-model rule that keeps the phone's SIP servers inside its
// restricted access domains (DESIGN.md §2): checked on the state a whole
// SetParameterValues would leave, so that the ACS can change the domains
// and the servers together.
#pragma once

#include "datamodel/model.hpp"

namespace agent::voice {

// Registers the rule with `model` (which must outlive nothing: the rule
// reads instance lists from it at check time). A ProxyServer,
// RegistrarServer or OutboundProxy of a SIP.Network outside the domains of
// its VoiceService is refused (InvalidValue, fault 9007): on the server
// parameter when the request writes it, else on the domain list.
void register_restricted_domains_rule(datamodel::Model& model);

}  // namespace agent::voice
