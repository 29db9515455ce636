// CWMP versions and the XML namespaces that carry them.
#include "cwmp/version.hpp"

#include <array>

namespace cwmp {

namespace {

struct NamespaceEntry {
    Namespace ns;
    std::string_view uri;
    std::string_view highest_version;
};

constexpr std::array<NamespaceEntry, 5> kNamespaces{{
    {Namespace::Cwmp10, "urn:dslforum-org:cwmp-1-0", "1.0"},
    {Namespace::Cwmp11, "urn:dslforum-org:cwmp-1-1", "1.1"},
    // CWMP 1.2, 1.3 and 1.4 share this namespace.
    {Namespace::Cwmp12, "urn:dslforum-org:cwmp-1-2", "1.4"},
    // Not defined by the Broadband Forum; a peer that sends them names its
    // version in the namespace, so that is the version they can carry.
    {Namespace::Cwmp13, "urn:dslforum-org:cwmp-1-3", "1.3"},
    {Namespace::Cwmp14, "urn:dslforum-org:cwmp-1-4", "1.4"},
}};

const NamespaceEntry& entry(Namespace ns) {
    for (const auto& e : kNamespaces) {
        if (e.ns == ns) {
            return e;
        }
    }
    return kNamespaces[2];
}

}  // namespace

std::string_view namespace_uri(Namespace ns) {
    return entry(ns).uri;
}

std::optional<Namespace> namespace_from_uri(std::string_view uri) {
    for (const auto& e : kNamespaces) {
        if (e.uri == uri) {
            return e.ns;
        }
    }
    return std::nullopt;
}

std::optional<Namespace> namespace_for_version(std::string_view version) {
    if (version == "1.0") {
        return Namespace::Cwmp10;
    }
    if (version == "1.1") {
        return Namespace::Cwmp11;
    }
    if (version == "1.2" || version == "1.3" || version == "1.4") {
        return Namespace::Cwmp12;
    }
    return std::nullopt;
}

std::string_view highest_version_in(Namespace ns) {
    return entry(ns).highest_version;
}

}  // namespace cwmp
