// One handler per ACS -> CPE method. Each takes the decoded request and
// returns the response body, or a Fault. Handlers see the data model, never
// SOAP or HTTP.
#pragma once

#include "cwmp/messages.hpp"
#include "datamodel/model.hpp"

namespace agent::rpc {

struct RpcContext {
    datamodel::Model& model;
};

cwmp::Body handle(const cwmp::GetRPCMethods& request, RpcContext& context);
cwmp::Body handle(const cwmp::GetParameterValues& request, RpcContext& context);
cwmp::Body handle(const cwmp::SetParameterValues& request, RpcContext& context);
cwmp::Body handle(const cwmp::GetParameterNames& request, RpcContext& context);

}  // namespace agent::rpc
