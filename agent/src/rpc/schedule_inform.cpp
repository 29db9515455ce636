#include <chrono>

#include "cwmp/fault_codes.hpp"
#include "lifecycle/lifecycle_requests.hpp"
#include "rpc/faults.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

// TR-069 A.4.1.5: DelaySeconds must be greater than zero.
cwmp::Body handle(const cwmp::ScheduleInform& request, RpcContext& context) {
    if (request.delay_seconds == 0) {
        return make_fault(cwmp::kInvalidArguments, "DelaySeconds must be greater than 0");
    }
    if (request.command_key.size() > kMaxCommandKeyLength) {
        return make_fault(cwmp::kInvalidArguments, "CommandKey longer than 32 characters");
    }
    if (context.lifecycle == nullptr) {
        return make_fault(cwmp::kRequestDenied, "this agent cannot schedule informs");
    }
    if (auto scheduled = context.lifecycle->schedule_inform(
            std::chrono::seconds(request.delay_seconds), request.command_key);
        !scheduled) {
        return scheduled.error();
    }
    return cwmp::ScheduleInformResponse{};
}

}  // namespace agent::rpc
