// gSOAP interface for CWMP (TR-069) messages; input of soapcpp2, which
// generates the serializers at build time (see cwmp/CMakeLists.txt). This is
// not a C++ header: it is never included by the project's sources.
//
// Decisions that keep the codec safe and interoperable (see DESIGN.md §7):
// - One binding for every CWMP version. The namespace below is what the codec
//   writes by default; at run time it installs namespace tables of its own
//   (namespace_tables.cpp) whose "in" pattern urn:dslforum-org:cwmp-1-*
//   accepts cwmp-1-0 .. cwmp-1-4 on input.
// - No gSOAP SOAP-ENC arrays (__ptr/__size): they allocate as many items as
//   the SOAP-ENC:arrayType attribute declares. Every list is a std::vector
//   that grows with the items actually present, plus an explicit arrayType
//   attribute member that the codec fills with the real count on output and
//   ignores on input.
// - ParameterValueStruct/Value keeps its text and its xsi:type attribute as
//   written; typed conversion is the data model's business.
// - Child elements are unqualified (elementFormDefault="unqualified" in the
//   Broadband Forum schemas, and what GenieACS sends).
// - Header entries carry an explicit SOAP-ENV:mustUnderstand attribute so
//   that "1" and "0" can both be written as the schemas require.

// clang-format off: soapcpp2 syntax (@ marks attributes), not C++.

//gsoap cwmp schema namespace:     urn:dslforum-org:cwmp-1-2
//gsoap cwmp schema namespace2:    urn:dslforum-org:cwmp-1-*
//gsoap cwmp schema elementForm:   unqualified
//gsoap cwmp schema attributeForm: unqualified

#import "stlvector.h"

// ---- shared structures -------------------------------------------------------

// xs:anySimpleType with the xsi:type it was sent with, if any.
struct cwmp__Value {
    std::string __item;
    @std::string* xsi__type;
};

struct cwmp__ParameterValueStruct {
    std::string Name 1;
    struct cwmp__Value Value 1;
};

struct cwmp__ParameterValueList {
    std::vector<struct cwmp__ParameterValueStruct> ParameterValueStruct 0;
    @std::string* SOAP_ENC__arrayType;
};

// ParameterNames, MethodList and AccessList: arrays of <string> elements. The
// trailing underscore is gSOAP's escape for a name that clashes with one of
// its own; the element is written and read as "string".
struct cwmp__StringList {
    std::vector<std::string> string_ 0;
    @std::string* SOAP_ENC__arrayType;
};

struct cwmp__DeviceIdStruct {
    std::string Manufacturer 1;
    std::string OUI 1;
    std::string ProductClass 1;
    std::string SerialNumber 1;
};

struct cwmp__EventStruct {
    std::string EventCode 1;
    std::string CommandKey 1;
};

struct cwmp__EventList {
    std::vector<struct cwmp__EventStruct> EventStruct 0;
    @std::string* SOAP_ENC__arrayType;
};

struct cwmp__ParameterInfoStruct {
    std::string Name 1;
    bool Writable 1;
};

struct cwmp__ParameterInfoList {
    std::vector<struct cwmp__ParameterInfoStruct> ParameterInfoStruct 0;
    @std::string* SOAP_ENC__arrayType;
};

struct cwmp__SetParameterAttributesStruct {
    std::string Name 1;
    bool NotificationChange 1;
    int Notification 1;
    bool AccessListChange 1;
    struct cwmp__StringList AccessList 1;
};

struct cwmp__SetParameterAttributesList {
    std::vector<struct cwmp__SetParameterAttributesStruct> SetParameterAttributesStruct 0;
    @std::string* SOAP_ENC__arrayType;
};

struct cwmp__ParameterAttributeStruct {
    std::string Name 1;
    int Notification 1;
    struct cwmp__StringList AccessList 1;
};

struct cwmp__ParameterAttributeList {
    std::vector<struct cwmp__ParameterAttributeStruct> ParameterAttributeStruct 0;
    @std::string* SOAP_ENC__arrayType;
};

// TransferCompleteFaultStruct.
struct cwmp__FaultStruct {
    unsigned int FaultCode 1;
    std::string FaultString 0;
};

struct cwmp__AllQueuedTransferStruct {
    std::string CommandKey 1;
    int State 1;
    bool IsDownload 1;
    std::string FileType 1;
    unsigned int FileSize 1;
    std::string TargetFileName 1;
};

struct cwmp__AllTransferList {
    std::vector<struct cwmp__AllQueuedTransferStruct> AllQueuedTransferStruct 0;
    @std::string* SOAP_ENC__arrayType;
};

struct cwmp__SetParameterValuesFault {
    std::string ParameterName 1;
    unsigned int FaultCode 1;
    std::string FaultString 0;
};

// ---- SOAP header entries -----------------------------------------------------

struct _cwmp__ID {
    std::string __item;
    @std::string* SOAP_ENV__mustUnderstand;
};

struct _cwmp__HoldRequests {
    bool __item;
    @std::string* SOAP_ENV__mustUnderstand;
};

struct _cwmp__SessionTimeout {
    unsigned int __item;
    @std::string* SOAP_ENV__mustUnderstand;
};

struct _cwmp__SupportedCWMPVersions {
    std::string __item;
    @std::string* SOAP_ENV__mustUnderstand;
};

struct _cwmp__UseCWMPVersion {
    std::string __item;
    @std::string* SOAP_ENV__mustUnderstand;
};

// Removed from the schemas with CWMP 1.1, still sent by old ACSes (sometimes
// with mustUnderstand="1"): read and ignored, never written.
struct _cwmp__NoMoreRequests {
    std::string __item;
    @std::string* SOAP_ENV__mustUnderstand;
};

struct SOAP_ENV__Header {
    struct _cwmp__ID* cwmp__ID 0;
    struct _cwmp__HoldRequests* cwmp__HoldRequests 0;
    struct _cwmp__SessionTimeout* cwmp__SessionTimeout 0;
    struct _cwmp__SupportedCWMPVersions* cwmp__SupportedCWMPVersions 0;
    struct _cwmp__UseCWMPVersion* cwmp__UseCWMPVersion 0;
    struct _cwmp__NoMoreRequests* cwmp__NoMoreRequests 0;
};

// ---- fault -------------------------------------------------------------------

struct _cwmp__Fault {
    unsigned int FaultCode 1;
    std::string FaultString 0;
    std::vector<struct cwmp__SetParameterValuesFault> SetParameterValuesFault 0;
};

// The SOAP 1.1 Fault detail: a cwmp:Fault, anything else is kept as literal
// XML so that a foreign detail does not make the whole message unreadable.
struct SOAP_ENV__Detail {
    struct _cwmp__Fault* cwmp__Fault 0;
    _XML __any;
};

// ---- ACS -> CPE requests and CPE -> ACS responses ------------------------------

struct _cwmp__GetRPCMethods {};
struct _cwmp__GetRPCMethodsResponse {
    struct cwmp__StringList MethodList 1;
};

struct _cwmp__SetParameterValues {
    struct cwmp__ParameterValueList ParameterList 1;
    std::string ParameterKey 1;
};
struct _cwmp__SetParameterValuesResponse {
    int Status 1;
};

struct _cwmp__GetParameterValues {
    struct cwmp__StringList ParameterNames 1;
};
struct _cwmp__GetParameterValuesResponse {
    struct cwmp__ParameterValueList ParameterList 1;
};

struct _cwmp__GetParameterNames {
    std::string ParameterPath 1;
    bool NextLevel 1;
};
struct _cwmp__GetParameterNamesResponse {
    struct cwmp__ParameterInfoList ParameterList 1;
};

struct _cwmp__SetParameterAttributes {
    struct cwmp__SetParameterAttributesList ParameterList 1;
};
struct _cwmp__SetParameterAttributesResponse {};

struct _cwmp__GetParameterAttributes {
    struct cwmp__StringList ParameterNames 1;
};
struct _cwmp__GetParameterAttributesResponse {
    struct cwmp__ParameterAttributeList ParameterList 1;
};

struct _cwmp__AddObject {
    std::string ObjectName 1;
    std::string ParameterKey 1;
};
struct _cwmp__AddObjectResponse {
    unsigned int InstanceNumber 1;
    int Status 1;
};

struct _cwmp__DeleteObject {
    std::string ObjectName 1;
    std::string ParameterKey 1;
};
struct _cwmp__DeleteObjectResponse {
    int Status 1;
};

struct _cwmp__Reboot {
    std::string CommandKey 1;
};
struct _cwmp__RebootResponse {};

struct _cwmp__FactoryReset {};
struct _cwmp__FactoryResetResponse {};

struct _cwmp__Download {
    std::string CommandKey 1;
    std::string FileType 1;
    std::string URL 1;
    std::string Username 1;
    std::string Password 1;
    unsigned int FileSize 1;
    std::string TargetFileName 1;
    unsigned int DelaySeconds 1;
    std::string SuccessURL 1;
    std::string FailureURL 1;
};
struct _cwmp__DownloadResponse {
    int Status 1;
    std::string StartTime 1;
    std::string CompleteTime 1;
};

struct _cwmp__Upload {
    std::string CommandKey 1;
    std::string FileType 1;
    std::string URL 1;
    std::string Username 1;
    std::string Password 1;
    unsigned int DelaySeconds 1;
};
struct _cwmp__UploadResponse {
    int Status 1;
    std::string StartTime 1;
    std::string CompleteTime 1;
};

struct _cwmp__ScheduleInform {
    unsigned int DelaySeconds 1;
    std::string CommandKey 1;
};
struct _cwmp__ScheduleInformResponse {};

struct _cwmp__GetAllQueuedTransfers {};
struct _cwmp__GetAllQueuedTransfersResponse {
    struct cwmp__AllTransferList TransferList 1;
};

struct _cwmp__CancelTransfer {
    std::string CommandKey 1;
};
struct _cwmp__CancelTransferResponse {};

// ---- CPE -> ACS requests and ACS -> CPE responses ------------------------------

struct _cwmp__Inform {
    struct cwmp__DeviceIdStruct DeviceId 1;
    struct cwmp__EventList Event 1;
    unsigned int MaxEnvelopes 1;
    std::string CurrentTime 1;
    unsigned int RetryCount 1;
    struct cwmp__ParameterValueList ParameterList 1;
};
struct _cwmp__InformResponse {
    unsigned int MaxEnvelopes 1;
};

struct _cwmp__TransferComplete {
    std::string CommandKey 1;
    struct cwmp__FaultStruct FaultStruct 1;
    std::string StartTime 1;
    std::string CompleteTime 1;
};
struct _cwmp__TransferCompleteResponse {};
