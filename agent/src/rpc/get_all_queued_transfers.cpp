#include "rpc/rpc_handlers.hpp"
#include "transfer/transfer_manager.hpp"

namespace agent::rpc {

// Transfers queued, in progress, or complete with their TransferComplete not
// yet acknowledged (States 1, 2, 3).
cwmp::Body handle(const cwmp::GetAllQueuedTransfers&, RpcContext& context) {
    if (context.transfers == nullptr) return cwmp::GetAllQueuedTransfersResponse{};
    return cwmp::GetAllQueuedTransfersResponse{context.transfers->queued()};
}

}  // namespace agent::rpc
