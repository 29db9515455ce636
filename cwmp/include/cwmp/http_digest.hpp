// HTTP Digest access authentication (RFC 7616, compatible with RFC 2617):
// parsing and formatting of the WWW-Authenticate challenge and the
// Authorization credentials, and the response computation. Transport-free:
// the agent's connection-request server, the SIP endpoint and acs-sim all
// use it with their own HTTP or SIP stacks.
//
// Every parser is bounded (header length, parameter count, value length) and
// answers malformed input with an error naming the problem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phonecwmp/expected.hpp"

namespace cwmp::digest {

enum class Algorithm { Md5, Md5Sess, Sha256, Sha256Sess };

// "MD5", "MD5-sess", "SHA-256", "SHA-256-sess".
std::string_view algorithm_name(Algorithm algorithm);
// Case-insensitive; nullopt for an algorithm this library does not compute.
std::optional<Algorithm> parse_algorithm(std::string_view name);

// Bounds of what the parsers accept.
inline constexpr std::size_t kMaxHeaderLength = 4096;
inline constexpr std::size_t kMaxParameters = 24;
inline constexpr std::size_t kMaxValueLength = 1024;

struct ParseError {
    std::string message;
};

// One `Digest` challenge (WWW-Authenticate / Proxy-Authenticate).
struct Challenge {
    std::string realm;
    std::string nonce;
    std::string opaque;  // empty: none
    std::string domain;  // empty: none
    Algorithm algorithm = Algorithm::Md5;
    std::vector<std::string> qop;  // empty: the RFC 2069 form without qop
    bool stale = false;
};

// `Digest` credentials (Authorization / Proxy-Authorization).
struct Credentials {
    std::string username;
    std::string realm;
    std::string nonce;
    std::string uri;
    std::string response;  // lowercase or uppercase hex as received
    Algorithm algorithm = Algorithm::Md5;
    std::string qop;     // empty: none given
    std::string nc;      // nonce-count, 8 hex digits when qop is given
    std::string cnonce;  // client nonce, required with qop
    std::string opaque;
};

// Parses the value of a WWW-Authenticate header holding one Digest
// challenge ("Digest realm=\"r\", nonce=\"n\", qop=\"auth\""). The scheme,
// parameter names and token values are case-insensitive; unknown
// parameters are skipped; a parameter given twice is an error.
phonecwmp::Expected<Challenge, ParseError> parse_challenge(std::string_view header_value);

// Parses the value of an Authorization header holding Digest credentials.
// username, realm, nonce, uri and response are required; with qop, nc and
// cnonce too. An algorithm this library does not compute is an error.
phonecwmp::Expected<Credentials, ParseError> parse_credentials(std::string_view header_value);

// Header values, ready to send.
std::string format_challenge(const Challenge& challenge);
std::string format_credentials(const Credentials& credentials);

// The hex digest of `data` with the algorithm's hash (MD5 or SHA-256).
std::string hash_hex(Algorithm algorithm, std::string_view data);

struct ResponseInput {
    Algorithm algorithm = Algorithm::Md5;
    std::string_view username;
    std::string_view password;
    std::string_view realm;
    std::string_view method;  // "GET", "INVITE", ...
    std::string_view uri;     // the request target as sent in credentials' uri
    std::string_view nonce;
    std::string_view nc;      // with qop
    std::string_view cnonce;  // with qop, and for the -sess algorithms
    std::string_view qop;     // "auth", or empty for the RFC 2069 form
};

// The `response` value of RFC 7616 §3.4.1 (lowercase hex).
std::string compute_response(const ResponseInput& input);

// A fresh client nonce: 16 random bytes (OpenSSL RAND_bytes) as hex.
std::string random_cnonce();

// Client side: the credentials answering `challenge` for one request, with
// qop=auth when the challenge offers it and the form without qop otherwise.
// `nonce_count` is the number of requests made with this nonce, 1 first.
phonecwmp::Expected<Credentials, ParseError> answer_challenge(
    const Challenge& challenge, std::string_view username, std::string_view password,
    std::string_view method, std::string_view uri, std::uint32_t nonce_count,
    std::string_view cnonce);

// Equality of two strings in a time that does not depend on where they
// differ (responses, MAC tags).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace cwmp::digest
