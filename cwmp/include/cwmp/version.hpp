// CWMP protocol versions and their XML namespaces.
//
// CWMP 1.2, 1.3 and 1.4 all use the namespace urn:dslforum-org:cwmp-1-2; the
// namespaces cwmp-1-3 and cwmp-1-4 are not defined by the Broadband Forum but
// some implementations send them, so they are accepted and echoed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cwmp {

enum class Namespace { Cwmp10, Cwmp11, Cwmp12, Cwmp13, Cwmp14 };

// "urn:dslforum-org:cwmp-1-0" etc.
std::string_view namespace_uri(Namespace ns);
std::optional<Namespace> namespace_from_uri(std::string_view uri);

// The namespace a given protocol version ("1.0" .. "1.4") is encoded in.
std::optional<Namespace> namespace_for_version(std::string_view version);

// The newest protocol version a namespace can carry ("1.0", "1.1", "1.4").
std::string_view highest_version_in(Namespace ns);

// What this project supports, in the form of the SupportedCWMPVersions header.
inline constexpr std::string_view kSupportedVersions = "1.0,1.1,1.2,1.3,1.4";

}  // namespace cwmp
