// Routes an ACS request to its handler; methods the agent does not implement
// get fault 9000.
#pragma once

#include <string>
#include <vector>

#include "cwmp/messages.hpp"
#include "rpc/rpc_handlers.hpp"

namespace agent::rpc {

class RpcDispatcher {
public:
    explicit RpcDispatcher(datamodel::Model& model) : context_{model} {}

    // Response body for a request body. Responses and faults sent to the CPE
    // as if they were requests are answered with 9000 as well.
    cwmp::Body dispatch(const cwmp::Body& request);

    // What GetRPCMethods reports: exactly the methods dispatch() handles.
    static std::vector<std::string> supported_methods();

    // The handlers' view of the agent, for the owner to complete.
    RpcContext& context() { return context_; }

private:
    RpcContext context_;
};

}  // namespace agent::rpc
