// Plain CWMP messages -> generated gSOAP structures, for encoding.
//
// What the generated structures hold by pointer (header entries, xsi:type and
// arrayType attributes, the fault detail) is allocated in the gSOAP context
// and lives until the codec calls soap_destroy()/soap_end(). Allocation
// failures throw std::bad_alloc.
#pragma once

#include "CwmpSoapH.h"
#include "cwmp/messages.hpp"

namespace cwmp::gsoap {

// nullptr when no header entry is present, so that no Header is written.
SOAP_ENV__Header* to_soap(struct soap* soap, const Header& header);

void to_soap(struct soap* soap, const GetRPCMethods& in, _cwmp__GetRPCMethods& out);
void to_soap(struct soap* soap, const SetParameterValues& in, _cwmp__SetParameterValues& out);
void to_soap(struct soap* soap, const GetParameterValues& in, _cwmp__GetParameterValues& out);
void to_soap(struct soap* soap, const GetParameterNames& in, _cwmp__GetParameterNames& out);
void to_soap(struct soap* soap, const SetParameterAttributes& in,
             _cwmp__SetParameterAttributes& out);
void to_soap(struct soap* soap, const GetParameterAttributes& in,
             _cwmp__GetParameterAttributes& out);
void to_soap(struct soap* soap, const AddObject& in, _cwmp__AddObject& out);
void to_soap(struct soap* soap, const DeleteObject& in, _cwmp__DeleteObject& out);
void to_soap(struct soap* soap, const Reboot& in, _cwmp__Reboot& out);
void to_soap(struct soap* soap, const FactoryReset& in, _cwmp__FactoryReset& out);
void to_soap(struct soap* soap, const Download& in, _cwmp__Download& out);
void to_soap(struct soap* soap, const Upload& in, _cwmp__Upload& out);
void to_soap(struct soap* soap, const ScheduleInform& in, _cwmp__ScheduleInform& out);
void to_soap(struct soap* soap, const GetAllQueuedTransfers& in, _cwmp__GetAllQueuedTransfers& out);
void to_soap(struct soap* soap, const CancelTransfer& in, _cwmp__CancelTransfer& out);

void to_soap(struct soap* soap, const GetRPCMethodsResponse& in, _cwmp__GetRPCMethodsResponse& out);
void to_soap(struct soap* soap, const SetParameterValuesResponse& in,
             _cwmp__SetParameterValuesResponse& out);
void to_soap(struct soap* soap, const GetParameterValuesResponse& in,
             _cwmp__GetParameterValuesResponse& out);
void to_soap(struct soap* soap, const GetParameterNamesResponse& in,
             _cwmp__GetParameterNamesResponse& out);
void to_soap(struct soap* soap, const SetParameterAttributesResponse& in,
             _cwmp__SetParameterAttributesResponse& out);
void to_soap(struct soap* soap, const GetParameterAttributesResponse& in,
             _cwmp__GetParameterAttributesResponse& out);
void to_soap(struct soap* soap, const AddObjectResponse& in, _cwmp__AddObjectResponse& out);
void to_soap(struct soap* soap, const DeleteObjectResponse& in, _cwmp__DeleteObjectResponse& out);
void to_soap(struct soap* soap, const RebootResponse& in, _cwmp__RebootResponse& out);
void to_soap(struct soap* soap, const FactoryResetResponse& in, _cwmp__FactoryResetResponse& out);
void to_soap(struct soap* soap, const DownloadResponse& in, _cwmp__DownloadResponse& out);
void to_soap(struct soap* soap, const UploadResponse& in, _cwmp__UploadResponse& out);
void to_soap(struct soap* soap, const ScheduleInformResponse& in,
             _cwmp__ScheduleInformResponse& out);
void to_soap(struct soap* soap, const GetAllQueuedTransfersResponse& in,
             _cwmp__GetAllQueuedTransfersResponse& out);
void to_soap(struct soap* soap, const CancelTransferResponse& in,
             _cwmp__CancelTransferResponse& out);

void to_soap(struct soap* soap, const Inform& in, _cwmp__Inform& out);
void to_soap(struct soap* soap, const InformResponse& in, _cwmp__InformResponse& out);
void to_soap(struct soap* soap, const TransferComplete& in, _cwmp__TransferComplete& out);
void to_soap(struct soap* soap, const TransferCompleteResponse& in,
             _cwmp__TransferCompleteResponse& out);

// faultcode "Client" or "Server" (soap_fault_code()), faultstring "CWMP fault",
// detail/cwmp:Fault.
void to_soap(struct soap* soap, const Fault& in, SOAP_ENV__Fault& out);

}  // namespace cwmp::gsoap
