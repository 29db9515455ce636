#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"
#include "rpc/wire_types.hpp"

namespace agent::rpc {

cwmp::Body handle(const cwmp::GetParameterValues& request, RpcContext& context) {
    auto values = context.model.get_values(request.parameter_names);
    if (!values) {
        return fault_for(values.error());
    }
    cwmp::GetParameterValuesResponse response;
    response.parameter_list.reserve(values->size());
    for (auto& value : *values) {
        response.parameter_list.push_back(
            {std::move(value.path), std::move(value.value), xsi_type_for(value.type)});
    }
    return response;
}

}  // namespace agent::rpc
