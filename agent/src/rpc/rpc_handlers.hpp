// One handler per ACS -> CPE method. Each takes the decoded request and
// returns the response body, or a Fault. Handlers see the data model, never
// SOAP or HTTP.
#pragma once

#include <cstddef>
#include <string_view>

#include "cwmp/messages.hpp"
#include "datamodel/model.hpp"
#include "lifecycle/lifecycle_requests.hpp"

namespace agent::transfer {
class TransferManager;
}

namespace agent::rpc {

struct RpcContext {
    datamodel::Model& model;
    // Reboot, FactoryReset, ScheduleInform; null: those methods are denied.
    lifecycle::LifecycleRequests* lifecycle = nullptr;
    // Download, Upload, GetAllQueuedTransfers, CancelTransfer; null: denied.
    transfer::TransferManager* transfers = nullptr;
};

// SetParameterValues, AddObject and DeleteObject commit the request's
// ParameterKey here, in the same transaction as their change.
inline constexpr std::string_view kParameterKeyPath = "Device.ManagementServer.ParameterKey";
inline constexpr std::size_t kMaxParameterKeyLength = 32;
inline constexpr std::size_t kMaxCommandKeyLength = 32;

cwmp::Body handle(const cwmp::GetRPCMethods& request, RpcContext& context);
cwmp::Body handle(const cwmp::GetParameterValues& request, RpcContext& context);
cwmp::Body handle(const cwmp::SetParameterValues& request, RpcContext& context);
cwmp::Body handle(const cwmp::GetParameterNames& request, RpcContext& context);
cwmp::Body handle(const cwmp::GetParameterAttributes& request, RpcContext& context);
cwmp::Body handle(const cwmp::SetParameterAttributes& request, RpcContext& context);
cwmp::Body handle(const cwmp::AddObject& request, RpcContext& context);
cwmp::Body handle(const cwmp::DeleteObject& request, RpcContext& context);
cwmp::Body handle(const cwmp::Reboot& request, RpcContext& context);
cwmp::Body handle(const cwmp::FactoryReset& request, RpcContext& context);
cwmp::Body handle(const cwmp::ScheduleInform& request, RpcContext& context);
cwmp::Body handle(const cwmp::Download& request, RpcContext& context);
cwmp::Body handle(const cwmp::Upload& request, RpcContext& context);
cwmp::Body handle(const cwmp::GetAllQueuedTransfers& request, RpcContext& context);
cwmp::Body handle(const cwmp::CancelTransfer& request, RpcContext& context);

}  // namespace agent::rpc
