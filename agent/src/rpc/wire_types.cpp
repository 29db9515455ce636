#include "rpc/wire_types.hpp"

namespace agent::rpc {

std::string xsi_type_for(datamodel::BaseType type) {
    return "xsd:" + std::string(datamodel::to_string(type));
}

std::optional<datamodel::BaseType> base_type_from_xsi(std::string_view qname) {
    if (const auto colon = qname.rfind(':'); colon != std::string_view::npos) {
        qname.remove_prefix(colon + 1);
    }
    return datamodel::base_type_from_string(qname);
}

}  // namespace agent::rpc
