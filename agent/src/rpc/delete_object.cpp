#include "rpc/faults.hpp"
#include "rpc/parameter_key.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

// 9005 when ObjectName is no instance the ACS may delete, or deleting it
// would go below the table's minEntries (see Model::delete_object).
cwmp::Body handle(const cwmp::DeleteObject& request, RpcContext& context) {
    if (auto fault = parameter_key_fault(request.parameter_key)) return *fault;
    const auto deleted =
        context.model.delete_object(request.object_name, with_parameter_key(request.parameter_key));
    if (!deleted) {
        return fault_for(deleted.error());
    }
    return cwmp::DeleteObjectResponse{0};
}

}  // namespace agent::rpc
