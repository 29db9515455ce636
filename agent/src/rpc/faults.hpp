// Data-model errors as CWMP faults.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cwmp/messages.hpp"
#include "datamodel/types.hpp"

namespace agent::rpc {

cwmp::Fault make_fault(std::uint32_t code, std::string message = {});

// The fault code for one data-model error (9005 for an unknown name, ...).
std::uint32_t fault_code_for(datamodel::ErrorCode code);

// A request-level fault for errors that are not about one parameter of an SPV.
cwmp::Fault fault_for(const datamodel::Error& error);

// The fault of a failed SetParameterValues: 9003 with one
// SetParameterValuesFault per offending parameter, or, when an error concerns
// the request as a whole, that error's own fault.
cwmp::Fault set_parameter_values_fault(const std::vector<datamodel::Error>& errors);

}  // namespace agent::rpc
