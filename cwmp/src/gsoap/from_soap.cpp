// Generated gSOAP structures -> plain CWMP messages.
#include "gsoap/from_soap.hpp"

#include <utility>
#include <vector>

namespace cwmp::gsoap {

bool ConversionCheck::admit_list(std::size_t count, std::string_view list) {
    if (count <= max_list_items_) {
        return true;
    }
    if (!problem_) {
        oversized_ = true;
        problem_ = std::string(list) + " has " + std::to_string(count) +
                   " items, more than the limit of " + std::to_string(max_list_items_);
    }
    return false;
}

void ConversionCheck::malformed(std::string detail) {
    if (!problem_) {
        problem_ = std::move(detail);
    }
}

namespace {

std::vector<std::string> strings(cwmp__StringList& in, std::string_view list,
                                 ConversionCheck& check) {
    if (!check.admit_list(in.string_.size(), list)) {
        return {};
    }
    return std::move(in.string_);
}

std::vector<ParameterValue> parameter_values(cwmp__ParameterValueList& in, ConversionCheck& check) {
    std::vector<ParameterValue> out;
    if (!check.admit_list(in.ParameterValueStruct.size(), "ParameterList")) {
        return out;
    }
    out.reserve(in.ParameterValueStruct.size());
    // The gSOAP structure is dropped right after: its strings move.
    for (auto& item : in.ParameterValueStruct) {
        out.push_back(ParameterValue{std::move(item.Name), std::move(item.Value.__item),
                                     item.Value.xsi__type ? *item.Value.xsi__type : ""});
    }
    return out;
}

}  // namespace

Header from_soap(const SOAP_ENV__Header* header) {
    Header out;
    if (header == nullptr) {
        return out;
    }
    if (header->cwmp__ID) {
        out.id = header->cwmp__ID->__item;
    }
    if (header->cwmp__HoldRequests) {
        out.hold_requests = header->cwmp__HoldRequests->__item;
    }
    if (header->cwmp__SessionTimeout) {
        out.session_timeout = header->cwmp__SessionTimeout->__item;
    }
    if (header->cwmp__SupportedCWMPVersions) {
        out.supported_cwmp_versions = header->cwmp__SupportedCWMPVersions->__item;
    }
    if (header->cwmp__UseCWMPVersion) {
        out.use_cwmp_version = header->cwmp__UseCWMPVersion->__item;
    }
    return out;
}

// ---- ACS -> CPE requests ---------------------------------------------------------

GetRPCMethods from_soap(_cwmp__GetRPCMethods&, ConversionCheck&) {
    return {};
}

SetParameterValues from_soap(_cwmp__SetParameterValues& in, ConversionCheck& check) {
    return {parameter_values(in.ParameterList, check), in.ParameterKey};
}

GetParameterValues from_soap(_cwmp__GetParameterValues& in, ConversionCheck& check) {
    return {strings(in.ParameterNames, "ParameterNames", check)};
}

GetParameterNames from_soap(_cwmp__GetParameterNames& in, ConversionCheck&) {
    return {in.ParameterPath, in.NextLevel};
}

SetParameterAttributes from_soap(_cwmp__SetParameterAttributes& in, ConversionCheck& check) {
    SetParameterAttributes out;
    auto& items = in.ParameterList.SetParameterAttributesStruct;
    if (!check.admit_list(items.size(), "ParameterList")) {
        return out;
    }
    out.parameter_list.reserve(items.size());
    for (auto& item : items) {
        out.parameter_list.push_back(SetParameterAttributesStruct{
            std::move(item.Name), item.NotificationChange, item.Notification, item.AccessListChange,
            strings(item.AccessList, "AccessList", check)});
    }
    return out;
}

GetParameterAttributes from_soap(_cwmp__GetParameterAttributes& in, ConversionCheck& check) {
    return {strings(in.ParameterNames, "ParameterNames", check)};
}

AddObject from_soap(_cwmp__AddObject& in, ConversionCheck&) {
    return {in.ObjectName, in.ParameterKey};
}

DeleteObject from_soap(_cwmp__DeleteObject& in, ConversionCheck&) {
    return {in.ObjectName, in.ParameterKey};
}

Reboot from_soap(_cwmp__Reboot& in, ConversionCheck&) {
    return {in.CommandKey};
}

FactoryReset from_soap(_cwmp__FactoryReset&, ConversionCheck&) {
    return {};
}

Download from_soap(_cwmp__Download& in, ConversionCheck&) {
    return {in.CommandKey, in.FileType,       in.URL,          in.Username,   in.Password,
            in.FileSize,   in.TargetFileName, in.DelaySeconds, in.SuccessURL, in.FailureURL};
}

Upload from_soap(_cwmp__Upload& in, ConversionCheck&) {
    return {in.CommandKey, in.FileType, in.URL, in.Username, in.Password, in.DelaySeconds};
}

ScheduleInform from_soap(_cwmp__ScheduleInform& in, ConversionCheck&) {
    return {in.DelaySeconds, in.CommandKey};
}

GetAllQueuedTransfers from_soap(_cwmp__GetAllQueuedTransfers&, ConversionCheck&) {
    return {};
}

CancelTransfer from_soap(_cwmp__CancelTransfer& in, ConversionCheck&) {
    return {in.CommandKey};
}

// ---- CPE -> ACS responses --------------------------------------------------------

GetRPCMethodsResponse from_soap(_cwmp__GetRPCMethodsResponse& in, ConversionCheck& check) {
    return {strings(in.MethodList, "MethodList", check)};
}

SetParameterValuesResponse from_soap(_cwmp__SetParameterValuesResponse& in, ConversionCheck&) {
    return {in.Status};
}

GetParameterValuesResponse from_soap(_cwmp__GetParameterValuesResponse& in,
                                     ConversionCheck& check) {
    return {parameter_values(in.ParameterList, check)};
}

GetParameterNamesResponse from_soap(_cwmp__GetParameterNamesResponse& in, ConversionCheck& check) {
    GetParameterNamesResponse out;
    auto& items = in.ParameterList.ParameterInfoStruct;
    if (!check.admit_list(items.size(), "ParameterList")) {
        return out;
    }
    out.parameter_list.reserve(items.size());
    for (auto& item : items) {
        out.parameter_list.push_back(ParameterInfo{std::move(item.Name), item.Writable});
    }
    return out;
}

SetParameterAttributesResponse from_soap(_cwmp__SetParameterAttributesResponse&, ConversionCheck&) {
    return {};
}

GetParameterAttributesResponse from_soap(_cwmp__GetParameterAttributesResponse& in,
                                         ConversionCheck& check) {
    GetParameterAttributesResponse out;
    auto& items = in.ParameterList.ParameterAttributeStruct;
    if (!check.admit_list(items.size(), "ParameterList")) {
        return out;
    }
    out.parameter_list.reserve(items.size());
    for (auto& item : items) {
        out.parameter_list.push_back(
            ParameterAttribute{std::move(item.Name), item.Notification,
                               strings(item.AccessList, "AccessList", check)});
    }
    return out;
}

AddObjectResponse from_soap(_cwmp__AddObjectResponse& in, ConversionCheck&) {
    return {in.InstanceNumber, in.Status};
}

DeleteObjectResponse from_soap(_cwmp__DeleteObjectResponse& in, ConversionCheck&) {
    return {in.Status};
}

RebootResponse from_soap(_cwmp__RebootResponse&, ConversionCheck&) {
    return {};
}

FactoryResetResponse from_soap(_cwmp__FactoryResetResponse&, ConversionCheck&) {
    return {};
}

DownloadResponse from_soap(_cwmp__DownloadResponse& in, ConversionCheck&) {
    return {in.Status, in.StartTime, in.CompleteTime};
}

UploadResponse from_soap(_cwmp__UploadResponse& in, ConversionCheck&) {
    return {in.Status, in.StartTime, in.CompleteTime};
}

ScheduleInformResponse from_soap(_cwmp__ScheduleInformResponse&, ConversionCheck&) {
    return {};
}

GetAllQueuedTransfersResponse from_soap(_cwmp__GetAllQueuedTransfersResponse& in,
                                        ConversionCheck& check) {
    GetAllQueuedTransfersResponse out;
    const auto& items = in.TransferList.AllQueuedTransferStruct;
    if (!check.admit_list(items.size(), "TransferList")) {
        return out;
    }
    out.transfer_list.reserve(items.size());
    for (const auto& item : items) {
        out.transfer_list.push_back(QueuedTransfer{item.CommandKey, item.State, item.IsDownload,
                                                   item.FileType, item.FileSize,
                                                   item.TargetFileName});
    }
    return out;
}

CancelTransferResponse from_soap(_cwmp__CancelTransferResponse&, ConversionCheck&) {
    return {};
}

// ---- CPE -> ACS requests and their responses --------------------------------------

Inform from_soap(_cwmp__Inform& in, ConversionCheck& check) {
    Inform out;
    out.device_id = DeviceId{in.DeviceId.Manufacturer, in.DeviceId.OUI, in.DeviceId.ProductClass,
                             in.DeviceId.SerialNumber};
    const auto& events = in.Event.EventStruct;
    if (check.admit_list(events.size(), "Event")) {
        out.event.reserve(events.size());
        for (const auto& item : events) {
            out.event.push_back(EventStruct{item.EventCode, item.CommandKey});
        }
    }
    out.max_envelopes = in.MaxEnvelopes;
    out.current_time = in.CurrentTime;
    out.retry_count = in.RetryCount;
    out.parameter_list = parameter_values(in.ParameterList, check);
    return out;
}

InformResponse from_soap(_cwmp__InformResponse& in, ConversionCheck&) {
    return {in.MaxEnvelopes};
}

TransferComplete from_soap(_cwmp__TransferComplete& in, ConversionCheck&) {
    return {in.CommandKey, FaultStruct{in.FaultStruct.FaultCode, in.FaultStruct.FaultString},
            in.StartTime, in.CompleteTime};
}

TransferCompleteResponse from_soap(_cwmp__TransferCompleteResponse&, ConversionCheck&) {
    return {};
}

// ---- faults ------------------------------------------------------------------------

Fault from_soap(const SOAP_ENV__Fault& in, ConversionCheck& check) {
    // SOAP 1.1 names it detail; accept SOAP 1.2's Detail from a confused peer too.
    const SOAP_ENV__Detail* detail = in.detail ? in.detail : in.SOAP_ENV__Detail;
    if (detail == nullptr || detail->cwmp__Fault == nullptr) {
        std::string problem = "SOAP Fault without a cwmp:Fault detail";
        if (in.faultcode) {
            problem += std::string(" (faultcode ") + in.faultcode + ")";
        }
        if (in.faultstring) {
            problem += std::string(": ") + in.faultstring;
        }
        check.malformed(std::move(problem));
        return {};
    }
    const _cwmp__Fault& fault = *detail->cwmp__Fault;
    Fault out{fault.FaultCode, fault.FaultString, {}};
    if (!check.admit_list(fault.SetParameterValuesFault.size(), "SetParameterValuesFault")) {
        return out;
    }
    out.set_parameter_values_faults.reserve(fault.SetParameterValuesFault.size());
    for (const auto& item : fault.SetParameterValuesFault) {
        out.set_parameter_values_faults.push_back(
            SetParameterValuesFault{item.ParameterName, item.FaultCode, item.FaultString});
    }
    return out;
}

}  // namespace cwmp::gsoap
