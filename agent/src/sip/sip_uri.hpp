// SIP and SIPS URIs (RFC 3261 §19.1, grammar §25.1).
//
// A password in the userinfo (`sip:alice:secret@host`) is accepted on input and
// dropped: RFC 3261 §19.1.1 says it SHOULD NOT be used, and a value that was
// never stored can never be echoed into a log or a response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phonecwmp/expected.hpp"
#include "sip/header_parameters.hpp"

namespace agent::sip {

struct SipUriHeader {
    std::string name;
    std::string value;

    bool operator==(const SipUriHeader&) const = default;
};

struct SipUri {
    bool secure = false;  // sips:
    std::string user;     // still %-escaped, as on the wire; empty when absent
    std::string host;     // hostname, IPv4, or IPv6 without the brackets
    bool host_is_ipv6 = false;
    std::optional<std::uint16_t> port;
    HeaderParameters parameters;  // transport, lr, maddr, user, method, ttl, ...
    std::vector<SipUriHeader> headers;

    // The `transport` parameter, lower-cased; empty when absent.
    std::string transport() const;
    bool loose_routing() const;  // `;lr`
    // host[:port] with IPv6 in brackets, as in a Via sent-by.
    std::string host_port() const;

    bool operator==(const SipUri&) const = default;
};

// Fails with a reason naming the offending part.
phonecwmp::Expected<SipUri, std::string> parse_sip_uri(std::string_view text,
                                                       std::size_t max_parameters = 32);

std::string format_sip_uri(const SipUri& uri);

// True when `text` starts with "sip:" or "sips:" (case-insensitive).
bool has_sip_scheme(std::string_view text);

// absoluteURI for schemes this layer does not interpret (tel:, urn:, ...):
// scheme ":" followed by at least one character, no whitespace, quotes or
// angle brackets. SIP and SIPS URIs are checked fully with parse_sip_uri.
phonecwmp::Expected<void, std::string> check_uri(std::string_view text,
                                                 std::size_t max_parameters = 32);

}  // namespace agent::sip
