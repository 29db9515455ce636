#include "cwmp/fault_codes.hpp"

#include <gtest/gtest.h>

namespace cwmp {
namespace {

TEST(FaultCodes, DescriptionsOfTheStandard) {
    EXPECT_EQ(fault_description(kAcsMethodNotSupported), "Method not supported");
    EXPECT_EQ(fault_description(kAcsRetryRequest), "Retry request");
    EXPECT_EQ(fault_description(kAcsVersionIncompatible), "ACS version incompatible with CPE");
    EXPECT_EQ(fault_description(kMethodNotSupported), "Method not supported");
    EXPECT_EQ(fault_description(kRequestDenied), "Request denied (no reason specified)");
    EXPECT_EQ(fault_description(kInvalidArguments), "Invalid arguments");
    EXPECT_EQ(fault_description(kInvalidParameterName), "Invalid parameter name");
    EXPECT_EQ(fault_description(kInvalidParameterType), "Invalid parameter type");
    EXPECT_EQ(fault_description(kInvalidParameterValue), "Invalid parameter value");
    EXPECT_EQ(fault_description(kNonWritableParameter), "Attempt to set a non-writable parameter");
    EXPECT_EQ(fault_description(kNotificationRequestRejected), "Notification request rejected");
    EXPECT_EQ(fault_description(kDownloadFailure), "File transfer failure");
    EXPECT_EQ(fault_description(kUploadFailure), "Upload failure");
    EXPECT_EQ(fault_description(kCancelNotPermitted),
              "Cancelation of file transfer not permitted in current transfer state");
    EXPECT_EQ(fault_description(9032), "Invalid Deployment Unit Update - Version already exists");
}

TEST(FaultCodes, EveryNamedCodeHasADescription) {
    for (std::uint32_t code = 8000; code <= 8006; ++code) {
        EXPECT_FALSE(fault_description(code).empty()) << code;
    }
    for (std::uint32_t code = 9000; code <= 9032; ++code) {
        EXPECT_FALSE(fault_description(code).empty()) << code;
    }
}

TEST(FaultCodes, UnknownCodesHaveNoDescription) {
    EXPECT_TRUE(fault_description(0).empty());
    EXPECT_TRUE(fault_description(8007).empty());
    EXPECT_TRUE(fault_description(9033).empty());
    EXPECT_TRUE(fault_description(9800).empty());
}

TEST(FaultCodes, ClientFaultsAreTheRequestErrors) {
    for (const std::uint32_t code : {8003u, 8005u, 9003u, 9005u, 9006u, 9007u, 9008u}) {
        EXPECT_EQ(soap_fault_code(code), "Client") << code;
    }
}

TEST(FaultCodes, EverythingElseIsAServerFault) {
    for (const std::uint32_t code : {8000u, 8001u, 8002u, 8004u, 8006u, 9000u, 9001u, 9002u, 9004u,
                                     9009u, 9010u, 9011u, 9019u, 9021u, 9032u, 9800u, 0u}) {
        EXPECT_EQ(soap_fault_code(code), "Server") << code;
    }
}

}  // namespace
}  // namespace cwmp
