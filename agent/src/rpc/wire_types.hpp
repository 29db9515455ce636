// Data-model base types as xsi:type QNames and back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "datamodel/types.hpp"

namespace agent::rpc {

// "xsd:unsignedInt" for BaseType::UnsignedInt.
std::string xsi_type_for(datamodel::BaseType type);

// The base type named by an xsi:type QName ("xsd:int", "unsignedInt",
// "ns:string"): the prefix is ignored because senders bind the XML Schema
// namespace to different prefixes. nullopt for a type outside TR-106's set.
std::optional<datamodel::BaseType> base_type_from_xsi(std::string_view qname);

}  // namespace agent::rpc
