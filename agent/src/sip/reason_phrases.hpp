// The reason phrases of RFC 3261 §21 and the extensions a phone meets.
#pragma once

#include <string_view>

namespace agent::sip {

// The registered phrase for `status_code`, or the generic one of its class
// ("Success", "Client Error", ...) for an unregistered code.
std::string_view default_reason_phrase(int status_code);

}  // namespace agent::sip
