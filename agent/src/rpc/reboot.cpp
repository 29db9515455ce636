#include "cwmp/fault_codes.hpp"
#include "lifecycle/lifecycle_requests.hpp"
#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

// "M Reboot" is committed before the response is built; the reboot itself
// waits for the end of the session (see lifecycle::DeviceLifecycle).
cwmp::Body handle(const cwmp::Reboot& request, RpcContext& context) {
    if (request.command_key.size() > kMaxCommandKeyLength) {
        return make_fault(cwmp::kInvalidArguments, "CommandKey longer than 32 characters");
    }
    if (context.lifecycle == nullptr) {
        return make_fault(cwmp::kRequestDenied, "this agent cannot reboot");
    }
    if (auto accepted = context.lifecycle->accept_reboot(request.command_key); !accepted) {
        return accepted.error();
    }
    return cwmp::RebootResponse{};
}

}  // namespace agent::rpc
