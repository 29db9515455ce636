#include "rpc/faults.hpp"
#include "rpc/parameter_key.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

// 9005 when ObjectName names no table the ACS may add to, 9004 at the
// table's maxEntries (the mapping is the data model's, see Model::add_object).
cwmp::Body handle(const cwmp::AddObject& request, RpcContext& context) {
    if (auto fault = parameter_key_fault(request.parameter_key)) return *fault;
    // The ParameterKey changes with the new instance, in one transaction,
    // and not at all when the instance cannot be created.
    const auto number =
        context.model.add_object(request.object_name, with_parameter_key(request.parameter_key));
    if (!number) {
        return fault_for(number.error());
    }
    // Status 0: the instance exists and is in effect once committed.
    return cwmp::AddObjectResponse{*number, 0};
}

}  // namespace agent::rpc
