#include "rpc/faults.hpp"

#include <algorithm>

#include "cwmp/fault_codes.hpp"

namespace agent::rpc {

cwmp::Fault make_fault(std::uint32_t code, std::string message) {
    if (message.empty()) {
        message = std::string(cwmp::fault_description(code));
    }
    return cwmp::Fault{code, std::move(message), {}};
}

std::uint32_t fault_code_for(datamodel::ErrorCode code) {
    switch (code) {
        case datamodel::ErrorCode::InvalidName:
            return cwmp::kInvalidParameterName;
        case datamodel::ErrorCode::InvalidArguments:
            return cwmp::kInvalidArguments;
        case datamodel::ErrorCode::InvalidType:
            return cwmp::kInvalidParameterType;
        case datamodel::ErrorCode::InvalidValue:
            return cwmp::kInvalidParameterValue;
        case datamodel::ErrorCode::NotWritable:
            return cwmp::kNonWritableParameter;
        case datamodel::ErrorCode::ResourcesExceeded:
            return cwmp::kResourcesExceeded;
        case datamodel::ErrorCode::NotificationRejected:
            return cwmp::kNotificationRequestRejected;
        case datamodel::ErrorCode::Internal:
            return cwmp::kInternalError;
    }
    return cwmp::kInternalError;
}

cwmp::Fault fault_for(const datamodel::Error& error) {
    std::string message = error.message;
    if (!error.path.empty() && message.find(error.path) == std::string::npos) {
        message = error.path + ": " + message;
    }
    return make_fault(fault_code_for(error.code), std::move(message));
}

cwmp::Fault set_parameter_values_fault(const std::vector<datamodel::Error>& errors) {
    const auto per_parameter = [](const datamodel::Error& e) {
        switch (e.code) {
            case datamodel::ErrorCode::InvalidName:
            case datamodel::ErrorCode::InvalidType:
            case datamodel::ErrorCode::InvalidValue:
            case datamodel::ErrorCode::NotWritable:
                return !e.path.empty();
            default:
                return false;
        }
    };
    if (auto it = std::find_if_not(errors.begin(), errors.end(), per_parameter);
        it != errors.end()) {
        return fault_for(*it);
    }
    cwmp::Fault fault = make_fault(cwmp::kInvalidArguments);
    for (const auto& error : errors) {
        fault.set_parameter_values_faults.push_back(
            {error.path, fault_code_for(error.code), error.message});
    }
    return fault;
}

}  // namespace agent::rpc
