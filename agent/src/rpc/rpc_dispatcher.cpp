#include "rpc/rpc_dispatcher.hpp"

#include <type_traits>

#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"

namespace agent::rpc {

namespace {

template <class T>
concept HandledRequest = requires(const T& request, RpcContext& context) {
    { handle(request, context) } -> std::same_as<cwmp::Body>;
};

}  // namespace

cwmp::Body RpcDispatcher::dispatch(const cwmp::Body& request) {
    return std::visit(
        [this](const auto& message) -> cwmp::Body {
            using T = std::decay_t<decltype(message)>;
            if constexpr (HandledRequest<T>) {
                return handle(message, context_);
            } else {
                return make_fault(cwmp::kMethodNotSupported,
                                  std::string("Method not supported: ") +
                                      std::string(cwmp::method_name(cwmp::Body{message})));
            }
        },
        request);
}

std::vector<std::string> RpcDispatcher::supported_methods() {
    return {"GetRPCMethods",
            "GetParameterValues",
            "SetParameterValues",
            "GetParameterNames",
            "GetParameterAttributes",
            "SetParameterAttributes",
            "AddObject",
            "DeleteObject",
            "Reboot",
            "FactoryReset",
            "ScheduleInform",
            "Download",
            "Upload",
            "GetAllQueuedTransfers",
            "CancelTransfer"};
}

}  // namespace agent::rpc
