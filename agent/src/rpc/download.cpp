#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"
#include "transfer/transfer_manager.hpp"

namespace agent::rpc {

// The transfer is queued (and stored) before the response: Status 1, the
// outcome follows in a TransferComplete.
cwmp::Body handle(const cwmp::Download& request, RpcContext& context) {
    if (context.transfers == nullptr) {
        return make_fault(cwmp::kRequestDenied, "this agent does not download files");
    }
    if (auto accepted = context.transfers->download(request); !accepted) {
        return accepted.error();
    }
    return cwmp::DownloadResponse{1, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"};
}

}  // namespace agent::rpc
