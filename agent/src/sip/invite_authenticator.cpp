#include "sip/invite_authenticator.hpp"

#include <fmt/format.h>

#include <boost/algorithm/string/predicate.hpp>

#include "sip/sip_uri.hpp"

namespace agent::sip {
namespace {

cwmp::digest::VerifierSettings verifier_settings(std::string realm) {
    cwmp::digest::VerifierSettings settings;
    settings.realm = std::move(realm);
    // MD5 first: RFC 8760 lets a client take the first challenge it can
    // answer, and most deployed SIP UACs (sipp included) only know MD5 and
    // answer the first challenge they see. SHA-256 clients find theirs too.
    settings.algorithms = {cwmp::digest::Algorithm::Md5, cwmp::digest::Algorithm::Sha256};
    return settings;
}

AuthDecision challenge(cwmp::digest::DigestVerifier& verifier, bool stale, std::string reason) {
    AuthDecision decision;
    decision.kind = AuthDecision::Kind::Challenge;
    decision.challenges = verifier.challenges(stale);
    decision.reason = std::move(reason);
    return decision;
}

// RFC 3261 §22.4 has the Request-URI as digest-uri, but deployed UACs (sipp
// among them) send the URI of the host they called, without the user part.
// Either names this phone; the response hash covers whichever was sent.
bool names_request_target(const std::string& digest_uri, const std::string& request_uri) {
    if (digest_uri == request_uri) {
        return true;
    }
    auto digest = parse_sip_uri(digest_uri);
    auto target = parse_sip_uri(request_uri);
    if (!digest || !target || digest->secure != target->secure) {
        return false;
    }
    const std::uint16_t default_port = target->secure ? 5061 : 5060;
    return boost::algorithm::iequals(digest->host, target->host) &&
           digest->port.value_or(default_port) == target->port.value_or(default_port) &&
           (digest->user.empty() || digest->user == target->user);
}

AuthDecision forbidden(std::string reason) {
    AuthDecision decision;
    decision.kind = AuthDecision::Kind::Forbidden;
    decision.reason = std::move(reason);
    return decision;
}

}  // namespace

InviteAuthenticator::InviteAuthenticator(std::string realm)
    : verifier_(
          std::make_unique<cwmp::digest::DigestVerifier>(verifier_settings(std::move(realm)))) {}

void InviteAuthenticator::configure(std::string realm, InboundCredentials credentials) {
    if (realm != verifier_->settings().realm) {
        verifier_ =
            std::make_unique<cwmp::digest::DigestVerifier>(verifier_settings(std::move(realm)));
    }
    credentials_ = std::move(credentials);
}

AuthDecision InviteAuthenticator::check(const SipMessage& invite) {
    using cwmp::digest::Verdict;
    const auto fields = invite.headers_named("Authorization");
    if (fields.empty()) {
        return challenge(*verifier_, false, "no credentials");
    }
    if (fields.size() > 8) {
        return forbidden("too many Authorization headers");
    }
    // Several Authorization headers are legal (one per realm, §22.4); only
    // ours counts.
    const std::string& target = invite.request_line().uri;
    for (const auto* field : fields) {
        auto credentials = cwmp::digest::parse_credentials(field->value);
        if (!credentials) {
            return forbidden("malformed Authorization: " + credentials.error().message);
        }
        if (credentials->realm != realm()) {
            continue;
        }
        if (credentials_.username.empty()) {
            // Without a configured user nobody can be admitted; an empty
            // name and password must not count as a match.
            return forbidden("Auth INVITE is on but no inbound username is configured");
        }
        if (!names_request_target(credentials->uri, target)) {
            return forbidden(fmt::format("user \"{}\": digest uri {} does not name {}",
                                         credentials->username, credentials->uri, target));
        }
        const auto verdict = verifier_->verify(*credentials, "INVITE", credentials->uri,
                                               credentials_.username, credentials_.password);
        switch (verdict) {
            case Verdict::Accepted:
                return {};
            case Verdict::StaleNonce:
                return challenge(*verifier_, true, "stale nonce");
            default:
                return forbidden(fmt::format("user \"{}\": {}", credentials->username,
                                             cwmp::digest::verdict_text(verdict)));
        }
    }
    return challenge(*verifier_, false, "no credentials for realm " + realm());
}

}  // namespace agent::sip
