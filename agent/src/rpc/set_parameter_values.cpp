#include "rpc/faults.hpp"
#include "rpc/parameter_key.hpp"
#include "rpc/rpc_handlers.hpp"
#include "rpc/wire_types.hpp"

namespace agent::rpc {

cwmp::Body handle(const cwmp::SetParameterValues& request, RpcContext& context) {
    if (auto fault = parameter_key_fault(request.parameter_key)) return *fault;
    std::vector<datamodel::ValueWrite> writes;
    std::vector<datamodel::Error> type_errors;
    writes.reserve(request.parameter_list.size());
    for (const auto& parameter : request.parameter_list) {
        datamodel::ValueWrite write{parameter.name, parameter.value, std::nullopt};
        if (!parameter.type.empty()) {
            write.declared_type = base_type_from_xsi(parameter.type);
            if (!write.declared_type) {
                type_errors.push_back({datamodel::ErrorCode::InvalidType, parameter.name,
                                       "unsupported xsi:type " + parameter.type});
                continue;
            }
        }
        writes.push_back(std::move(write));
    }
    if (!type_errors.empty()) {
        return set_parameter_values_fault(type_errors);
    }
    // The ParameterKey is committed in the same transaction as the values
    // (architecture invariant 3), and only when they all succeed.
    datamodel::ChangeSet changes = with_parameter_key(request.parameter_key);
    changes.writes = std::move(writes);
    auto result = context.model.apply(changes);
    if (!result) {
        return set_parameter_values_fault(result.error());
    }
    return cwmp::SetParameterValuesResponse{0};
}

}  // namespace agent::rpc
