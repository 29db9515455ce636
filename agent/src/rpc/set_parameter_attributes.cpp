#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

// All entries are checked before any attribute changes: 9005 for an unknown
// name, 9003 for a Notification outside 0..6 or an AccessList entry other
// than "Subscriber", 9009 for a notification the parameter refuses.
cwmp::Body handle(const cwmp::SetParameterAttributes& request, RpcContext& context) {
    std::vector<datamodel::AttributeWrite> writes;
    writes.reserve(request.parameter_list.size());
    for (const auto& entry : request.parameter_list) {
        datamodel::AttributeWrite write{entry.name, std::nullopt, std::nullopt};
        if (entry.notification_change) write.notification = entry.notification;
        if (entry.access_list_change) write.access_list = entry.access_list;
        writes.push_back(std::move(write));
    }
    const auto applied = context.model.set_attributes(writes);
    if (!applied) {
        return fault_for(applied.error());
    }
    return cwmp::SetParameterAttributesResponse{};
}

}  // namespace agent::rpc
