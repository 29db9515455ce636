// One CWMP session with one CPE, from its Inform to the ACS's empty 204:
// the server side of TR-069 §3.7 as a state machine with no transport.
//
// States: idle (the CPE may send requests, responses to our requests, or an
// empty POST) and awaiting an answer to the RPC in flight. Each message in
// gives one reply out: an envelope to send back with HTTP 200, or the end of
// the session (204, no body).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/codec.hpp"
#include "cwmp/messages.hpp"
#include "cwmp/version.hpp"
#include "presets/preset_run.hpp"
#include "registry/registry.hpp"
#include "session/task_execution.hpp"
#include "util/time_format.hpp"

namespace acssim {

// The RPCs the simulator answers when a CPE calls them (GetRPCMethodsResponse).
inline constexpr std::string_view kAcsMethods[] = {"Inform", "GetRPCMethods", "TransferComplete"};

struct SessionContext {
    Registry& registry;
    cwmp::Codec& codec;
    // Sessions in which a task may be sent without an answer before it faults.
    unsigned max_task_attempts = 3;
};

class CwmpSession {
public:
    struct Reply {
        unsigned status = 200;
        std::string body;    // an encoded envelope, empty with 204
        bool ended = false;  // the session is over (the reply is the 204)
    };

    // `presets`: the presets the Inform matched; their RPCs go before the
    // device's queued tasks (see PresetRun).
    CwmpSession(std::string token, std::string device_id, cwmp::Namespace ns, TimePoint now,
                std::optional<PresetRun> presets = std::nullopt);

    const std::string& token() const { return token_; }
    const std::string& device_id() const { return device_id_; }
    cwmp::Namespace ns() const { return ns_; }
    TimePoint last_activity() const { return last_activity_; }
    bool awaiting_answer() const { return in_flight_.has_value(); }

    // The CPE has nothing more to send: our next request, or the end.
    Reply on_empty_post(SessionContext& context, TimePoint now);

    // Any decoded message after the Inform: a CPE request (TransferComplete,
    // GetRPCMethods), an answer to our request (a *Response or a Fault), or
    // something we do not serve (answered with fault 8000).
    Reply on_message(SessionContext& context, const cwmp::Decoded& message, TimePoint now);

    // A CPE message whose method the codec does not know: fault 8000 with its cwmp:ID.
    Reply on_unknown_method(SessionContext& context, const cwmp::DecodeError& error, TimePoint now);

    // The session ends without the CPE answering the RPC in flight (idle
    // timeout, a new session of the same CPE). The task stays pending for a
    // later session unless it has used up its attempts.
    void abandon(SessionContext& context, std::string_view reason, TimePoint now);

private:
    Reply next_request_or_end(SessionContext& context, TimePoint now);
    // Ends the download task a TransferComplete reports, if it is one.
    void finish_download(SessionContext& context, const cwmp::TransferComplete& transfer,
                         TimePoint now);
    Reply accept_answer(SessionContext& context, const cwmp::Envelope& answer, TimePoint now);
    Reply respond(SessionContext& context, std::optional<std::string> id, cwmp::Body body,
                  cwmp::Namespace ns) const;

    struct InFlight {
        TaskExecution execution;
        std::string rpc_id;
        bool preset = false;
    };

    Reply send(SessionContext& context, Task task, bool preset);

    std::string token_;
    std::string device_id_;
    cwmp::Namespace ns_;
    TimePoint last_activity_;
    std::optional<InFlight> in_flight_;
    std::optional<PresetRun> presets_;
    unsigned rpc_count_ = 0;
};

}  // namespace acssim
