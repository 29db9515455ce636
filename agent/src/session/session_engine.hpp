// One CWMP session, CPE side, as an explicit state machine:
//
//   Idle --start--> AwaitingInformResponse --InformResponse--> (CPE requests)
//   (CPE requests): while the CPE has requests and the ACS does not hold them
//     --request--> AwaitingAcsResponse --response / fault--> (CPE requests)
//   otherwise --empty POST--> AwaitingAcsRequest
//   AwaitingAcsRequest --ACS request--> (answer it) --> AwaitingAcsRequest
//   AwaitingAcsRequest --204 / empty 200--> (CPE requests) if any are left
//     unheld, else Idle (success)
//   any state --transport error, HTTP error, bad message--> Idle (failure)
//
// The engine owns the session's HTTP channel (one persistent connection and
// its cookies), follows redirects for the rest of the session, and speaks the
// CWMP version the ACS chose.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cwmp/codec.hpp"
#include "datamodel/model.hpp"
#include "http/http_types.hpp"
#include "rpc/rpc_dispatcher.hpp"

namespace agent {

// A request the CPE makes of the ACS in a session (TransferComplete,
// GetRPCMethods), sent after the InformResponse unless the ACS holds requests.
struct CpeRequest {
    cwmp::Body body;
    // Events of the Inform that this request delivers ("7 TRANSFER COMPLETE",
    // "M Download"): the InformResponse does not acknowledge them, the
    // response to every request that lists one does (TR-069 §3.7.1.5).
    std::vector<cwmp::EventStruct> events{};
    // Called with the ACS's response (never with a fault).
    std::function<void(const cwmp::Body& response)> answered{};
};

struct SessionSettings {
    std::string acs_url;
    http::ChannelSettings channel;
    // Changed values that notification reports in this session's Inform.
    std::vector<cwmp::ParameterValue> changed_values{};
    std::vector<CpeRequest> requests{};
};

// The ACS accepted the Inform: its events are delivered (TR-069 §3.7.1.5),
// whatever happens to the rest of the session.
struct InformAcknowledged {
    std::vector<cwmp::EventStruct> events;
    std::string acs_url;  // the URL that answered, after any redirect
    cwmp::Namespace ns = cwmp::Namespace::Cwmp12;
};

struct SessionOutcome {
    bool success = false;  // ended by the ACS with 204 / an empty 200
    bool inform_acknowledged = false;
    // Some CPE requests got no response in this session (held by the ACS to
    // the end, faulted, or the session broke): their events are still owed.
    bool requests_pending = false;
    std::string error;  // why the session failed, for the log
};

class SessionEngine {
public:
    enum class State { Idle, AwaitingInformResponse, AwaitingAcsRequest, AwaitingAcsResponse };

    struct Callbacks {
        std::function<void(const InformAcknowledged&)> acknowledged;
        std::function<void(SessionOutcome)> done;
        // Events held back from the InformResponse, delivered by the response
        // to the last CPE request that listed them.
        std::function<void(const std::vector<cwmp::EventStruct>&)> events_delivered{};
    };

    // Times a request the ACS answers with 8005 (Retry request) is sent again
    // in one session before it is left for the next session.
    static constexpr unsigned kMaxRetriesPerRequest = 3;

    SessionEngine(datamodel::Model& model, cwmp::Codec& codec, http::ChannelFactory& http,
                  rpc::RpcDispatcher& dispatcher);

    // Starts a session that informs with these events. Only when Idle.
    void start(const SessionSettings& settings, std::vector<cwmp::EventStruct> events,
               std::uint32_t retry_count, Callbacks callbacks);
    State state() const { return state_; }
    bool active() const { return state_ != State::Idle; }

private:
    void send_inform();
    void send(const cwmp::Envelope& envelope, cwmp::Namespace ns);
    void send_empty();
    void post(http::Request request);
    void on_response(http::Result result);
    void on_inform_answer(const http::Response& response);
    void on_acs_message(std::string_view body);
    void on_acs_response(const http::Response& response);
    // After the InformResponse and after each exchange: the CPE's next
    // request if it has one and may send it, else the empty POST.
    void continue_session();
    void send_request();
    void request_done(bool answered, const cwmp::Body* response);
    bool events_held(const cwmp::EventStruct& event, std::size_t from_request) const;
    void finish(bool success, std::string error);
    bool redact(std::string_view parameter) const;
    std::string new_id();

    datamodel::Model& model_;
    cwmp::Codec& codec_;
    http::ChannelFactory& http_;
    rpc::RpcDispatcher& dispatcher_;

    State state_ = State::Idle;
    SessionSettings settings_;
    std::unique_ptr<http::Channel> channel_;
    http::Request last_request_;  // re-posted to a redirect's target
    std::vector<cwmp::EventStruct> events_;
    std::uint32_t retry_count_ = 0;
    cwmp::Namespace inform_ns_ = cwmp::Namespace::Cwmp12;
    cwmp::Namespace ns_ = cwmp::Namespace::Cwmp12;
    bool acknowledged_ = false;
    unsigned messages_ = 0;
    unsigned redirects_ = 0;
    // CPE requests of this session, sent in order; next_request_ is the one
    // being sent or to send.
    std::vector<CpeRequest> requests_;
    std::size_t next_request_ = 0;
    unsigned request_retries_ = 0;
    std::vector<std::size_t> failed_requests_;  // faulted by the ACS
    // The ACS's HoldRequests header of its last message: while true the CPE
    // sends no requests (TR-069 §3.4.1).
    bool hold_requests_ = false;
    Callbacks callbacks_;
    std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace agent
