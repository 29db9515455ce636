#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

// 9005 when ObjectName names no table the ACS may add to, 9004 at the
// table's maxEntries (the mapping is the data model's, see Model::add_object).
cwmp::Body handle(const cwmp::AddObject& request, RpcContext& context) {
    if (request.parameter_key.size() > kMaxParameterKeyLength) {
        return make_fault(cwmp::kInvalidArguments, "ParameterKey longer than 32 characters");
    }
    // The ParameterKey changes with the new instance, in one transaction,
    // and not at all when the instance cannot be created.
    datamodel::ChangeSet alongside;
    alongside.internal_source = datamodel::ChangeSource::Controller;
    alongside.internal_writes.push_back(
        {std::string(kParameterKeyPath), request.parameter_key, std::nullopt});
    const auto number = context.model.add_object(request.object_name, alongside);
    if (!number) {
        return fault_for(number.error());
    }
    // Status 0: the instance exists and is in effect once committed.
    return cwmp::AddObjectResponse{*number, 0};
}

}  // namespace agent::rpc
