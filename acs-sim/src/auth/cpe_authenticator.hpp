// Authentication of CPEs on the CWMP endpoint (TR-069 §3.4.4): HTTP Digest
// (SHA-256 and MD5, qop=auth, replay-proof nonces) or Basic, with one user
// name and password shared by every CPE, or per-device credentials
// (CpeCredentials: the password is the one of the user name presented). A connection is
// authenticated by its first request that carries valid credentials (a CPE answers the 401 on the
// same connection, as libcurl does) and stays so until it closes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/cpe_credentials.hpp"
#include "cwmp/digest_verifier.hpp"

namespace acssim {

enum class CpeAuthMode { None, Basic, Digest };

// "none", "basic", "digest"; nullopt for anything else.
std::optional<CpeAuthMode> parse_cpe_auth_mode(std::string_view text);

struct CpeAuthSettings {
    CpeAuthMode mode = CpeAuthMode::None;
    std::string username;
    std::string password;
    std::string realm = "acs-sim";
    // When set, replaces username/password: each user name of the file with
    // its own password (--cpe-credentials).
    std::shared_ptr<const CpeCredentials> credentials = nullptr;
};

class CpeAuthenticator {
public:
    struct Refusal {
        // WWW-Authenticate header values for the 401.
        std::vector<std::string> challenges;
        // Why, for the log: "no credentials", "wrong password", ...
        std::string reason;
    };

    explicit CpeAuthenticator(CpeAuthSettings settings);

    // `authorization`: the Authorization header ("" when absent). nullopt
    // when the credentials are right; then `user`, when given, is set to the
    // user name they authenticated.
    std::optional<Refusal> check(std::string_view authorization, std::string_view method,
                                 std::string_view target, std::string* user = nullptr);

    CpeAuthMode mode() const { return settings_.mode; }

    // WWW-Authenticate header values for a 401 (fresh nonces for Digest).
    std::vector<std::string> challenges(bool stale);

private:
    // The password of `username`; nullptr when the user is unknown.
    const std::string* password_of(std::string_view username) const;

    CpeAuthSettings settings_;
    cwmp::digest::DigestVerifier verifier_;
};

}  // namespace acssim
