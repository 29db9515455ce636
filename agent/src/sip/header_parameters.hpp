// The `*( SEMI generic-param )` tail of Via, From/To/Contact and other header
// values (RFC 3261 §25.1: generic-param = token [ EQUAL gen-value ]).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phonecwmp/expected.hpp"

namespace agent::sip {

struct HeaderParameter {
    std::string name;
    std::optional<std::string> value;  // nullopt for a flag such as `;lr` or `;rport`

    bool operator==(const HeaderParameter&) const = default;
};

using HeaderParameters = std::vector<HeaderParameter>;

// Parameter names compare case-insensitively (RFC 3261 §7.3.1).
const HeaderParameter* find_parameter(const HeaderParameters& parameters, std::string_view name);
// Replaces the value of `name`, or appends it.
void set_parameter(HeaderParameters& parameters, std::string_view name,
                   std::optional<std::string> value);

// Parses text that is empty or starts with ';'. Values may be tokens, hosts
// (including [IPv6] references) or quoted strings, kept with their quotes.
// Fails on empty or non-token names, bad values and more than
// `max_parameters` entries.
phonecwmp::Expected<HeaderParameters, std::string> parse_header_parameters(
    std::string_view text, std::size_t max_parameters);

// `;name=value;flag` — the inverse of parse_header_parameters.
std::string format_header_parameters(const HeaderParameters& parameters);

}  // namespace agent::sip
