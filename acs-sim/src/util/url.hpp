// Request-target parsing for the NBI: path segments and query parameters,
// percent-decoded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace acssim {

// Decodes %XX escapes; with plus_is_space (query strings, as Node's
// querystring does for GenieACS) also '+' as a space. nullopt for a
// malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Percent-encodes every byte except unreserved characters (RFC 3986 §2.3).
std::string percent_encode(std::string_view text);

// Percent-encodes every byte for which `keep` is false, as %XX (upper case).
std::string percent_encode_except(std::string_view text, bool (*keep)(unsigned char));

struct RequestTarget {
    // Decoded path segments: "/devices/A%2DB/tasks" gives {"devices", "A-B", "tasks"}.
    // Empty segments (a trailing slash, doubled slashes) are dropped.
    std::vector<std::string> segments;
    // Decoded query parameters; a parameter without '=' maps to "".
    // When a name repeats, the first occurrence wins.
    std::map<std::string, std::string, std::less<>> query;
};

// nullopt when the target is not origin-form or contains a malformed escape.
std::optional<RequestTarget> parse_request_target(std::string_view target);

}  // namespace acssim
