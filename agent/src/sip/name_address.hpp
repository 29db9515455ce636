// The value of From, To, Contact, Route, Record-Route, Reply-To:
//   ( name-addr / addr-spec ) *( SEMI param )
// with name-addr = [ display-name ] "<" URI ">" (RFC 3261 §20.10, §25.1).
#pragma once

#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"
#include "sip/header_parameters.hpp"

namespace agent::sip {

struct NameAddress {
    // Without its quotes and with quoted-pairs resolved; empty when absent.
    std::string display_name;
    // The URI text as received (SIP/SIPS URIs are validated, other schemes are
    // kept as absolute URIs); parse it with parse_sip_uri when needed.
    std::string uri;
    // Parameters of the header value (tag, expires, q, ...), not of the URI.
    HeaderParameters parameters;

    // The `tag` parameter; empty when absent.
    std::string tag() const;
};

// Parses one element (lists are split before). Without angle brackets the
// URI ends at the first ';' — RFC 3261 §20.10 requires brackets for a URI
// that has parameters of its own.
phonecwmp::Expected<NameAddress, std::string> parse_name_address(std::string_view text,
                                                                 std::size_t max_parameters = 32);

// Always writes the bracketed form, so URI parameters never turn into header
// parameters on the way out.
std::string format_name_address(const NameAddress& address);

}  // namespace agent::sip
