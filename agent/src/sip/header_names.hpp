// Header field names: compact forms (RFC 3261 §7.3.3 and the extensions that
// register one), canonical spelling, and which headers are comma-separated
// lists.
#pragma once

#include <string>
#include <string_view>

namespace agent::sip {

// The full, canonically spelled name for `name`: a compact form is expanded
// ("v" → "Via"), a known header gets its registered spelling ("call-id" →
// "Call-ID"), an unknown one is returned unchanged. Names compare
// case-insensitively on the wire, so this is what the parser stores.
std::string canonical_header_name(std::string_view name);

// True for headers whose grammar is `element *(COMMA element)`, which the
// parser splits into one field per element. Authorization and the challenge
// headers are not lists at this level (their commas separate digest
// parameters of one credential).
bool is_list_header(std::string_view canonical_name);

}  // namespace agent::sip
