// CWMP fault codes: descriptions and the SOAP faultcode that goes with them.
#include "cwmp/fault_codes.hpp"

#include <array>
#include <utility>

namespace cwmp {

namespace {

// The descriptions of TR-069 Annex A.5 as the schemas list them
// (cwmp-1-2.xsd CPEFaultCodeType, cwmp-1-4.xsd ACSFaultCodeType).
constexpr std::array<std::pair<std::uint32_t, std::string_view>, 40> kDescriptions{{
    {8000, "Method not supported"},
    {8001, "Request denied (no reason specified)"},
    {8002, "Internal error"},
    {8003, "Invalid arguments"},
    {8004, "Resources exceeded"},
    {8005, "Retry request"},
    {8006, "ACS version incompatible with CPE"},
    {9000, "Method not supported"},
    {9001, "Request denied (no reason specified)"},
    {9002, "Internal error"},
    {9003, "Invalid arguments"},
    {9004, "Resources exceeded"},
    {9005, "Invalid parameter name"},
    {9006, "Invalid parameter type"},
    {9007, "Invalid parameter value"},
    {9008, "Attempt to set a non-writable parameter"},
    {9009, "Notification request rejected"},
    {9010, "File transfer failure"},
    {9011, "Upload failure"},
    {9012, "File transfer server authentication failure"},
    {9013, "Unsupported protocol for file transfer"},
    {9014, "File transfer failure: unable to join multicast group"},
    {9015, "File transfer failure: unable to contact file server"},
    {9016, "File transfer failure: unable to access file"},
    {9017, "File transfer failure: unable to complete download"},
    {9018, "File transfer failure: file corrupted"},
    {9019, "File transfer failure: file authentication failure"},
    {9020, "File transfer failure: unable to complete download within specified time windows"},
    {9021, "Cancelation of file transfer not permitted in current transfer state"},
    {9022, "Invalid UUID Format"},
    {9023, "Unknown Execution Environment"},
    {9024, "Disabled Execution Environment"},
    {9025, "Deployment Unit to Execution Environment Mismatch"},
    {9026, "Duplicate Deployment Unit"},
    {9027, "System Resources Exceeded"},
    {9028, "Unknown Deployment Unit"},
    {9029, "Invalid Deployment Unit State"},
    {9030, "Invalid Deployment Unit Update - Downgrade not permitted"},
    {9031, "Invalid Deployment Unit Update - Version not specified"},
    {9032, "Invalid Deployment Unit Update - Version already exists"},
}};

}  // namespace

std::string_view fault_description(std::uint32_t code) {
    for (const auto& [known, description] : kDescriptions) {
        if (known == code) {
            return description;
        }
    }
    return {};
}

std::string_view soap_fault_code(std::uint32_t code) {
    // Faults caused by the content of the request are the client's.
    switch (code) {
        case kAcsInvalidArguments:
        case kAcsRetryRequest:
        case kInvalidArguments:
        case kInvalidParameterName:
        case kInvalidParameterType:
        case kInvalidParameterValue:
        case kNonWritableParameter:
            return "Client";
        default:
            return "Server";
    }
}

}  // namespace cwmp
