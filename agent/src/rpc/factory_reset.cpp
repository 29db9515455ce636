#include "cwmp/fault_codes.hpp"
#include "lifecycle/lifecycle_requests.hpp"
#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

// The reset is recorded before the response is built and carried out when
// the session has ended (see lifecycle::DeviceLifecycle).
cwmp::Body handle(const cwmp::FactoryReset&, RpcContext& context) {
    if (context.lifecycle == nullptr) {
        return make_fault(cwmp::kRequestDenied, "this agent cannot reset to factory state");
    }
    if (auto accepted = context.lifecycle->accept_factory_reset(); !accepted) {
        return accepted.error();
    }
    return cwmp::FactoryResetResponse{};
}

}  // namespace agent::rpc
