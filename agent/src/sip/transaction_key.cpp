#include "sip/transaction_key.hpp"

#include <functional>

#include "sip/core_headers.hpp"

namespace agent::sip {

namespace {

void combine(std::size_t& seed, const std::string& value) {
    // boost::hash_combine's mixing step.
    seed ^= std::hash<std::string>{}(value) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
}

}  // namespace

std::size_t ServerTransactionKeyHash::operator()(const ServerTransactionKey& key) const {
    std::size_t seed = key.rfc3261 ? 1 : 2;
    combine(seed, key.branch);
    combine(seed, key.sent_by);
    combine(seed, key.method);
    if (!key.rfc3261) {
        combine(seed, key.request_uri);
        combine(seed, key.from_tag);
        combine(seed, key.to_tag);
        combine(seed, key.call_id);
        combine(seed, std::to_string(key.cseq_number));
        combine(seed, key.top_via);
    }
    return seed;
}

SipResult<ServerTransactionKey> server_transaction_key(const SipMessage& request) {
    if (!request.is_request()) {
        return sip_error(SipErrorCode::InvalidArgument, "a response has no server transaction");
    }
    auto core = read_core_headers(request);
    if (!core) return phonecwmp::Unexpected(core.error());
    const std::string& method = request.request_line().method;
    const bool invite_family = method == "INVITE" || method == "ACK";

    ServerTransactionKey key;
    const Via& top = core->vias.front();
    key.method = invite_family ? "INVITE" : method;
    if (top.has_rfc3261_branch()) {
        key.branch = top.branch();
        key.sent_by = top.sent_by();
        return key;
    }
    key.rfc3261 = false;
    key.request_uri = request.request_line().uri;
    key.from_tag = core->from.tag();
    if (!invite_family) key.to_tag = core->to.tag();
    key.call_id = core->call_id;
    key.cseq_number = core->cseq.number;
    key.top_via = request.find_header("Via")->value;
    return key;
}

SipResult<ServerTransactionKey> cancelled_invite_key(const SipMessage& cancel) {
    if (!cancel.is_request() || cancel.request_line().method != "CANCEL") {
        return sip_error(SipErrorCode::InvalidArgument, "not a CANCEL request");
    }
    auto key = server_transaction_key(cancel);
    if (!key) return key;
    key->method = "INVITE";
    // A 2543 CANCEL has the INVITE's To (no tag), so the To tag stays out.
    key->to_tag.clear();
    return key;
}

}  // namespace agent::sip
