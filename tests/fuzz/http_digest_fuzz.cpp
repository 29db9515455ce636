// Fuzz target of HTTP Digest (cwmp/http_digest.hpp, digest_verifier.hpp):
// the input is a WWW-Authenticate value for the clients (agent towards its
// ACS, acs-sim towards a CPE's connection-request URL) and an Authorization
// value for the servers (agent connection-request server, acs-sim CWMP
// listener). What parses must format and parse back to the same fields;
// credentials go through a DigestVerifier, which must never accept them
// (the input cannot know the verifier's MAC key), and answering a parsed
// challenge must give credentials that parse.
#include <string>
#include <string_view>

#include "cwmp/digest_verifier.hpp"
#include "cwmp/http_digest.hpp"
#include "fuzz_target.hpp"

namespace {

using namespace cwmp::digest;
using phonecwmp::fuzz::require;

bool same(const Challenge& a, const Challenge& b) {
    return a.realm == b.realm && a.nonce == b.nonce && a.opaque == b.opaque &&
           a.domain == b.domain && a.algorithm == b.algorithm && a.qop == b.qop &&
           a.stale == b.stale;
}

bool same(const Credentials& a, const Credentials& b) {
    return a.username == b.username && a.realm == b.realm && a.nonce == b.nonce && a.uri == b.uri &&
           a.response == b.response && a.algorithm == b.algorithm && a.qop == b.qop &&
           a.nc == b.nc && a.cnonce == b.cnonce && a.opaque == b.opaque;
}

DigestVerifier& verifier() {
    static DigestVerifier instance(
        VerifierSettings{.realm = "fuzz realm",
                         .nonce_lifetime = std::chrono::seconds(60),
                         .max_tracked_nonces = 4,
                         .algorithms = {Algorithm::Sha256, Algorithm::Md5}});
    return instance;
}

void exercise_challenge(std::string_view text) {
    auto challenge = parse_challenge(text);
    if (!challenge) {
        require(!challenge.error().message.empty());
        return;
    }
    auto again = parse_challenge(format_challenge(*challenge));
    require(again.has_value() && same(*again, *challenge));
    auto answer = answer_challenge(*challenge, "user", "password", "GET", "/path", 1, "0a1b2c3d");
    if (answer) {
        auto parsed = parse_credentials(format_credentials(*answer));
        require(parsed.has_value() && same(*parsed, *answer));
    }
}

void exercise_credentials(std::string_view text) {
    auto credentials = parse_credentials(text);
    if (!credentials) {
        require(!credentials.error().message.empty());
        return;
    }
    auto again = parse_credentials(format_credentials(*credentials));
    require(again.has_value() && same(*again, *credentials));
    const auto verdict =
        verifier().verify(*credentials, "GET", credentials->uri, credentials->username, "password");
    require(verdict != Verdict::Accepted);
    require(verifier().tracked_nonces() <= verifier().settings().max_tracked_nonces);
}

}  // namespace

namespace phonecwmp::fuzz {

bool input_accepted(std::string_view bytes) {
    return parse_challenge(bytes).has_value() || parse_credentials(bytes).has_value();
}

}  // namespace phonecwmp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = phonecwmp::fuzz::as_text(data, size);
    exercise_challenge(text);
    exercise_credentials(text);
    return 0;
}
