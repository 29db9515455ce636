#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

// 9005 when ObjectName is no instance the ACS may delete, or deleting it
// would go below the table's minEntries (see Model::delete_object).
cwmp::Body handle(const cwmp::DeleteObject& request, RpcContext& context) {
    if (request.parameter_key.size() > kMaxParameterKeyLength) {
        return make_fault(cwmp::kInvalidArguments, "ParameterKey longer than 32 characters");
    }
    datamodel::ChangeSet alongside;
    alongside.internal_source = datamodel::ChangeSource::Controller;
    alongside.internal_writes.push_back(
        {std::string(kParameterKeyPath), request.parameter_key, std::nullopt});
    const auto deleted = context.model.delete_object(request.object_name, alongside);
    if (!deleted) {
        return fault_for(deleted.error());
    }
    return cwmp::DeleteObjectResponse{0};
}

}  // namespace agent::rpc
