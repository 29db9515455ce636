#include "rpc/rpc_dispatcher.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

cwmp::Body handle(const cwmp::GetRPCMethods&, RpcContext&) {
    return cwmp::GetRPCMethodsResponse{RpcDispatcher::supported_methods()};
}

}  // namespace agent::rpc
