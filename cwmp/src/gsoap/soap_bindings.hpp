// Which generated gSOAP type and functions serialize each CWMP message.
//
// Include only from cwmp/src/gsoap: this pulls in the generated CwmpSoapH.h.
#pragma once

#include <string_view>

#include "CwmpSoapH.h"
#include "cwmp/messages.hpp"

namespace cwmp::gsoap {

// MessageBinding<M>::SoapType is the generated struct of message M; tag is its
// element name with the prefix of the namespace tables; in() and out() are
// the generated deserializer and serializer.
template <class Message>
struct MessageBinding;

#define PHONECWMP_CWMP_BINDING(Name)                                             \
    template <>                                                                  \
    struct MessageBinding<cwmp::Name> {                                          \
        using SoapType = _cwmp__##Name;                                          \
        static constexpr std::string_view tag = "cwmp:" #Name;                   \
        static SoapType* in(struct soap* soap, SoapType* value) {                \
            return soap_in__cwmp__##Name(soap, tag.data(), value, nullptr);      \
        }                                                                        \
        static int out(struct soap* soap, const SoapType* value) {               \
            return soap_out__cwmp__##Name(soap, tag.data(), -1, value, nullptr); \
        }                                                                        \
    };

PHONECWMP_CWMP_BINDING(GetRPCMethods)
PHONECWMP_CWMP_BINDING(SetParameterValues)
PHONECWMP_CWMP_BINDING(GetParameterValues)
PHONECWMP_CWMP_BINDING(GetParameterNames)
PHONECWMP_CWMP_BINDING(SetParameterAttributes)
PHONECWMP_CWMP_BINDING(GetParameterAttributes)
PHONECWMP_CWMP_BINDING(AddObject)
PHONECWMP_CWMP_BINDING(DeleteObject)
PHONECWMP_CWMP_BINDING(Reboot)
PHONECWMP_CWMP_BINDING(FactoryReset)
PHONECWMP_CWMP_BINDING(Download)
PHONECWMP_CWMP_BINDING(Upload)
PHONECWMP_CWMP_BINDING(ScheduleInform)
PHONECWMP_CWMP_BINDING(GetAllQueuedTransfers)
PHONECWMP_CWMP_BINDING(CancelTransfer)
PHONECWMP_CWMP_BINDING(GetRPCMethodsResponse)
PHONECWMP_CWMP_BINDING(SetParameterValuesResponse)
PHONECWMP_CWMP_BINDING(GetParameterValuesResponse)
PHONECWMP_CWMP_BINDING(GetParameterNamesResponse)
PHONECWMP_CWMP_BINDING(SetParameterAttributesResponse)
PHONECWMP_CWMP_BINDING(GetParameterAttributesResponse)
PHONECWMP_CWMP_BINDING(AddObjectResponse)
PHONECWMP_CWMP_BINDING(DeleteObjectResponse)
PHONECWMP_CWMP_BINDING(RebootResponse)
PHONECWMP_CWMP_BINDING(FactoryResetResponse)
PHONECWMP_CWMP_BINDING(DownloadResponse)
PHONECWMP_CWMP_BINDING(UploadResponse)
PHONECWMP_CWMP_BINDING(ScheduleInformResponse)
PHONECWMP_CWMP_BINDING(GetAllQueuedTransfersResponse)
PHONECWMP_CWMP_BINDING(CancelTransferResponse)
PHONECWMP_CWMP_BINDING(Inform)
PHONECWMP_CWMP_BINDING(InformResponse)
PHONECWMP_CWMP_BINDING(TransferComplete)
PHONECWMP_CWMP_BINDING(TransferCompleteResponse)

#undef PHONECWMP_CWMP_BINDING

// A CWMP fault travels as a SOAP 1.1 Fault whose detail is a cwmp:Fault.
template <>
struct MessageBinding<cwmp::Fault> {
    using SoapType = SOAP_ENV__Fault;
    static constexpr std::string_view tag = "SOAP-ENV:Fault";
    static SoapType* in(struct soap* soap, SoapType* value) {
        return soap_in_SOAP_ENV__Fault(soap, tag.data(), value, nullptr);
    }
    static int out(struct soap* soap, const SoapType* value) {
        return soap_out_SOAP_ENV__Fault(soap, tag.data(), -1, value, nullptr);
    }
};

}  // namespace cwmp::gsoap
