// Character classes and small scanners of the RFC 3261 §25 grammar, shared by
// the header and URI parsers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phonecwmp/expected.hpp"

namespace agent::sip {

bool is_alpha(char c);
bool is_digit(char c);
bool is_alphanumeric(char c);
bool is_hex_digit(char c);
// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
bool is_token_char(char c);
bool is_token(std::string_view text);
// SP or HTAB.
bool is_whitespace(char c);

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
std::string_view trim_whitespace(std::string_view text);

// A non-empty run of decimal digits whose value is at most `max`; anything
// else (sign, spaces, overflow) is nullopt.
std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max);

// The length of the quoted-string at the start of `text` (which starts with
// '"'), including both quotes and honouring backslash escapes; nullopt when it
// is not closed.
std::optional<std::size_t> quoted_string_length(std::string_view text);

// Splits a header value on the commas that separate list elements, ignoring
// commas inside quoted strings and <...>. Elements are trimmed. Fails when a
// quote or bracket is left open, an element is empty, or there are more than
// `max_items` elements.
phonecwmp::Expected<std::vector<std::string_view>, std::string> split_header_list(
    std::string_view value, std::size_t max_items);

// True when every '%' starts a valid %HH escape.
bool escapes_are_valid(std::string_view text);

// Checks an IPv4 dotted quad or an IPv6 address (without brackets).
bool is_ipv4_address(std::string_view text);
bool is_ipv6_address(std::string_view text);
// hostname = *( domainlabel "." ) toplabel [ "." ], labels of alphanumerics
// and inner hyphens.
bool is_hostname(std::string_view text);

}  // namespace agent::sip
