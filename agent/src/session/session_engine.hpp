// One CWMP session, CPE side, as an explicit state machine:
//
//   Idle --start--> AwaitingInformResponse --InformResponse--> AwaitingAcsRequest
//   AwaitingAcsRequest --ACS request--> (answer it) --> AwaitingAcsRequest
//   AwaitingAcsRequest --204 / empty 200--> Idle (success)
//   any state --transport error, HTTP error, bad message--> Idle (failure)
//
// The engine owns the session's HTTP channel (one persistent connection and
// its cookies) and speaks the CWMP version the ACS chose.
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

struct SessionOutcome {
    bool success = false;
    std::string error;                             // why the session failed, for the log
    std::vector<cwmp::EventStruct> delivered;      // events the ACS acknowledged
    cwmp::Namespace ns = cwmp::Namespace::Cwmp12;  // what the ACS spoke
};

struct SessionSettings {
    std::string acs_url;
    http::ChannelSettings channel;
};

class SessionEngine {
public:
    enum class State { Idle, AwaitingInformResponse, AwaitingAcsRequest };

    SessionEngine(datamodel::Model& model, cwmp::Codec& codec, http::ChannelFactory& http,
                  rpc::RpcDispatcher& dispatcher);

    using Done = std::function<void(SessionOutcome)>;
    // Starts a session that informs with these events. Only when Idle.
    void start(const SessionSettings& settings, std::vector<cwmp::EventStruct> events,
               std::uint32_t retry_count, Done done);
    State state() const { return state_; }
    bool active() const { return state_ != State::Idle; }

private:
    void send_inform();
    void send(const cwmp::Envelope& envelope);
    void send_empty();
    void on_response(http::Result result);
    void on_inform_response(const cwmp::Decoded& decoded);
    void on_acs_message(std::string_view body);
    void finish(bool success, std::string error);
    std::string new_id();

    datamodel::Model& model_;
    cwmp::Codec& codec_;
    http::ChannelFactory& http_;
    rpc::RpcDispatcher& dispatcher_;

    State state_ = State::Idle;
    SessionSettings settings_;
    std::unique_ptr<http::Channel> channel_;
    std::vector<cwmp::EventStruct> events_;
    std::uint32_t retry_count_ = 0;
    cwmp::Namespace inform_ns_ = cwmp::Namespace::Cwmp12;
    cwmp::Namespace ns_ = cwmp::Namespace::Cwmp12;
    bool hold_requests_ = false;
    unsigned messages_ = 0;
    Done done_;
    std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace agent
