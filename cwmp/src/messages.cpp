// Element names of the CWMP message bodies.
#include "cwmp/messages.hpp"

namespace cwmp {

namespace {

// One overload per Body alternative: adding an alternative without a name
// here fails to compile.
struct ElementName {
    std::string_view operator()(const GetRPCMethods&) const { return "GetRPCMethods"; }
    std::string_view operator()(const SetParameterValues&) const { return "SetParameterValues"; }
    std::string_view operator()(const GetParameterValues&) const { return "GetParameterValues"; }
    std::string_view operator()(const GetParameterNames&) const { return "GetParameterNames"; }
    std::string_view operator()(const SetParameterAttributes&) const {
        return "SetParameterAttributes";
    }
    std::string_view operator()(const GetParameterAttributes&) const {
        return "GetParameterAttributes";
    }
    std::string_view operator()(const AddObject&) const { return "AddObject"; }
    std::string_view operator()(const DeleteObject&) const { return "DeleteObject"; }
    std::string_view operator()(const Reboot&) const { return "Reboot"; }
    std::string_view operator()(const FactoryReset&) const { return "FactoryReset"; }
    std::string_view operator()(const Download&) const { return "Download"; }
    std::string_view operator()(const Upload&) const { return "Upload"; }
    std::string_view operator()(const ScheduleInform&) const { return "ScheduleInform"; }
    std::string_view operator()(const GetAllQueuedTransfers&) const {
        return "GetAllQueuedTransfers";
    }
    std::string_view operator()(const CancelTransfer&) const { return "CancelTransfer"; }

    std::string_view operator()(const GetRPCMethodsResponse&) const {
        return "GetRPCMethodsResponse";
    }
    std::string_view operator()(const SetParameterValuesResponse&) const {
        return "SetParameterValuesResponse";
    }
    std::string_view operator()(const GetParameterValuesResponse&) const {
        return "GetParameterValuesResponse";
    }
    std::string_view operator()(const GetParameterNamesResponse&) const {
        return "GetParameterNamesResponse";
    }
    std::string_view operator()(const SetParameterAttributesResponse&) const {
        return "SetParameterAttributesResponse";
    }
    std::string_view operator()(const GetParameterAttributesResponse&) const {
        return "GetParameterAttributesResponse";
    }
    std::string_view operator()(const AddObjectResponse&) const { return "AddObjectResponse"; }
    std::string_view operator()(const DeleteObjectResponse&) const {
        return "DeleteObjectResponse";
    }
    std::string_view operator()(const RebootResponse&) const { return "RebootResponse"; }
    std::string_view operator()(const FactoryResetResponse&) const {
        return "FactoryResetResponse";
    }
    std::string_view operator()(const DownloadResponse&) const { return "DownloadResponse"; }
    std::string_view operator()(const UploadResponse&) const { return "UploadResponse"; }
    std::string_view operator()(const ScheduleInformResponse&) const {
        return "ScheduleInformResponse";
    }
    std::string_view operator()(const GetAllQueuedTransfersResponse&) const {
        return "GetAllQueuedTransfersResponse";
    }
    std::string_view operator()(const CancelTransferResponse&) const {
        return "CancelTransferResponse";
    }

    std::string_view operator()(const Inform&) const { return "Inform"; }
    std::string_view operator()(const InformResponse&) const { return "InformResponse"; }
    std::string_view operator()(const TransferComplete&) const { return "TransferComplete"; }
    std::string_view operator()(const TransferCompleteResponse&) const {
        return "TransferCompleteResponse";
    }

    std::string_view operator()(const Fault&) const { return "Fault"; }
};

}  // namespace

std::string_view method_name(const Body& body) {
    return std::visit(ElementName{}, body);
}

}  // namespace cwmp
