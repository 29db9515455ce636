// Plain C++ types for every CWMP message (TR-069 Amendment 6, CWMP 1.0-1.4).
//
// These are what the rest of the project sees of the protocol: no SOAP, no
// gSOAP, no XML. Field names follow the schema (cwmp-1-2.xsd / cwmp-1-4.xsd)
// in snake_case. Date-times stay as their xsd:dateTime text because turning
// them into clocks is the caller's business (the unknown time
// 0001-01-01T00:00:00Z is not representable in std::chrono::system_clock on
// every platform).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cwmp {

// ---- shared structures ---------------------------------------------------

struct ParameterValue {
    std::string name;
    std::string value;
    // xsi:type as written on the wire, a QName such as "xsd:unsignedInt".
    // Empty when the sender gave none (GenieACS and many CPEs sometimes omit it).
    std::string type;
    friend bool operator==(const ParameterValue&, const ParameterValue&) = default;
};

struct DeviceId {
    std::string manufacturer;
    std::string oui;
    std::string product_class;
    std::string serial_number;
    friend bool operator==(const DeviceId&, const DeviceId&) = default;
};

struct EventStruct {
    std::string event_code;
    std::string command_key;
    friend bool operator==(const EventStruct&, const EventStruct&) = default;
};

struct ParameterInfo {
    std::string name;
    bool writable = false;
    friend bool operator==(const ParameterInfo&, const ParameterInfo&) = default;
};

struct SetParameterAttributesStruct {
    std::string name;
    bool notification_change = false;
    int notification = 0;
    bool access_list_change = false;
    std::vector<std::string> access_list;
    friend bool operator==(const SetParameterAttributesStruct&,
                           const SetParameterAttributesStruct&) = default;
};

struct ParameterAttribute {
    std::string name;
    int notification = 0;
    std::vector<std::string> access_list;
    friend bool operator==(const ParameterAttribute&, const ParameterAttribute&) = default;
};

struct FaultStruct {
    std::uint32_t fault_code = 0;
    std::string fault_string;
    friend bool operator==(const FaultStruct&, const FaultStruct&) = default;
};

struct QueuedTransfer {
    std::string command_key;
    int state = 1;  // 1 not yet started, 2 in progress, 3 completed
    bool is_download = true;
    std::string file_type;
    std::uint32_t file_size = 0;
    std::string target_file_name;
    friend bool operator==(const QueuedTransfer&, const QueuedTransfer&) = default;
};

// ---- ACS -> CPE requests and CPE -> ACS responses --------------------------

struct GetRPCMethods {
    friend bool operator==(const GetRPCMethods&, const GetRPCMethods&) = default;
};
struct GetRPCMethodsResponse {
    std::vector<std::string> method_list;
    friend bool operator==(const GetRPCMethodsResponse&, const GetRPCMethodsResponse&) = default;
};

struct SetParameterValues {
    std::vector<ParameterValue> parameter_list;
    std::string parameter_key;
    friend bool operator==(const SetParameterValues&, const SetParameterValues&) = default;
};
struct SetParameterValuesResponse {
    int status = 0;
    friend bool operator==(const SetParameterValuesResponse&,
                           const SetParameterValuesResponse&) = default;
};

struct GetParameterValues {
    std::vector<std::string> parameter_names;
    friend bool operator==(const GetParameterValues&, const GetParameterValues&) = default;
};
struct GetParameterValuesResponse {
    std::vector<ParameterValue> parameter_list;
    friend bool operator==(const GetParameterValuesResponse&,
                           const GetParameterValuesResponse&) = default;
};

struct GetParameterNames {
    std::string parameter_path;
    bool next_level = false;
    friend bool operator==(const GetParameterNames&, const GetParameterNames&) = default;
};
struct GetParameterNamesResponse {
    std::vector<ParameterInfo> parameter_list;
    friend bool operator==(const GetParameterNamesResponse&,
                           const GetParameterNamesResponse&) = default;
};

struct SetParameterAttributes {
    std::vector<SetParameterAttributesStruct> parameter_list;
    friend bool operator==(const SetParameterAttributes&, const SetParameterAttributes&) = default;
};
struct SetParameterAttributesResponse {
    friend bool operator==(const SetParameterAttributesResponse&,
                           const SetParameterAttributesResponse&) = default;
};

struct GetParameterAttributes {
    std::vector<std::string> parameter_names;
    friend bool operator==(const GetParameterAttributes&, const GetParameterAttributes&) = default;
};
struct GetParameterAttributesResponse {
    std::vector<ParameterAttribute> parameter_list;
    friend bool operator==(const GetParameterAttributesResponse&,
                           const GetParameterAttributesResponse&) = default;
};

struct AddObject {
    std::string object_name;
    std::string parameter_key;
    friend bool operator==(const AddObject&, const AddObject&) = default;
};
struct AddObjectResponse {
    std::uint32_t instance_number = 0;
    int status = 0;
    friend bool operator==(const AddObjectResponse&, const AddObjectResponse&) = default;
};

struct DeleteObject {
    std::string object_name;
    std::string parameter_key;
    friend bool operator==(const DeleteObject&, const DeleteObject&) = default;
};
struct DeleteObjectResponse {
    int status = 0;
    friend bool operator==(const DeleteObjectResponse&, const DeleteObjectResponse&) = default;
};

struct Reboot {
    std::string command_key;
    friend bool operator==(const Reboot&, const Reboot&) = default;
};
struct RebootResponse {
    friend bool operator==(const RebootResponse&, const RebootResponse&) = default;
};

struct FactoryReset {
    friend bool operator==(const FactoryReset&, const FactoryReset&) = default;
};
struct FactoryResetResponse {
    friend bool operator==(const FactoryResetResponse&, const FactoryResetResponse&) = default;
};

struct Download {
    std::string command_key;
    std::string file_type;
    std::string url;
    std::string username;
    std::string password;
    std::uint32_t file_size = 0;
    std::string target_file_name;
    std::uint32_t delay_seconds = 0;
    std::string success_url;
    std::string failure_url;
    friend bool operator==(const Download&, const Download&) = default;
};
struct DownloadResponse {
    int status = 0;
    std::string start_time = "0001-01-01T00:00:00Z";
    std::string complete_time = "0001-01-01T00:00:00Z";
    friend bool operator==(const DownloadResponse&, const DownloadResponse&) = default;
};

struct Upload {
    std::string command_key;
    std::string file_type;
    std::string url;
    std::string username;
    std::string password;
    std::uint32_t delay_seconds = 0;
    friend bool operator==(const Upload&, const Upload&) = default;
};
struct UploadResponse {
    int status = 0;
    std::string start_time = "0001-01-01T00:00:00Z";
    std::string complete_time = "0001-01-01T00:00:00Z";
    friend bool operator==(const UploadResponse&, const UploadResponse&) = default;
};

struct ScheduleInform {
    std::uint32_t delay_seconds = 0;
    std::string command_key;
    friend bool operator==(const ScheduleInform&, const ScheduleInform&) = default;
};
struct ScheduleInformResponse {
    friend bool operator==(const ScheduleInformResponse&, const ScheduleInformResponse&) = default;
};

struct GetAllQueuedTransfers {
    friend bool operator==(const GetAllQueuedTransfers&, const GetAllQueuedTransfers&) = default;
};
struct GetAllQueuedTransfersResponse {
    std::vector<QueuedTransfer> transfer_list;
    friend bool operator==(const GetAllQueuedTransfersResponse&,
                           const GetAllQueuedTransfersResponse&) = default;
};

struct CancelTransfer {
    std::string command_key;
    friend bool operator==(const CancelTransfer&, const CancelTransfer&) = default;
};
struct CancelTransferResponse {
    friend bool operator==(const CancelTransferResponse&, const CancelTransferResponse&) = default;
};

// ---- CPE -> ACS requests and ACS -> CPE responses --------------------------

struct Inform {
    DeviceId device_id;
    std::vector<EventStruct> event;
    std::uint32_t max_envelopes = 1;
    std::string current_time;
    std::uint32_t retry_count = 0;
    std::vector<ParameterValue> parameter_list;
    friend bool operator==(const Inform&, const Inform&) = default;
};
struct InformResponse {
    std::uint32_t max_envelopes = 1;
    friend bool operator==(const InformResponse&, const InformResponse&) = default;
};

struct TransferComplete {
    std::string command_key;
    FaultStruct fault_struct;
    std::string start_time = "0001-01-01T00:00:00Z";
    std::string complete_time = "0001-01-01T00:00:00Z";
    friend bool operator==(const TransferComplete&, const TransferComplete&) = default;
};
struct TransferCompleteResponse {
    friend bool operator==(const TransferCompleteResponse&,
                           const TransferCompleteResponse&) = default;
};

// ---- faults ----------------------------------------------------------------

struct SetParameterValuesFault {
    std::string parameter_name;
    std::uint32_t fault_code = 0;
    std::string fault_string;
    friend bool operator==(const SetParameterValuesFault&,
                           const SetParameterValuesFault&) = default;
};

// A SOAP Fault whose detail is a cwmp:Fault. The SOAP faultcode ("Client" or
// "Server") is derived from fault_code by the codec; see fault_codes.hpp.
struct Fault {
    std::uint32_t fault_code = 0;
    std::string fault_string;
    std::vector<SetParameterValuesFault> set_parameter_values_faults;
    friend bool operator==(const Fault&, const Fault&) = default;
};

// ---- envelope ----------------------------------------------------------------

struct Header {
    std::optional<std::string> id;                       // cwmp:ID, mustUnderstand="1"
    std::optional<bool> hold_requests;                   // cwmp:HoldRequests, mustUnderstand="1"
    std::optional<std::uint32_t> session_timeout;        // cwmp:SessionTimeout (CWMP 1.3+)
    std::optional<std::string> supported_cwmp_versions;  // e.g. "1.0,1.1,1.2,1.3,1.4"
    std::optional<std::string> use_cwmp_version;         // e.g. "1.2"
    friend bool operator==(const Header&, const Header&) = default;
};

using Body = std::variant<
    // ACS -> CPE requests
    GetRPCMethods, SetParameterValues, GetParameterValues, GetParameterNames,
    SetParameterAttributes, GetParameterAttributes, AddObject, DeleteObject, Reboot, FactoryReset,
    Download, Upload, ScheduleInform, GetAllQueuedTransfers, CancelTransfer,
    // CPE -> ACS responses
    GetRPCMethodsResponse, SetParameterValuesResponse, GetParameterValuesResponse,
    GetParameterNamesResponse, SetParameterAttributesResponse, GetParameterAttributesResponse,
    AddObjectResponse, DeleteObjectResponse, RebootResponse, FactoryResetResponse, DownloadResponse,
    UploadResponse, ScheduleInformResponse, GetAllQueuedTransfersResponse, CancelTransferResponse,
    // CPE -> ACS requests and their responses
    Inform, InformResponse, TransferComplete, TransferCompleteResponse,
    // either direction
    Fault>;

struct Envelope {
    Header header;
    Body body;
    friend bool operator==(const Envelope&, const Envelope&) = default;
};

// The element name of a body ("GetParameterValues", "Fault", ...), for logs
// and for choosing the response of a request.
std::string_view method_name(const Body& body);

}  // namespace cwmp
