// Auth INVITE (SIP.Network.{i}.InboundAuth = Digest): an initial INVITE is
// admitted only with Digest credentials (RFC 3261 §22.4, RFC 8760 for
// SHA-256) that answer a nonce this phone issued, for the configured user.
// Nonces are the project's DigestVerifier's: MAC-authenticated, expiring,
// and with a per-nonce count that refuses replays.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cwmp/digest_verifier.hpp"
#include "sip/sip_message.hpp"

namespace agent::sip {

struct InboundCredentials {
    std::string username;
    std::string password;
};

struct AuthDecision {
    enum class Kind {
        Accept,     // proceed with the call
        Challenge,  // answer 401 with `challenges` (one WWW-Authenticate each)
        Forbidden,  // answer 403; `reason` says why (for logs, never sent)
    };
    Kind kind = Kind::Accept;
    std::vector<std::string> challenges;
    std::string reason;
};

class InviteAuthenticator {
public:
    // Throws std::runtime_error if no random nonce key can be drawn.
    explicit InviteAuthenticator(std::string realm);

    // New credentials or realm; nonces issued before stay valid only if the
    // realm is unchanged.
    void configure(std::string realm, InboundCredentials credentials);
    const std::string& realm() const { return verifier_->settings().realm; }

    AuthDecision check(const SipMessage& invite);

private:
    std::unique_ptr<cwmp::digest::DigestVerifier> verifier_;
    InboundCredentials credentials_;
};

}  // namespace agent::sip
