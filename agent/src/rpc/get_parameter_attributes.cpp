#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

// Full and partial paths as for GetParameterValues; 9005 for an unknown name.
cwmp::Body handle(const cwmp::GetParameterAttributes& request, RpcContext& context) {
    auto attributes = context.model.get_attributes(request.parameter_names);
    if (!attributes) {
        return fault_for(attributes.error());
    }
    cwmp::GetParameterAttributesResponse response;
    response.parameter_list.reserve(attributes->size());
    for (auto& entry : *attributes) {
        response.parameter_list.push_back({std::move(entry.path), entry.attributes.notification,
                                           std::move(entry.attributes.access_list)});
    }
    return response;
}

}  // namespace agent::rpc
