#include "rpc/parameter_key.hpp"

#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

std::optional<cwmp::Fault> parameter_key_fault(const std::string& parameter_key) {
    if (parameter_key.size() <= kMaxParameterKeyLength) return std::nullopt;
    return make_fault(cwmp::kInvalidArguments, "ParameterKey longer than 32 characters");
}

datamodel::ChangeSet with_parameter_key(const std::string& parameter_key) {
    datamodel::ChangeSet changes;
    changes.internal_source = datamodel::ChangeSource::Controller;
    changes.internal_writes.push_back(
        {std::string(kParameterKeyPath), parameter_key, std::nullopt});
    return changes;
}

}  // namespace agent::rpc
