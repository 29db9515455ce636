#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"
#include "transfer/transfer_manager.hpp"

namespace agent::rpc {

// As Download: queued and stored first, Status 1, TransferComplete later.
cwmp::Body handle(const cwmp::Upload& request, RpcContext& context) {
    if (context.transfers == nullptr) {
        return make_fault(cwmp::kRequestDenied, "this agent does not upload files");
    }
    if (auto accepted = context.transfers->upload(request); !accepted) {
        return accepted.error();
    }
    return cwmp::UploadResponse{1, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"};
}

}  // namespace agent::rpc
