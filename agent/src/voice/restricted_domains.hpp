// The restricted access domains of the phone
// (Device.Services.VoiceService.{i}.X_PHONECWMP_RestrictedAccessDomains): a
// comma-separated list of FQDNs. A host is inside when it equals one of them
// or is a subdomain of one; an empty list restricts nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace agent::voice {

// The FQDNs of a list, lower-cased, without spaces or a trailing dot; empty
// items are skipped.
std::vector<std::string> parse_domain_list(std::string_view list);

// True when `host` (a host name, or an IP literal, optionally with ":port"
// or in [brackets]) is inside `domains`. An IP literal is inside only an
// empty list: an address is not a name under any domain.
bool host_within_domains(std::string_view host, const std::vector<std::string>& domains);

// The host part of a server setting as TR-104 writes it ("proxy.example.com",
// "proxy.example.com:5060", "[2001:db8::1]:5061", "10.0.0.1").
std::string_view host_of(std::string_view server);

}  // namespace agent::voice
