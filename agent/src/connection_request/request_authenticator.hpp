// Decides whether a connection request carries valid Digest credentials for
// Device.ManagementServer.ConnectionRequestUsername / Password, read from
// the model at each request so that a change by the ACS applies at once.
// Digest only (MD5 and SHA-256, qop=auth): Basic is never accepted, since
// connection requests travel over plain HTTP.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/digest_verifier.hpp"
#include "datamodel/model.hpp"

namespace agent::connection_request {

inline constexpr std::string_view kRealm = "phonecwmp connection request";

struct AuthDecision {
    enum class Kind {
        Accept,     // 200
        Challenge,  // 401 with `challenges`
        Refuse,     // 403: no password configured, nothing could ever succeed
    };
    Kind kind = Kind::Challenge;
    std::vector<std::string> challenges;  // WWW-Authenticate values
    std::string reason;                   // for the log: why not accepted
};

class RequestAuthenticator {
public:
    RequestAuthenticator(const datamodel::Model& model, std::chrono::seconds nonce_lifetime,
                         std::size_t max_tracked_nonces);

    // `authorization`: the Authorization header, if any.
    AuthDecision check(std::string_view method, std::string_view target,
                       std::optional<std::string_view> authorization,
                       cwmp::digest::DigestVerifier::Clock::time_point now =
                           cwmp::digest::DigestVerifier::Clock::now());

private:
    AuthDecision challenge(std::string reason, bool stale,
                           cwmp::digest::DigestVerifier::Clock::time_point now);

    const datamodel::Model& model_;
    cwmp::digest::DigestVerifier verifier_;
};

}  // namespace agent::connection_request
