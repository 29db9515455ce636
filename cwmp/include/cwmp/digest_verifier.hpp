// Server side of HTTP Digest: issues nonces and checks credentials against
// them (RFC 7616 with qop=auth only).
//
// A nonce carries its own creation time and a MAC (HMAC-SHA-256 with a key
// drawn from OpenSSL RAND_bytes when the verifier is made), so the verifier
// recognises its own nonces without storing them for authenticity. It does
// store, in a bounded table, the highest nonce-count seen per live nonce so
// that a request cannot be replayed: a nonce-count that does not increase
// is refused. A nonce that is authentic but expired, or dropped from the
// full table, is answered as stale so that the client retries with a fresh
// nonce without asking its user again.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/http_digest.hpp"

namespace cwmp::digest {

struct VerifierSettings {
    std::string realm;
    std::chrono::seconds nonce_lifetime{300};
    // Nonces whose nonce-count is tracked; the oldest is dropped first.
    std::size_t max_tracked_nonces = 256;
    // Offered in this order, one challenge each.
    std::vector<Algorithm> algorithms{Algorithm::Sha256, Algorithm::Md5};
};

enum class Verdict {
    Accepted,
    WrongUser,           // username unknown
    WrongRealm,          // realm is not ours
    UnsupportedOptions,  // algorithm not offered, or qop other than auth
    ForgedNonce,         // not a nonce of this verifier
    WrongUri,            // uri does not name the request target
    WrongResponse,       // the password does not match
    StaleNonce,          // right password, expired or forgotten nonce
    Replayed,            // nonce-count did not increase
};

std::string_view verdict_text(Verdict verdict);

class DigestVerifier {
public:
    using Clock = std::chrono::steady_clock;

    // Throws std::runtime_error if no random key can be drawn.
    explicit DigestVerifier(VerifierSettings settings);

    // One challenge header value per offered algorithm, each with a fresh
    // nonce; `stale` is set after a StaleNonce verdict.
    std::vector<std::string> challenges(bool stale, Clock::time_point now = Clock::now());

    // Checks credentials of a request made with `method` on `request_target`
    // for the one user `username` / `password`.
    Verdict verify(const Credentials& credentials, std::string_view method,
                   std::string_view request_target, std::string_view username,
                   std::string_view password, Clock::time_point now = Clock::now());

    std::size_t tracked_nonces() const { return counts_.size(); }
    const VerifierSettings& settings() const { return settings_; }

private:
    std::string issue_nonce(Clock::time_point now);
    // The nonce's creation time (ticks of Clock::duration) if the MAC is ours.
    std::optional<std::int64_t> authentic_created(std::string_view nonce) const;
    void forget_expired(Clock::time_point now);

    struct Tracked {
        std::int64_t created = 0;
        std::uint32_t last_count = 0;
    };

    VerifierSettings settings_;
    std::string key_;
    std::map<std::string, Tracked, std::less<>> counts_;
};

}  // namespace cwmp::digest
