#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

cwmp::Body handle(const cwmp::GetParameterNames& request, RpcContext& context) {
    auto names = context.model.get_names(request.parameter_path, request.next_level);
    if (!names) {
        return fault_for(names.error());
    }
    cwmp::GetParameterNamesResponse response;
    response.parameter_list.reserve(names->size());
    for (auto& name : *names) {
        response.parameter_list.push_back({std::move(name.path), name.writable});
    }
    return response;
}

}  // namespace agent::rpc
