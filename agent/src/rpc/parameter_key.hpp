// The ParameterKey that SetParameterValues, AddObject and DeleteObject
// carry: checked first, then committed in the same transaction as their
// change, as a write the controller made (so it is never notified back).
#pragma once

#include <optional>
#include <string>

#include "cwmp/messages.hpp"
#include "datamodel/model.hpp"

namespace agent::rpc {

// 9003 for a key longer than TR-069 allows; nullopt when it is acceptable.
std::optional<cwmp::Fault> parameter_key_fault(const std::string& parameter_key);

// A change set that writes `parameter_key` alongside the request's change.
datamodel::ChangeSet with_parameter_key(const std::string& parameter_key);

}  // namespace agent::rpc
