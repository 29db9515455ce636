#include "connection_request/request_authenticator.hpp"

namespace agent::connection_request {

namespace {
constexpr const char* kUsername = "Device.ManagementServer.ConnectionRequestUsername";
constexpr const char* kPassword = "Device.ManagementServer.ConnectionRequestPassword";

cwmp::digest::VerifierSettings verifier_settings(std::chrono::seconds lifetime,
                                                 std::size_t max_tracked) {
    cwmp::digest::VerifierSettings settings;
    settings.realm = std::string(kRealm);
    settings.nonce_lifetime = lifetime;
    settings.max_tracked_nonces = max_tracked;
    settings.algorithms = {cwmp::digest::Algorithm::Sha256, cwmp::digest::Algorithm::Md5};
    return settings;
}

// The credentials part of "Digest ..." when the scheme is Digest.
bool is_digest(std::string_view header) {
    constexpr std::string_view kScheme = "digest";
    if (header.size() < kScheme.size()) return false;
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        const char c = header[i];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) {
            return false;
        }
    }
    return header.size() == kScheme.size() || header[kScheme.size()] == ' ' ||
           header[kScheme.size()] == '\t';
}
}  // namespace

RequestAuthenticator::RequestAuthenticator(const datamodel::Model& model,
                                           std::chrono::seconds nonce_lifetime,
                                           std::size_t max_tracked_nonces)
    : model_(model), verifier_(verifier_settings(nonce_lifetime, max_tracked_nonces)) {}

AuthDecision RequestAuthenticator::challenge(std::string reason, bool stale,
                                             cwmp::digest::DigestVerifier::Clock::time_point now) {
    return {AuthDecision::Kind::Challenge, verifier_.challenges(stale, now), std::move(reason)};
}

AuthDecision RequestAuthenticator::check(std::string_view method, std::string_view target,
                                         std::optional<std::string_view> authorization,
                                         cwmp::digest::DigestVerifier::Clock::time_point now) {
    const std::string password = model_.value(kPassword).value_or("");
    if (password.empty()) {
        // TR-069 requires connection requests to be authenticated: with no
        // password nothing could be checked, so nothing is let through.
        return {AuthDecision::Kind::Refuse,
                {},
                "Device.ManagementServer.ConnectionRequestPassword is empty"};
    }
    if (!authorization) {
        return challenge("no credentials", false, now);
    }
    if (!is_digest(*authorization)) {
        return challenge("credentials are not Digest", false, now);
    }
    auto credentials = cwmp::digest::parse_credentials(*authorization);
    if (!credentials) {
        return challenge("malformed Digest credentials: " + credentials.error().message, false,
                         now);
    }
    const std::string username = model_.value(kUsername).value_or("");
    const auto verdict = verifier_.verify(*credentials, method, target, username, password, now);
    if (verdict == cwmp::digest::Verdict::Accepted) {
        return {AuthDecision::Kind::Accept, {}, {}};
    }
    return challenge(std::string(cwmp::digest::verdict_text(verdict)),
                     verdict == cwmp::digest::Verdict::StaleNonce, now);
}

}  // namespace agent::connection_request
