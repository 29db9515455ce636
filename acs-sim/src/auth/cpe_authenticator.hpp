// Authentication of CPEs on the CWMP endpoint (TR-069 §3.4.4): HTTP Digest
// (SHA-256 and MD5, qop=auth, replay-proof nonces) or Basic, with one user
// name and password shared by every CPE. A connection is authenticated by
// its first request that carries valid credentials (a CPE answers the 401
// on the same connection, as libcurl does) and stays so until it closes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    // when the credentials are right.
    std::optional<Refusal> check(std::string_view authorization, std::string_view method,
                                 std::string_view target);

    CpeAuthMode mode() const { return settings_.mode; }

private:
    std::vector<std::string> challenges(bool stale);

    CpeAuthSettings settings_;
    cwmp::digest::DigestVerifier verifier_;
};

}  // namespace acssim
