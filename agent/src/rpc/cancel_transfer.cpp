#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"
#include "transfer/transfer_manager.hpp"

namespace agent::rpc {

// Only a transfer that has not started can be cancelled (else 9021).
cwmp::Body handle(const cwmp::CancelTransfer& request, RpcContext& context) {
    if (request.command_key.size() > kMaxCommandKeyLength) {
        return make_fault(cwmp::kInvalidArguments, "CommandKey longer than 32 characters");
    }
    if (context.transfers == nullptr) {
        return make_fault(cwmp::kInvalidArguments, "no transfer is queued");
    }
    if (auto cancelled = context.transfers->cancel(request.command_key); !cancelled) {
        return cancelled.error();
    }
    return cwmp::CancelTransferResponse{};
}

}  // namespace agent::rpc
