#include "session/session_engine.hpp"

#include <spdlog/spdlog.h>

#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"
#include "session/inform_builder.hpp"

namespace agent {

namespace {

// A session that goes on this long is an ACS in a loop, not a provisioning.
constexpr unsigned kMaxMessagesPerSession = 10000;

std::string describe(const cwmp::Body& body) {
    std::string text(cwmp::method_name(body));
    if (const auto* spv = std::get_if<cwmp::SetParameterValues>(&body)) {
        for (const auto& p : spv->parameter_list) {
            text += " " + p.name + "=" + p.value;
        }
    } else if (const auto* gpv = std::get_if<cwmp::GetParameterValues>(&body)) {
        for (const auto& name : gpv->parameter_names) {
            text += " " + name;
        }
    } else if (const auto* gpvr = std::get_if<cwmp::GetParameterValuesResponse>(&body)) {
        for (const auto& p : gpvr->parameter_list) {
            text += " " + p.name + "=" + p.value;
        }
    } else if (const auto* fault = std::get_if<cwmp::Fault>(&body)) {
        text += " " + std::to_string(fault->fault_code) + " " + fault->fault_string;
        for (const auto& f : fault->set_parameter_values_faults) {
            text += " [" + f.parameter_name + " " + std::to_string(f.fault_code) + "]";
        }
    } else if (const auto* gpn = std::get_if<cwmp::GetParameterNames>(&body)) {
        text += " " + gpn->parameter_path + (gpn->next_level ? " next-level" : "");
    }
    return text;
}

std::string describe_events(const std::vector<cwmp::EventStruct>& events) {
    std::string text;
    for (const auto& e : events) {
        text += (text.empty() ? "" : ", ") + e.event_code;
        if (!e.command_key.empty()) {
            text += "(" + e.command_key + ")";
        }
    }
    return "[" + text + "]";
}

std::optional<cwmp::Namespace> older(cwmp::Namespace ns) {
    switch (ns) {
        case cwmp::Namespace::Cwmp14:
        case cwmp::Namespace::Cwmp13:
            return cwmp::Namespace::Cwmp12;
        case cwmp::Namespace::Cwmp12:
            return cwmp::Namespace::Cwmp11;
        case cwmp::Namespace::Cwmp11:
            return cwmp::Namespace::Cwmp10;
        case cwmp::Namespace::Cwmp10:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

SessionEngine::SessionEngine(datamodel::Model& model, cwmp::Codec& codec,
                             http::ChannelFactory& http, rpc::RpcDispatcher& dispatcher)
    : model_(model), codec_(codec), http_(http), dispatcher_(dispatcher) {}

void SessionEngine::start(const SessionSettings& settings, std::vector<cwmp::EventStruct> events,
                          std::uint32_t retry_count, Done done) {
    settings_ = settings;
    events_ = std::move(events);
    retry_count_ = retry_count;
    done_ = std::move(done);
    inform_ns_ = cwmp::Namespace::Cwmp12;
    ns_ = cwmp::Namespace::Cwmp12;
    hold_requests_ = false;
    messages_ = 0;
    channel_ = http_.open(settings_.channel);
    send_inform();
}

void SessionEngine::send_inform() {
    state_ = State::AwaitingInformResponse;
    cwmp::Envelope envelope;
    envelope.header.id = new_id();
    // CWMP 1.4: the CPE lists what it speaks; the ACS answers in one of them.
    envelope.header.supported_cwmp_versions = std::string(cwmp::kSupportedVersions);
    envelope.body = build_inform(model_, events_, retry_count_, utc_now_iso8601());
    spdlog::info("session: Inform to {} events={} retry={} ns={}", settings_.acs_url,
                 describe_events(events_), retry_count_, cwmp::namespace_uri(inform_ns_));
    cwmp::Namespace previous = ns_;
    ns_ = inform_ns_;
    send(envelope);
    ns_ = previous;
}

void SessionEngine::send(const cwmp::Envelope& envelope) {
    http::Request request;
    request.url = settings_.acs_url;
    request.body = codec_.encode(envelope, ns_);
    request.headers = {"Content-Type: text/xml; charset=\"utf-8\"",
                       "SOAPAction: \"\""};  // present, may be empty (TR-069 §3.4.1)
    channel_->post(std::move(request),
                   [this](http::Result result) { on_response(std::move(result)); });
}

void SessionEngine::send_empty() {
    http::Request request;
    request.url = settings_.acs_url;
    channel_->post(std::move(request),
                   [this](http::Result result) { on_response(std::move(result)); });
}

void SessionEngine::on_response(http::Result result) {
    if (!result) {
        finish(false, "HTTP transport: " + result.error().message);
        return;
    }
    if (++messages_ > kMaxMessagesPerSession) {
        finish(false, "ACS exceeded " + std::to_string(kMaxMessagesPerSession) +
                          " messages in one session");
        return;
    }
    const http::Response& response = *result;
    if (response.status == 401 || response.status == 403) {
        finish(false, "ACS refused our credentials (HTTP " + std::to_string(response.status) + ")");
        return;
    }
    const bool empty = response.body.find_first_not_of(" \t\r\n") == std::string::npos;
    if (state_ == State::AwaitingInformResponse) {
        if (response.status != 200 || empty) {
            finish(false, "ACS answered the Inform with HTTP " + std::to_string(response.status) +
                              (empty ? " and no envelope" : ""));
            return;
        }
        auto decoded = codec_.decode(response.body);
        if (!decoded) {
            finish(false, "cannot decode the Inform's answer: " + decoded.error().detail);
            return;
        }
        on_inform_response(*decoded);
        return;
    }
    // AwaitingAcsRequest
    if (response.status == 204 || (response.status == 200 && empty)) {
        finish(true, {});
        return;
    }
    if (response.status != 200) {
        finish(false, "ACS answered with HTTP " + std::to_string(response.status));
        return;
    }
    on_acs_message(response.body);
}

void SessionEngine::on_inform_response(const cwmp::Decoded& decoded) {
    const cwmp::Body& body = decoded.envelope.body;
    if (const auto* fault = std::get_if<cwmp::Fault>(&body)) {
        // 8006: the ACS does not speak our version; try the next older one.
        if (fault->fault_code == cwmp::kAcsVersionIncompatible) {
            if (auto previous = older(inform_ns_)) {
                spdlog::warn("session: ACS refused {} (8006), retrying the Inform in {}",
                             cwmp::namespace_uri(inform_ns_), cwmp::namespace_uri(*previous));
                inform_ns_ = *previous;
                send_inform();
                return;
            }
        }
        finish(false, "ACS faulted the Inform: " + describe(body));
        return;
    }
    if (!std::holds_alternative<cwmp::InformResponse>(body)) {
        finish(false, "expected InformResponse, got " + std::string(cwmp::method_name(body)));
        return;
    }
    // Continue in the version the ACS answered in, or the one it asked for.
    ns_ = decoded.ns;
    if (const auto& use = decoded.envelope.header.use_cwmp_version) {
        if (auto ns = cwmp::namespace_for_version(*use)) {
            ns_ = *ns;
        }
    }
    hold_requests_ = decoded.envelope.header.hold_requests.value_or(false);
    spdlog::info("session: InformResponse, continuing in {}", cwmp::namespace_uri(ns_));
    state_ = State::AwaitingAcsRequest;
    // The CPE has no requests of its own yet (TransferComplete comes with
    // transfers): tell the ACS it may send its requests.
    send_empty();
}

void SessionEngine::on_acs_message(std::string_view text) {
    auto decoded = codec_.decode(text);
    cwmp::Envelope reply;
    if (!decoded) {
        const cwmp::DecodeError& error = decoded.error();
        reply.header.id = error.id;
        if (error.kind == cwmp::DecodeErrorKind::UnknownMethod) {
            spdlog::warn("session: ACS sent unknown method {}", error.method);
            reply.body =
                rpc::make_fault(cwmp::kMethodNotSupported, "Method not supported: " + error.method);
        } else {
            spdlog::warn("session: cannot decode ACS message ({}): {}", cwmp::to_string(error.kind),
                         error.detail);
            reply.body = rpc::make_fault(error.kind == cwmp::DecodeErrorKind::Oversized
                                             ? cwmp::kResourcesExceeded
                                             : cwmp::kInvalidArguments,
                                         error.detail);
        }
        if (error.ns) {
            ns_ = *error.ns;
        }
        send(reply);
        return;
    }
    const cwmp::Envelope& request = decoded->envelope;
    if (request.header.hold_requests) {
        hold_requests_ = *request.header.hold_requests;
    }
    spdlog::info("session: <- {}", describe(request.body));
    reply.header.id = request.header.id;
    reply.body = dispatcher_.dispatch(request.body);
    spdlog::info("session: -> {}", describe(reply.body));
    // Each answer goes in the namespace of the request it answers.
    ns_ = decoded->ns;
    send(reply);
}

void SessionEngine::finish(bool success, std::string error) {
    state_ = State::Idle;
    SessionOutcome outcome;
    outcome.success = success;
    outcome.error = std::move(error);
    outcome.ns = ns_;
    if (success) {
        outcome.delivered = events_;
        spdlog::info("session: ended by the ACS");
    } else {
        spdlog::warn("session: failed: {}", outcome.error);
    }
    if (channel_) {
        channel_->cancel();
    }
    // The channel is released after the completion chain unwinds (we may be
    // inside its callback), so it is kept until the next start().
    auto done = std::move(done_);
    done_ = nullptr;
    if (done) {
        done(std::move(outcome));
    }
}

std::string SessionEngine::new_id() {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(16, '0');
    std::uint64_t bits = random_();
    for (char& c : id) {
        c = kHex[bits & 0xF];
        bits >>= 4;
    }
    return id;
}

}  // namespace agent
