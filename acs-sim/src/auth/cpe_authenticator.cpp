#include "auth/cpe_authenticator.hpp"

#include <boost/beast/core/string.hpp>

#include "cwmp/http_digest.hpp"
#include "util/base64.hpp"

namespace acssim {

namespace {

// The credentials after "<scheme> " when `header` uses that scheme.
std::optional<std::string_view> scheme_value(std::string_view header, std::string_view scheme) {
    if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return std::nullopt;
    if (!boost::beast::iequals(boost::beast::string_view{header.data(), scheme.size()},
                               boost::beast::string_view{scheme.data(), scheme.size()})) {
        return std::nullopt;
    }
    auto value = header.substr(scheme.size() + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    return value;
}

}  // namespace

std::optional<CpeAuthMode> parse_cpe_auth_mode(std::string_view text) {
    if (text == "none") return CpeAuthMode::None;
    if (text == "basic") return CpeAuthMode::Basic;
    if (text == "digest") return CpeAuthMode::Digest;
    return std::nullopt;
}

CpeAuthenticator::CpeAuthenticator(CpeAuthSettings settings)
    : settings_(std::move(settings)), verifier_(cwmp::digest::VerifierSettings{settings_.realm}) {}

std::vector<std::string> CpeAuthenticator::challenges(bool stale) {
    if (settings_.mode == CpeAuthMode::Basic) {
        return {"Basic realm=\"" + settings_.realm + "\", charset=\"UTF-8\""};
    }
    return verifier_.challenges(stale);
}

std::optional<CpeAuthenticator::Refusal> CpeAuthenticator::check(std::string_view authorization,
                                                                 std::string_view method,
                                                                 std::string_view target) {
    if (settings_.mode == CpeAuthMode::None) return std::nullopt;
    if (authorization.empty()) return Refusal{challenges(false), "no credentials"};

    if (settings_.mode == CpeAuthMode::Basic) {
        const auto encoded = scheme_value(authorization, "Basic");
        if (!encoded) return Refusal{challenges(false), "not Basic credentials"};
        const auto decoded = base64_decode(*encoded);
        if (!decoded) return Refusal{challenges(false), "malformed Basic credentials"};
        const auto colon = decoded->find(':');
        if (colon == std::string::npos) {
            return Refusal{challenges(false), "Basic credentials without a ':'"};
        }
        const std::string_view user = std::string_view{*decoded}.substr(0, colon);
        const std::string_view password = std::string_view{*decoded}.substr(colon + 1);
        const bool user_ok = cwmp::digest::constant_time_equal(user, settings_.username);
        const bool password_ok = cwmp::digest::constant_time_equal(password, settings_.password);
        if (user_ok && password_ok) return std::nullopt;
        return Refusal{challenges(false), user_ok ? "wrong password" : "unknown user"};
    }

    if (!scheme_value(authorization, "Digest")) {
        return Refusal{challenges(false), "not Digest credentials"};
    }
    const auto credentials = cwmp::digest::parse_credentials(authorization);
    if (!credentials) {
        return Refusal{challenges(false),
                       "malformed Digest credentials: " + credentials.error().message};
    }
    const auto verdict =
        verifier_.verify(*credentials, method, target, settings_.username, settings_.password);
    if (verdict == cwmp::digest::Verdict::Accepted) return std::nullopt;
    return Refusal{challenges(verdict == cwmp::digest::Verdict::StaleNonce),
                   std::string{cwmp::digest::verdict_text(verdict)}};
}

}  // namespace acssim
