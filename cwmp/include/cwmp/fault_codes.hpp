// CWMP fault codes (TR-069 Amendment 6, Annex A.5; cwmp-1-2.xsd / cwmp-1-4.xsd).
#pragma once

#include <cstdint>
#include <string_view>

namespace cwmp {

enum FaultCode : std::uint32_t {
    // ACS faults
    kAcsMethodNotSupported = 8000,
    kAcsRequestDenied = 8001,
    kAcsInternalError = 8002,
    kAcsInvalidArguments = 8003,
    kAcsResourcesExceeded = 8004,
    kAcsRetryRequest = 8005,
    kAcsVersionIncompatible = 8006,
    // CPE faults
    kMethodNotSupported = 9000,
    kRequestDenied = 9001,
    kInternalError = 9002,
    kInvalidArguments = 9003,
    kResourcesExceeded = 9004,
    kInvalidParameterName = 9005,
    kInvalidParameterType = 9006,
    kInvalidParameterValue = 9007,
    kNonWritableParameter = 9008,
    kNotificationRequestRejected = 9009,
    kDownloadFailure = 9010,
    kUploadFailure = 9011,
    kFileTransferServerAuthenticationFailure = 9012,
    kUnsupportedTransferProtocol = 9013,
    kMulticastJoinFailure = 9014,
    kFileServerUnreachable = 9015,
    kFileAccessFailure = 9016,
    kDownloadIncomplete = 9017,
    kFileCorrupted = 9018,
    kFileAuthenticationFailure = 9019,
    kDownloadWindowMissed = 9020,
    kCancelNotPermitted = 9021,
};

// The standard's short description of a fault code, used as FaultString when
// there is nothing more specific to say. Empty for codes it does not know.
std::string_view fault_description(std::uint32_t code);

// SOAP faultcode for a CWMP fault: "Client" for faults caused by the request
// (8003, 8005, 9003, 9005-9008), "Server" otherwise.
std::string_view soap_fault_code(std::uint32_t code);

}  // namespace cwmp
