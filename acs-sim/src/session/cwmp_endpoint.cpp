#include "session/cwmp_endpoint.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "registry/device_id.hpp"

namespace acssim {

namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::string short_namespace(cwmp::Namespace ns) {
    std::string_view uri = cwmp::namespace_uri(ns);
    const auto colon = uri.rfind(':');
    return std::string{colon == std::string_view::npos ? uri : uri.substr(colon + 1)};
}

std::string event_list(const std::vector<cwmp::EventStruct>& events) {
    std::string text;
    for (const auto& event : events) {
        if (!text.empty()) text += ',';
        text += event.event_code;
    }
    return text;
}

CwmpReply plain_error(unsigned status, std::string message) {
    message.push_back('\n');
    return CwmpReply{status, std::move(message), "text/plain; charset=utf-8", {}, {}};
}

}  // namespace

std::string_view cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const auto semicolon = header.find(';');
        const auto pair = trim(header.substr(0, semicolon));
        const auto equals = pair.find('=');
        if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name) {
            auto value = trim(pair.substr(equals + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            return value;
        }
        if (semicolon == std::string_view::npos) break;
        header.remove_prefix(semicolon + 1);
    }
    return {};
}

CwmpEndpoint::CwmpEndpoint(Registry& registry, cwmp::Codec& codec, IdGenerator& ids,
                           CwmpEndpointOptions options)
    : registry_(registry),
      codec_(codec),
      ids_(ids),
      options_(options),
      context_{registry, codec, options.max_task_attempts} {}

CwmpSession* CwmpEndpoint::find_session(const CwmpRequest& request) {
    for (const auto token :
         {cookie_value(request.cookie, kCookieName), request.connection_session}) {
        if (token.empty()) continue;
        auto found = sessions_.find(std::string{token});
        if (found != sessions_.end()) return found->second.get();
    }
    return nullptr;
}

void CwmpEndpoint::end_session(const std::string& token) {
    auto found = sessions_.find(token);
    if (found == sessions_.end()) return;
    const std::string device_id = found->second->device_id();
    auto by_device = token_by_device_.find(device_id);
    if (by_device != token_by_device_.end() && by_device->second == token) {
        token_by_device_.erase(by_device);
    }
    sessions_.erase(found);
    if (listener_ != nullptr) listener_->session_ended(device_id);
}

bool CwmpEndpoint::in_session(std::string_view device_id) const {
    return token_by_device_.contains(std::string{device_id});
}

CwmpReply CwmpEndpoint::finish(CwmpSession& session, CwmpSession::Reply reply) {
    CwmpReply out;
    out.status = reply.status;
    out.body = std::move(reply.body);
    if (!out.body.empty()) out.content_type = std::string{kContentType};
    if (reply.ended) {
        end_session(session.token());  // `session` is gone from here on
    } else {
        out.session = session.token();
    }
    return out;
}

CwmpReply CwmpEndpoint::start_session(const cwmp::Decoded& message, CwmpSession* previous,
                                      TimePoint now) {
    const auto& inform = std::get<cwmp::Inform>(message.envelope.body);
    const std::string device_id = make_device_id(inform.device_id);
    spdlog::info("Inform from {} events=[{}] ns={}", device_id, event_list(inform.event),
                 short_namespace(message.ns));

    // A CPE starts over (new Inform on the same session or connection, or a
    // new connection while an old session is still open): the old session
    // is over and its unanswered request, if any, goes back to the queue.
    std::vector<std::string> stale;
    if (previous != nullptr) stale.push_back(previous->token());
    if (auto open = token_by_device_.find(device_id); open != token_by_device_.end()) {
        stale.push_back(open->second);
    }
    for (const auto& token : stale) {
        auto found = sessions_.find(token);
        if (found == sessions_.end()) continue;
        found->second->abandon(context_, "the CPE started a new session", now);
        end_session(token);
    }

    if (registry_.record_inform(device_id, inform, now)) {
        spdlog::info("new device {}", device_id);
    }

    std::string token = ids_.session_token();
    sessions_.emplace(token, std::make_unique<CwmpSession>(token, device_id, message.ns, now,
                                                           match_presets(device_id, inform)));
    token_by_device_[device_id] = token;
    if (listener_ != nullptr) listener_->session_started(device_id);

    cwmp::Envelope response;
    response.header.id = message.envelope.header.id;
    response.body = cwmp::InformResponse{1};

    CwmpReply out;
    out.status = 200;
    out.body = codec_.encode(response, message.ns);
    out.content_type = std::string{kContentType};
    out.set_cookie = fmt::format("{}={}; Path=/; HttpOnly", kCookieName, token);
    out.session = std::move(token);
    return out;
}

std::optional<PresetRun> CwmpEndpoint::match_presets(const std::string& device_id,
                                                     const cwmp::Inform& inform) {
    if (registry_.preset_count() == 0) return std::nullopt;
    const auto device = registry_.find_device(device_id);
    if (!device) return std::nullopt;
    auto run = PresetRun::start(registry_.presets(), *device, inform.event);
    if (run) spdlog::info("{} presets [{}]", device_id, fmt::join(run->names(), ","));
    return run;
}

CwmpReply CwmpEndpoint::handle(const CwmpRequest& request, TimePoint now) {
    CwmpSession* session = find_session(request);

    if (trim(request.body).empty()) {
        if (session == nullptr) {
            spdlog::warn("empty POST outside a session");
            return plain_error(400,
                               "empty POST outside a session: a session starts with an Inform");
        }
        return finish(*session, session->on_empty_post(context_, now));
    }

    auto decoded = codec_.decode(request.body);
    if (!decoded) {
        const auto& error = decoded.error();
        if (error.kind == cwmp::DecodeErrorKind::UnknownMethod && session != nullptr) {
            return finish(*session, session->on_unknown_method(context_, error, now));
        }
        const std::string who = session != nullptr ? session->device_id() : "a client";
        spdlog::warn("CWMP decode error from {} ({}): {}", who, cwmp::to_string(error.kind),
                     error.detail);
        return plain_error(400, fmt::format("CWMP decode error ({}): {}",
                                            cwmp::to_string(error.kind), error.detail));
    }

    if (const auto* inform = std::get_if<cwmp::Inform>(&decoded->envelope.body)) {
        if (inform_guard_) {
            if (auto refusal = inform_guard_(inform->device_id, request.cpe_user)) {
                spdlog::warn("Inform from {} refused: {}", make_device_id(inform->device_id),
                             *refusal);
                return plain_error(401, "these credentials are not the device's: " + *refusal);
            }
        }
        return start_session(*decoded, session, now);
    }
    if (session == nullptr) {
        const auto method = cwmp::method_name(decoded->envelope.body);
        spdlog::warn("{} outside a session", method);
        return plain_error(
            400, fmt::format("{} outside a session: a session starts with an Inform", method));
    }
    return finish(*session, session->on_message(context_, *decoded, now));
}

std::size_t CwmpEndpoint::expire_idle_sessions(TimePoint now) {
    std::vector<std::string> idle;
    for (const auto& [token, session] : sessions_) {
        if (now - session->last_activity() > options_.session_timeout) idle.push_back(token);
    }
    for (const auto& token : idle) {
        auto& session = *sessions_.at(token);
        spdlog::info("session timeout {}", session.device_id());
        session.abandon(context_, "session timed out", now);
        end_session(token);
    }
    return idle.size();
}

}  // namespace acssim
