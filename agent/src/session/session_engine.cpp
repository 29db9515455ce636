#include "session/session_engine.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "cwmp/fault_codes.hpp"
#include "cwmp/summary.hpp"
#include "datamodel/path.hpp"
#include "rpc/faults.hpp"
#include "session/inform_builder.hpp"

namespace agent {

namespace {

// A session that goes on this long is an ACS in a loop, not a provisioning.
constexpr unsigned kMaxMessagesPerSession = 10000;
// Redirects followed in one session (each is a round trip before any work).
constexpr unsigned kMaxRedirectsPerSession = 5;

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

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

SessionEngine::SessionEngine(datamodel::Model& model, cwmp::Codec& codec,
                             http::ChannelFactory& http, rpc::RpcDispatcher& dispatcher)
    : model_(model), codec_(codec), http_(http), dispatcher_(dispatcher) {}

void SessionEngine::start(const SessionSettings& settings, std::vector<cwmp::EventStruct> events,
                          std::uint32_t retry_count, Callbacks callbacks) {
    settings_ = settings;
    events_ = std::move(events);
    retry_count_ = retry_count;
    callbacks_ = std::move(callbacks);
    inform_ns_ = cwmp::Namespace::Cwmp12;
    ns_ = cwmp::Namespace::Cwmp12;
    acknowledged_ = false;
    messages_ = 0;
    redirects_ = 0;
    requests_ = std::move(settings_.requests);
    settings_.requests.clear();
    next_request_ = 0;
    request_retries_ = 0;
    failed_requests_.clear();
    hold_requests_ = false;
    channel_ = http_.open(settings_.channel);
    send_inform();
}

void SessionEngine::send_inform() {
    state_ = State::AwaitingInformResponse;
    cwmp::Envelope envelope;
    envelope.header.id = new_id();
    // CWMP 1.4: the CPE lists what it speaks; the ACS answers in one of them.
    envelope.header.supported_cwmp_versions = std::string(cwmp::kSupportedVersions);
    envelope.body =
        build_inform(model_, events_, retry_count_, utc_now_iso8601(), settings_.changed_values);
    spdlog::info("session: Inform to {} events={} retry={} ns={}", settings_.acs_url,
                 describe_events(events_), retry_count_, cwmp::namespace_uri(inform_ns_));
    send(envelope, inform_ns_);
}

void SessionEngine::send(const cwmp::Envelope& envelope, cwmp::Namespace ns) {
    http::Request request;
    request.body = codec_.encode(envelope, ns);
    request.headers = {"Content-Type: text/xml; charset=\"utf-8\"",
                       "SOAPAction: \"\""};  // present, may be empty (TR-069 §3.4.1)
    post(std::move(request));
}

void SessionEngine::send_empty() {
    post(http::Request{});
}

void SessionEngine::post(http::Request request) {
    request.url = settings_.acs_url;
    last_request_ = request;
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
    if (is_redirect(response.status) && !response.redirect_url.empty()) {
        // A session that started over TLS stays over TLS: a redirect to plain
        // HTTP would hand the session (and a Basic password) to anyone on the
        // path.
        if (settings_.acs_url.rfind("https://", 0) == 0 &&
            response.redirect_url.rfind("https://", 0) != 0) {
            finish(false, "refused a redirect from HTTPS to " + response.redirect_url);
            return;
        }
        if (++redirects_ > kMaxRedirectsPerSession) {
            finish(false, "more than " + std::to_string(kMaxRedirectsPerSession) +
                              " redirects in one session");
            return;
        }
        // The new location serves the rest of this session; the next
        // session starts again from ManagementServer.URL.
        spdlog::info("session: redirected ({}) to {}", response.status, response.redirect_url);
        settings_.acs_url = response.redirect_url;
        http::Request again = last_request_;
        post(std::move(again));
        return;
    }
    if (response.status == 401 || response.status == 403) {
        finish(false, "ACS refused our credentials (HTTP " + std::to_string(response.status) + ")");
        return;
    }
    if (state_ == State::AwaitingInformResponse) {
        on_inform_answer(response);
        return;
    }
    if (state_ == State::AwaitingAcsResponse) {
        on_acs_response(response);
        return;
    }
    // AwaitingAcsRequest
    if (response.status == 204 || (response.status == 200 && blank(response.body))) {
        // The ACS has no more requests, and an empty answer carries no
        // HoldRequests: requests the ACS held back may go now.
        hold_requests_ = false;
        if (next_request_ < requests_.size()) {
            send_request();
            return;
        }
        finish(true, {});
        return;
    }
    if (response.status != 200) {
        finish(false, "ACS answered with HTTP " + std::to_string(response.status));
        return;
    }
    on_acs_message(response.body);
}

void SessionEngine::on_inform_answer(const http::Response& response) {
    // SOAP 1.1 sends faults with HTTP 500: an 8006 may come that way.
    if ((response.status != 200 && response.status != 500) || blank(response.body)) {
        finish(false, "ACS answered the Inform with HTTP " + std::to_string(response.status) +
                          (blank(response.body) ? " and no envelope" : ""));
        return;
    }
    auto decoded = codec_.decode(response.body);
    if (!decoded) {
        finish(false, "cannot decode the Inform's answer (HTTP " + std::to_string(response.status) +
                          "): " + decoded.error().detail);
        return;
    }
    const cwmp::Body& body = decoded->envelope.body;
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
        finish(false, "ACS faulted the Inform: " + cwmp::summarize(body));
        return;
    }
    if (!std::holds_alternative<cwmp::InformResponse>(body) || response.status != 200) {
        finish(false, "expected InformResponse, got " + std::string(cwmp::method_name(body)) +
                          " with HTTP " + std::to_string(response.status));
        return;
    }
    // Continue in the version the ACS answered in, or the one it asked for.
    ns_ = decoded->ns;
    if (const auto& use = decoded->envelope.header.use_cwmp_version) {
        if (auto ns = cwmp::namespace_for_version(*use)) {
            ns_ = *ns;
        }
    }
    hold_requests_ = decoded->envelope.header.hold_requests.value_or(false);
    spdlog::info("session: InformResponse, continuing in {}{}", cwmp::namespace_uri(ns_),
                 hold_requests_ ? " (ACS holds our requests)" : "");
    acknowledged_ = true;
    if (callbacks_.acknowledged) {
        InformAcknowledged ack{{}, settings_.acs_url, ns_};
        for (const auto& event : events_) {
            if (!events_held(event, 0)) ack.events.push_back(event);
        }
        callbacks_.acknowledged(ack);
    }
    continue_session();
}

bool SessionEngine::events_held(const cwmp::EventStruct& event, std::size_t from_request) const {
    for (std::size_t i = from_request; i < requests_.size(); ++i) {
        const auto& held = requests_[i].events;
        if (std::find(held.begin(), held.end(), event) != held.end()) return true;
    }
    return false;
}

void SessionEngine::continue_session() {
    if (!hold_requests_ && next_request_ < requests_.size()) {
        send_request();
        return;
    }
    state_ = State::AwaitingAcsRequest;
    // Nothing (more) to ask, or the ACS holds our requests: it may send its
    // own.
    send_empty();
}

void SessionEngine::send_request() {
    state_ = State::AwaitingAcsResponse;
    cwmp::Envelope envelope;
    envelope.header.id = new_id();
    envelope.body = requests_[next_request_].body;
    spdlog::info("session: -> {}", cwmp::summarize(envelope.body));
    send(envelope, ns_);
}

void SessionEngine::on_acs_response(const http::Response& response) {
    if ((response.status != 200 && response.status != 500) || blank(response.body)) {
        finish(false, "ACS answered our " +
                          std::string(cwmp::method_name(requests_[next_request_].body)) +
                          " with HTTP " + std::to_string(response.status) +
                          (blank(response.body) ? " and no envelope" : ""));
        return;
    }
    auto decoded = codec_.decode(response.body);
    if (!decoded) {
        finish(false, "cannot decode the ACS's response (HTTP " + std::to_string(response.status) +
                          "): " + decoded.error().detail);
        return;
    }
    hold_requests_ = decoded->envelope.header.hold_requests.value_or(false);
    const cwmp::Body& body = decoded->envelope.body;
    const std::string method(cwmp::method_name(requests_[next_request_].body));
    if (const auto* fault = std::get_if<cwmp::Fault>(&body)) {
        if (fault->fault_code == cwmp::kAcsRetryRequest &&
            request_retries_ < kMaxRetriesPerRequest) {
            ++request_retries_;
            spdlog::info("session: ACS asked to retry {} (8005), attempt {}", method,
                         request_retries_ + 1);
            send_request();
            return;
        }
        // Left for the next session: its events stay owed.
        spdlog::warn("session: ACS faulted our {}: {}", method, cwmp::summarize(body));
        request_done(false, nullptr);
        return;
    }
    if (cwmp::method_name(body) != method + "Response") {
        finish(false,
               "expected " + method + "Response, got " + std::string(cwmp::method_name(body)));
        return;
    }
    spdlog::info("session: <- {}", cwmp::summarize(body));
    request_done(true, &body);
}

void SessionEngine::request_done(bool answered, const cwmp::Body* response) {
    const std::size_t index = next_request_++;
    request_retries_ = 0;
    if (!answered) {
        failed_requests_.push_back(index);
    } else {
        // An event goes once no other request of this session still owes it:
        // neither one still to send nor one the ACS faulted.
        std::vector<cwmp::EventStruct> delivered;
        for (const auto& event : requests_[index].events) {
            const bool owed_by_failed =
                std::any_of(failed_requests_.begin(), failed_requests_.end(), [&](std::size_t i) {
                    const auto& held = requests_[i].events;
                    return std::find(held.begin(), held.end(), event) != held.end();
                });
            if (!events_held(event, next_request_) && !owed_by_failed) {
                delivered.push_back(event);
            }
        }
        if (!delivered.empty() && callbacks_.events_delivered) {
            callbacks_.events_delivered(delivered);
        }
        if (requests_[index].answered) {
            requests_[index].answered(*response);
        }
    }
    continue_session();
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
        send(reply, error.ns.value_or(ns_));
        return;
    }
    const cwmp::Envelope& request = decoded->envelope;
    hold_requests_ = request.header.hold_requests.value_or(false);
    const auto redactor = [this](std::string_view name) { return redact(name); };
    spdlog::info("session: <- {}", cwmp::summarize(request.body, redactor));
    reply.header.id = request.header.id;
    reply.body = dispatcher_.dispatch(request.body);
    spdlog::info("session: -> {}", cwmp::summarize(reply.body, redactor));
    // Each answer goes in the namespace of the request it answers.
    send(reply, decoded->ns);
}

void SessionEngine::finish(bool success, std::string error) {
    state_ = State::Idle;
    SessionOutcome outcome;
    outcome.success = success;
    outcome.inform_acknowledged = acknowledged_;
    outcome.requests_pending = !failed_requests_.empty() || next_request_ < requests_.size();
    outcome.error = std::move(error);
    if (success) {
        spdlog::info("session: ended by the ACS");
    } else {
        spdlog::warn("session: failed: {}", outcome.error);
    }
    if (channel_) {
        channel_->end();  // CWMP: the CPE closes the connection when the session ends
    }
    // The channel object itself stays until the next start(): we may be
    // running inside its completion.
    auto done = std::move(callbacks_.done);
    callbacks_ = {};
    if (done) {
        done(std::move(outcome));
    }
    // A session's megabyte-sized messages (a GetParameterValuesResponse of
    // the whole tree) are freed by now, but glibc keeps the freed pages in
    // the heap; the agent then idles with them until the next big session.
    // Returning them costs 5-60 us after a small session, 0.3-0.6 ms after
    // a 10,000-parameter refresh (measured), and about 8 MiB of RSS after it.
    malloc_trim(0);
}

bool SessionEngine::redact(std::string_view parameter) const {
    const auto* definition =
        model_.definitions().find_parameter(datamodel::template_path(parameter));
    return definition != nullptr && definition->syntax.hidden;
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
