// The parts of an http:// URL that a client needs to connect and ask: a
// ConnectionRequestURL reported by a CPE.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"

namespace acssim {

struct HttpUrl {
    std::string host;  // a name or an address; IPv6 without its brackets
    std::uint16_t port = 80;
    std::string target;     // origin-form: path and query, "/" when the URL has none
    std::string authority;  // as written in the URL, for the Host header
};

// Accepts "http://HOST[:PORT][/PATH[?QUERY]]" with HOST a name, an IPv4
// address or a bracketed IPv6 address; the scheme is case-insensitive.
// Refuses other schemes, user-info, fragments, control characters and
// spaces, empty hosts and bad ports, with a message naming the problem.
phonecwmp::Expected<HttpUrl, std::string> parse_http_url(std::string_view url);

}  // namespace acssim
