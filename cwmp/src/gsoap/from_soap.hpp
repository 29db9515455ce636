// Generated gSOAP structures -> plain CWMP messages, for decoding.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "CwmpSoapH.h"
#include "cwmp/messages.hpp"

namespace cwmp::gsoap {

// What the conversion found wrong with a message that gSOAP parsed: a list
// longer than the codec's limit, or content the schema requires but gSOAP
// cannot check (a SOAP Fault without its cwmp:Fault detail). The first
// problem wins.
class ConversionCheck {
public:
    explicit ConversionCheck(std::size_t max_list_items) : max_list_items_(max_list_items) {}

    // False, and remembered, when `list` has more items than allowed.
    bool admit_list(std::size_t count, std::string_view list);
    void malformed(std::string detail);

    bool oversized() const { return oversized_; }
    // Empty when the message passed.
    const std::optional<std::string>& problem() const { return problem_; }

private:
    std::size_t max_list_items_;
    bool oversized_ = false;
    std::optional<std::string> problem_;
};

Header from_soap(const SOAP_ENV__Header* header);

GetRPCMethods from_soap(_cwmp__GetRPCMethods& in, ConversionCheck& check);
SetParameterValues from_soap(_cwmp__SetParameterValues& in, ConversionCheck& check);
GetParameterValues from_soap(_cwmp__GetParameterValues& in, ConversionCheck& check);
GetParameterNames from_soap(_cwmp__GetParameterNames& in, ConversionCheck& check);
SetParameterAttributes from_soap(_cwmp__SetParameterAttributes& in, ConversionCheck& check);
GetParameterAttributes from_soap(_cwmp__GetParameterAttributes& in, ConversionCheck& check);
AddObject from_soap(_cwmp__AddObject& in, ConversionCheck& check);
DeleteObject from_soap(_cwmp__DeleteObject& in, ConversionCheck& check);
Reboot from_soap(_cwmp__Reboot& in, ConversionCheck& check);
FactoryReset from_soap(_cwmp__FactoryReset& in, ConversionCheck& check);
Download from_soap(_cwmp__Download& in, ConversionCheck& check);
Upload from_soap(_cwmp__Upload& in, ConversionCheck& check);
ScheduleInform from_soap(_cwmp__ScheduleInform& in, ConversionCheck& check);
GetAllQueuedTransfers from_soap(_cwmp__GetAllQueuedTransfers& in, ConversionCheck& check);
CancelTransfer from_soap(_cwmp__CancelTransfer& in, ConversionCheck& check);

GetRPCMethodsResponse from_soap(_cwmp__GetRPCMethodsResponse& in, ConversionCheck& check);
SetParameterValuesResponse from_soap(_cwmp__SetParameterValuesResponse& in, ConversionCheck& check);
GetParameterValuesResponse from_soap(_cwmp__GetParameterValuesResponse& in, ConversionCheck& check);
GetParameterNamesResponse from_soap(_cwmp__GetParameterNamesResponse& in, ConversionCheck& check);
SetParameterAttributesResponse from_soap(_cwmp__SetParameterAttributesResponse& in,
                                         ConversionCheck& check);
GetParameterAttributesResponse from_soap(_cwmp__GetParameterAttributesResponse& in,
                                         ConversionCheck& check);
AddObjectResponse from_soap(_cwmp__AddObjectResponse& in, ConversionCheck& check);
DeleteObjectResponse from_soap(_cwmp__DeleteObjectResponse& in, ConversionCheck& check);
RebootResponse from_soap(_cwmp__RebootResponse& in, ConversionCheck& check);
FactoryResetResponse from_soap(_cwmp__FactoryResetResponse& in, ConversionCheck& check);
DownloadResponse from_soap(_cwmp__DownloadResponse& in, ConversionCheck& check);
UploadResponse from_soap(_cwmp__UploadResponse& in, ConversionCheck& check);
ScheduleInformResponse from_soap(_cwmp__ScheduleInformResponse& in, ConversionCheck& check);
GetAllQueuedTransfersResponse from_soap(_cwmp__GetAllQueuedTransfersResponse& in,
                                        ConversionCheck& check);
CancelTransferResponse from_soap(_cwmp__CancelTransferResponse& in, ConversionCheck& check);

Inform from_soap(_cwmp__Inform& in, ConversionCheck& check);
InformResponse from_soap(_cwmp__InformResponse& in, ConversionCheck& check);
TransferComplete from_soap(_cwmp__TransferComplete& in, ConversionCheck& check);
TransferCompleteResponse from_soap(_cwmp__TransferCompleteResponse& in, ConversionCheck& check);

// A SOAP Fault without a cwmp:Fault detail is reported to `check` as malformed.
Fault from_soap(const SOAP_ENV__Fault& in, ConversionCheck& check);

}  // namespace cwmp::gsoap
