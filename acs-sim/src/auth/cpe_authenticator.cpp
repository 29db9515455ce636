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

const std::string* CpeAuthenticator::password_of(std::string_view username) const {
    if (settings_.credentials) return settings_.credentials->password_of(username);
    return username == settings_.username ? &settings_.password : nullptr;
}

std::optional<CpeAuthenticator::Refusal> CpeAuthenticator::check(std::string_view authorization,
                                                                 std::string_view method,
                                                                 std::string_view target,
                                                                 std::string* user) {
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
        const std::string_view name = std::string_view{*decoded}.substr(0, colon);
        const std::string_view password = std::string_view{*decoded}.substr(colon + 1);
        const std::string* expected = password_of(name);
        if (expected == nullptr) return Refusal{challenges(false), "unknown user"};
        if (!cwmp::digest::constant_time_equal(password, *expected)) {
            return Refusal{challenges(false), "wrong password"};
        }
        if (user != nullptr) *user = name;
        return std::nullopt;
    }

    if (!scheme_value(authorization, "Digest")) {
        return Refusal{challenges(false), "not Digest credentials"};
    }
    const auto credentials = cwmp::digest::parse_credentials(authorization);
    if (!credentials) {
        return Refusal{challenges(false),
                       "malformed Digest credentials: " + credentials.error().message};
    }
    const std::string* expected = password_of(credentials->username);
    if (expected == nullptr) return Refusal{challenges(false), "unknown user"};
    const auto verdict =
        verifier_.verify(*credentials, method, target, credentials->username, *expected);
    if (verdict == cwmp::digest::Verdict::Accepted) {
        if (user != nullptr) *user = credentials->username;
        return std::nullopt;
    }
    return Refusal{challenges(verdict == cwmp::digest::Verdict::StaleNonce),
                   std::string{cwmp::digest::verdict_text(verdict)}};
}

}  // namespace acssim
