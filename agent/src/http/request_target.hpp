// Where a request goes, as libcurl will see it, and the CURLOPT_RESOLVE entry
// that hands it our own DNS answer.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>
#include <vector>

#include "phonecwmp/expected.hpp"

namespace agent::http {

struct RequestTarget {
    std::string scheme;  // "http" or "https"
    std::string host;    // as in the URL; an IPv6 literal without brackets
    unsigned port = 0;   // the scheme's default when the URL has none
    bool ip_literal = false;
};

// Parses an absolute http or https URL with libcurl's own URL parser.
phonecwmp::Expected<RequestTarget, std::string> parse_request_target(const std::string& url);

// "host:port:addr1,[v6addr2]" for CURLOPT_RESOLVE. Scoped IPv6 addresses
// (link-local with an interface) cannot be written there and are left out;
// returns an empty string when no address is left.
std::string resolve_entry(const RequestTarget& target,
                          const std::vector<boost::asio::ip::address>& addresses);

}  // namespace agent::http
