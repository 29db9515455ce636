// The CWMP side of the ACS without a transport: an HTTP POST's body and
// cookie in, the HTTP status, body and Set-Cookie out. Finds the session a
// message belongs to (by cookie, else by the connection it came on), starts
// sessions on Inform, and ends idle ones.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cwmp/codec.hpp"
#include "registry/registry.hpp"
#include "session/cwmp_session.hpp"
#include "session/session_listener.hpp"
#include "util/id_generator.hpp"
#include "util/time_format.hpp"

namespace acssim {

struct CwmpRequest {
    std::string_view body;
    // The Cookie header as received ("" when absent).
    std::string_view cookie;
    // The session the same HTTP connection belonged to after its previous
    // request ("" when none): recognises a CPE that keeps the connection but
    // does not return cookies.
    std::string_view connection_session;
    // The user name the HTTP connection authenticated ("" without CPE
    // authentication).
    std::string_view cpe_user{};
};

struct CwmpReply {
    unsigned status = 200;
    std::string body;
    std::string content_type;  // empty when there is no body
    std::string set_cookie;    // Set-Cookie header value, empty for none
    // The session the connection belongs to after this reply; empty when the
    // session ended or none was started.
    std::string session;
};

struct CwmpEndpointOptions {
    // A session whose CPE sends nothing for this long is over.
    std::chrono::seconds session_timeout{30};
    unsigned max_task_attempts = 3;
};

class CwmpEndpoint {
public:
    static constexpr std::string_view kCookieName = "session";
    static constexpr std::string_view kContentType = "text/xml; charset=\"utf-8\"";

    CwmpEndpoint(Registry& registry, cwmp::Codec& codec, IdGenerator& ids,
                 CwmpEndpointOptions options = {});

    CwmpReply handle(const CwmpRequest& request, TimePoint now);

    // Ends the sessions idle for longer than the session timeout; returns how many.
    std::size_t expire_idle_sessions(TimePoint now);

    std::size_t session_count() const { return sessions_.size(); }
    bool in_session(std::string_view device_id) const;

    // Null for none; the listener must outlive the endpoint or be reset.
    void set_session_listener(SessionListener* listener) { listener_ = listener; }

    // Why the CPE that authenticated as `user` may not inform as `device`
    // (its own credentials are another user's), nullopt when it may. A
    // refused Inform is answered 401 and not recorded.
    using InformGuard = std::function<std::optional<std::string>(const cwmp::DeviceId& device,
                                                                 std::string_view user)>;
    void set_inform_guard(InformGuard guard) { inform_guard_ = std::move(guard); }

private:
    CwmpSession* find_session(const CwmpRequest& request);
    CwmpReply start_session(const cwmp::Decoded& message, CwmpSession* previous, TimePoint now);
    CwmpReply finish(CwmpSession& session, CwmpSession::Reply reply);
    // The presets this (already recorded) Inform matches.
    std::optional<PresetRun> match_presets(const std::string& device_id,
                                           const cwmp::Inform& inform);
    void end_session(const std::string& token);

    Registry& registry_;
    cwmp::Codec& codec_;
    IdGenerator& ids_;
    CwmpEndpointOptions options_;
    SessionContext context_;
    std::unordered_map<std::string, std::unique_ptr<CwmpSession>> sessions_;  // by token
    std::unordered_map<std::string, std::string> token_by_device_;
    SessionListener* listener_ = nullptr;
    InformGuard inform_guard_;
};

// The value of cookie `name` in a Cookie header ("a=1; session=xyz"), or "".
std::string_view cookie_value(std::string_view header, std::string_view name);

}  // namespace acssim
