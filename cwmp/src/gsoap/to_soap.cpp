// Plain CWMP messages -> generated gSOAP structures.
#include "gsoap/to_soap.hpp"

#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/fault_codes.hpp"

namespace cwmp::gsoap {

namespace {

std::string* new_string(struct soap* soap, std::string_view value) {
    std::string* text = soap_new_std__string(soap);
    if (text == nullptr) {
        throw std::bad_alloc();
    }
    text->assign(value);
    return text;
}

char* new_c_string(struct soap* soap, std::string_view value) {
    char* text = soap_strdup(soap, std::string(value).c_str());
    if (text == nullptr) {
        throw std::bad_alloc();
    }
    return text;
}

template <class T>
T* check_allocated(T* value) {
    if (value == nullptr) {
        throw std::bad_alloc();
    }
    return value;
}

// SOAP-ENC:arrayType with the number of items actually written.
std::string* array_type(struct soap* soap, std::string_view item_type, std::size_t count) {
    std::string text(item_type);
    text += '[';
    text += std::to_string(count);
    text += ']';
    return new_string(soap, text);
}

cwmp__StringList string_list(struct soap* soap, const std::vector<std::string>& items) {
    cwmp__StringList list;
    list.string_ = items;
    list.SOAP_ENC__arrayType = array_type(soap, "xsd:string", items.size());
    return list;
}

cwmp__ParameterValueList parameter_value_list(struct soap* soap,
                                              const std::vector<ParameterValue>& items) {
    cwmp__ParameterValueList list;
    list.ParameterValueStruct.reserve(items.size());
    for (const auto& item : items) {
        cwmp__ParameterValueStruct& entry = list.ParameterValueStruct.emplace_back();
        entry.Name = item.name;
        entry.Value.__item = item.value;
        if (!item.type.empty()) {
            entry.Value.xsi__type = new_string(soap, item.type);
        }
    }
    list.SOAP_ENC__arrayType =
        array_type(soap, "cwmp:ParameterValueStruct", list.ParameterValueStruct.size());
    return list;
}

}  // namespace

SOAP_ENV__Header* to_soap(struct soap* soap, const Header& header) {
    if (!header.id && !header.hold_requests && !header.session_timeout &&
        !header.supported_cwmp_versions && !header.use_cwmp_version) {
        return nullptr;
    }
    SOAP_ENV__Header* out = check_allocated(soap_new_SOAP_ENV__Header(soap));
    if (header.id) {
        out->cwmp__ID = check_allocated(soap_new__cwmp__ID(soap));
        out->cwmp__ID->__item = *header.id;
        out->cwmp__ID->SOAP_ENV__mustUnderstand = new_string(soap, "1");
    }
    if (header.hold_requests) {
        out->cwmp__HoldRequests = check_allocated(soap_new__cwmp__HoldRequests(soap));
        out->cwmp__HoldRequests->__item = *header.hold_requests;
        out->cwmp__HoldRequests->SOAP_ENV__mustUnderstand = new_string(soap, "1");
    }
    if (header.session_timeout) {
        // Optional mustUnderstand, fixed "0" in cwmp-1-3.xsd: left out.
        out->cwmp__SessionTimeout = check_allocated(soap_new__cwmp__SessionTimeout(soap));
        out->cwmp__SessionTimeout->__item = *header.session_timeout;
    }
    if (header.supported_cwmp_versions) {
        out->cwmp__SupportedCWMPVersions =
            check_allocated(soap_new__cwmp__SupportedCWMPVersions(soap));
        out->cwmp__SupportedCWMPVersions->__item = *header.supported_cwmp_versions;
        out->cwmp__SupportedCWMPVersions->SOAP_ENV__mustUnderstand = new_string(soap, "0");
    }
    if (header.use_cwmp_version) {
        out->cwmp__UseCWMPVersion = check_allocated(soap_new__cwmp__UseCWMPVersion(soap));
        out->cwmp__UseCWMPVersion->__item = *header.use_cwmp_version;
        out->cwmp__UseCWMPVersion->SOAP_ENV__mustUnderstand = new_string(soap, "1");
    }
    return out;
}

// ---- ACS -> CPE requests ---------------------------------------------------------

void to_soap(struct soap*, const GetRPCMethods&, _cwmp__GetRPCMethods&) {}

void to_soap(struct soap* soap, const SetParameterValues& in, _cwmp__SetParameterValues& out) {
    out.ParameterList = parameter_value_list(soap, in.parameter_list);
    out.ParameterKey = in.parameter_key;
}

void to_soap(struct soap* soap, const GetParameterValues& in, _cwmp__GetParameterValues& out) {
    out.ParameterNames = string_list(soap, in.parameter_names);
}

void to_soap(struct soap*, const GetParameterNames& in, _cwmp__GetParameterNames& out) {
    out.ParameterPath = in.parameter_path;
    out.NextLevel = in.next_level;
}

void to_soap(struct soap* soap, const SetParameterAttributes& in,
             _cwmp__SetParameterAttributes& out) {
    auto& items = out.ParameterList.SetParameterAttributesStruct;
    items.reserve(in.parameter_list.size());
    for (const auto& item : in.parameter_list) {
        cwmp__SetParameterAttributesStruct& entry = items.emplace_back();
        entry.Name = item.name;
        entry.NotificationChange = item.notification_change;
        entry.Notification = item.notification;
        entry.AccessListChange = item.access_list_change;
        entry.AccessList = string_list(soap, item.access_list);
    }
    out.ParameterList.SOAP_ENC__arrayType =
        array_type(soap, "cwmp:SetParameterAttributesStruct", items.size());
}

void to_soap(struct soap* soap, const GetParameterAttributes& in,
             _cwmp__GetParameterAttributes& out) {
    out.ParameterNames = string_list(soap, in.parameter_names);
}

void to_soap(struct soap*, const AddObject& in, _cwmp__AddObject& out) {
    out.ObjectName = in.object_name;
    out.ParameterKey = in.parameter_key;
}

void to_soap(struct soap*, const DeleteObject& in, _cwmp__DeleteObject& out) {
    out.ObjectName = in.object_name;
    out.ParameterKey = in.parameter_key;
}

void to_soap(struct soap*, const Reboot& in, _cwmp__Reboot& out) {
    out.CommandKey = in.command_key;
}

void to_soap(struct soap*, const FactoryReset&, _cwmp__FactoryReset&) {}

void to_soap(struct soap*, const Download& in, _cwmp__Download& out) {
    out.CommandKey = in.command_key;
    out.FileType = in.file_type;
    out.URL = in.url;
    out.Username = in.username;
    out.Password = in.password;
    out.FileSize = in.file_size;
    out.TargetFileName = in.target_file_name;
    out.DelaySeconds = in.delay_seconds;
    out.SuccessURL = in.success_url;
    out.FailureURL = in.failure_url;
}

void to_soap(struct soap*, const Upload& in, _cwmp__Upload& out) {
    out.CommandKey = in.command_key;
    out.FileType = in.file_type;
    out.URL = in.url;
    out.Username = in.username;
    out.Password = in.password;
    out.DelaySeconds = in.delay_seconds;
}

void to_soap(struct soap*, const ScheduleInform& in, _cwmp__ScheduleInform& out) {
    out.DelaySeconds = in.delay_seconds;
    out.CommandKey = in.command_key;
}

void to_soap(struct soap*, const GetAllQueuedTransfers&, _cwmp__GetAllQueuedTransfers&) {}

void to_soap(struct soap*, const CancelTransfer& in, _cwmp__CancelTransfer& out) {
    out.CommandKey = in.command_key;
}

// ---- CPE -> ACS responses --------------------------------------------------------

void to_soap(struct soap* soap, const GetRPCMethodsResponse& in,
             _cwmp__GetRPCMethodsResponse& out) {
    out.MethodList = string_list(soap, in.method_list);
}

void to_soap(struct soap*, const SetParameterValuesResponse& in,
             _cwmp__SetParameterValuesResponse& out) {
    out.Status = in.status;
}

void to_soap(struct soap* soap, const GetParameterValuesResponse& in,
             _cwmp__GetParameterValuesResponse& out) {
    out.ParameterList = parameter_value_list(soap, in.parameter_list);
}

void to_soap(struct soap* soap, const GetParameterNamesResponse& in,
             _cwmp__GetParameterNamesResponse& out) {
    auto& items = out.ParameterList.ParameterInfoStruct;
    items.reserve(in.parameter_list.size());
    for (const auto& item : in.parameter_list) {
        cwmp__ParameterInfoStruct& entry = items.emplace_back();
        entry.Name = item.name;
        entry.Writable = item.writable;
    }
    out.ParameterList.SOAP_ENC__arrayType =
        array_type(soap, "cwmp:ParameterInfoStruct", items.size());
}

void to_soap(struct soap*, const SetParameterAttributesResponse&,
             _cwmp__SetParameterAttributesResponse&) {}

void to_soap(struct soap* soap, const GetParameterAttributesResponse& in,
             _cwmp__GetParameterAttributesResponse& out) {
    auto& items = out.ParameterList.ParameterAttributeStruct;
    items.reserve(in.parameter_list.size());
    for (const auto& item : in.parameter_list) {
        cwmp__ParameterAttributeStruct& entry = items.emplace_back();
        entry.Name = item.name;
        entry.Notification = item.notification;
        entry.AccessList = string_list(soap, item.access_list);
    }
    out.ParameterList.SOAP_ENC__arrayType =
        array_type(soap, "cwmp:ParameterAttributeStruct", items.size());
}

void to_soap(struct soap*, const AddObjectResponse& in, _cwmp__AddObjectResponse& out) {
    out.InstanceNumber = in.instance_number;
    out.Status = in.status;
}

void to_soap(struct soap*, const DeleteObjectResponse& in, _cwmp__DeleteObjectResponse& out) {
    out.Status = in.status;
}

void to_soap(struct soap*, const RebootResponse&, _cwmp__RebootResponse&) {}

void to_soap(struct soap*, const FactoryResetResponse&, _cwmp__FactoryResetResponse&) {}

void to_soap(struct soap*, const DownloadResponse& in, _cwmp__DownloadResponse& out) {
    out.Status = in.status;
    out.StartTime = in.start_time;
    out.CompleteTime = in.complete_time;
}

void to_soap(struct soap*, const UploadResponse& in, _cwmp__UploadResponse& out) {
    out.Status = in.status;
    out.StartTime = in.start_time;
    out.CompleteTime = in.complete_time;
}

void to_soap(struct soap*, const ScheduleInformResponse&, _cwmp__ScheduleInformResponse&) {}

void to_soap(struct soap* soap, const GetAllQueuedTransfersResponse& in,
             _cwmp__GetAllQueuedTransfersResponse& out) {
    auto& items = out.TransferList.AllQueuedTransferStruct;
    items.reserve(in.transfer_list.size());
    for (const auto& item : in.transfer_list) {
        cwmp__AllQueuedTransferStruct& entry = items.emplace_back();
        entry.CommandKey = item.command_key;
        entry.State = item.state;
        entry.IsDownload = item.is_download;
        entry.FileType = item.file_type;
        entry.FileSize = item.file_size;
        entry.TargetFileName = item.target_file_name;
    }
    out.TransferList.SOAP_ENC__arrayType =
        array_type(soap, "cwmp:AllQueuedTransferStruct", items.size());
}

void to_soap(struct soap*, const CancelTransferResponse&, _cwmp__CancelTransferResponse&) {}

// ---- CPE -> ACS requests and their responses --------------------------------------

void to_soap(struct soap* soap, const Inform& in, _cwmp__Inform& out) {
    out.DeviceId.Manufacturer = in.device_id.manufacturer;
    out.DeviceId.OUI = in.device_id.oui;
    out.DeviceId.ProductClass = in.device_id.product_class;
    out.DeviceId.SerialNumber = in.device_id.serial_number;
    auto& events = out.Event.EventStruct;
    events.reserve(in.event.size());
    for (const auto& item : in.event) {
        cwmp__EventStruct& entry = events.emplace_back();
        entry.EventCode = item.event_code;
        entry.CommandKey = item.command_key;
    }
    out.Event.SOAP_ENC__arrayType = array_type(soap, "cwmp:EventStruct", events.size());
    out.MaxEnvelopes = in.max_envelopes;
    out.CurrentTime = in.current_time;
    out.RetryCount = in.retry_count;
    out.ParameterList = parameter_value_list(soap, in.parameter_list);
}

void to_soap(struct soap*, const InformResponse& in, _cwmp__InformResponse& out) {
    out.MaxEnvelopes = in.max_envelopes;
}

void to_soap(struct soap*, const TransferComplete& in, _cwmp__TransferComplete& out) {
    out.CommandKey = in.command_key;
    out.FaultStruct.FaultCode = in.fault_struct.fault_code;
    out.FaultStruct.FaultString = in.fault_struct.fault_string;
    out.StartTime = in.start_time;
    out.CompleteTime = in.complete_time;
}

void to_soap(struct soap*, const TransferCompleteResponse&, _cwmp__TransferCompleteResponse&) {}

// ---- faults ------------------------------------------------------------------------

void to_soap(struct soap* soap, const Fault& in, SOAP_ENV__Fault& out) {
    out.faultcode = new_c_string(soap, soap_fault_code(in.fault_code));
    out.faultstring = new_c_string(soap, "CWMP fault");
    out.detail = check_allocated(soap_new_SOAP_ENV__Detail(soap));
    _cwmp__Fault* fault = check_allocated(soap_new__cwmp__Fault(soap));
    fault->FaultCode = in.fault_code;
    fault->FaultString = in.fault_string;
    fault->SetParameterValuesFault.reserve(in.set_parameter_values_faults.size());
    for (const auto& item : in.set_parameter_values_faults) {
        cwmp__SetParameterValuesFault& entry = fault->SetParameterValuesFault.emplace_back();
        entry.ParameterName = item.parameter_name;
        entry.FaultCode = item.fault_code;
        entry.FaultString = item.fault_string;
    }
    out.detail->cwmp__Fault = fault;
}

}  // namespace cwmp::gsoap
