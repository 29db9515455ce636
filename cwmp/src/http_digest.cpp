#include "cwmp/http_digest.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

namespace cwmp::digest {

namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

// Byte of a quoted string (qdtext or the escaped byte of a quoted-pair):
// HTAB, SP, visible ASCII, obs-text; never other controls.
bool is_quotable(unsigned char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

struct Parameter {
    std::string name;  // lowercased
    std::string value;
};

// Scheme "Digest" then a comma-separated list of name=value auth-params.
phonecwmp::Expected<std::vector<Parameter>, ParseError> parse_parameters(std::string_view text) {
    auto fail = [](std::string message) {
        return phonecwmp::Unexpected(ParseError{std::move(message)});
    };
    if (text.size() > kMaxHeaderLength) {
        return fail("header longer than " + std::to_string(kMaxHeaderLength) + " bytes");
    }
    std::size_t at = 0;
    auto skip_space = [&] {
        while (at < text.size() && is_space(text[at])) ++at;
    };
    skip_space();
    const std::size_t scheme_start = at;
    while (at < text.size() && is_tchar(text[at])) ++at;
    const std::string_view scheme = text.substr(scheme_start, at - scheme_start);
    if (scheme.empty()) {
        return fail("no authentication scheme");
    }
    if (!iequals(scheme, "Digest")) {
        return fail("scheme is \"" + std::string(scheme) + "\", not Digest");
    }
    if (at < text.size() && !is_space(text[at])) {
        return fail("no space after the Digest scheme");
    }
    std::vector<Parameter> parameters;
    while (true) {
        // Empty list elements are allowed ("a=1, , b=2").
        skip_space();
        while (at < text.size() && (text[at] == ',' || is_space(text[at]))) ++at;
        if (at >= text.size()) {
            break;
        }
        const std::size_t name_start = at;
        while (at < text.size() && is_tchar(text[at])) ++at;
        if (at == name_start) {
            return fail("unexpected character '" + std::string(1, text[at]) + "' at offset " +
                        std::to_string(at));
        }
        Parameter parameter;
        parameter.name.reserve(at - name_start);
        for (char c : text.substr(name_start, at - name_start)) parameter.name += lower(c);
        skip_space();
        if (at >= text.size() || text[at] != '=') {
            return fail("parameter " + parameter.name + " has no value");
        }
        ++at;
        skip_space();
        if (at < text.size() && text[at] == '"') {
            ++at;
            bool closed = false;
            while (at < text.size()) {
                const char c = text[at++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\') {
                    if (at >= text.size()) break;
                    const char escaped = text[at++];
                    if (!is_quotable(static_cast<unsigned char>(escaped))) {
                        return fail("control character in the value of " + parameter.name);
                    }
                    parameter.value += escaped;
                    continue;
                }
                if (!is_quotable(static_cast<unsigned char>(c))) {
                    return fail("control character in the value of " + parameter.name);
                }
                parameter.value += c;
            }
            if (!closed) {
                return fail("unterminated quoted value of " + parameter.name);
            }
        } else {
            const std::size_t value_start = at;
            while (at < text.size() && is_tchar(text[at])) ++at;
            if (at == value_start) {
                return fail("parameter " + parameter.name + " has an empty or invalid value");
            }
            parameter.value = std::string(text.substr(value_start, at - value_start));
        }
        if (parameter.value.size() > kMaxValueLength) {
            return fail("value of " + parameter.name + " longer than " +
                        std::to_string(kMaxValueLength) + " bytes");
        }
        for (const auto& seen : parameters) {
            if (seen.name == parameter.name) {
                return fail("parameter " + parameter.name + " given twice");
            }
        }
        if (parameters.size() == kMaxParameters) {
            return fail("more than " + std::to_string(kMaxParameters) + " parameters");
        }
        parameters.push_back(std::move(parameter));
        skip_space();
        if (at < text.size() && text[at] != ',') {
            return fail("expected ',' after the value of " + parameters.back().name);
        }
    }
    return parameters;
}

const std::string* find(const std::vector<Parameter>& parameters, std::string_view name) {
    for (const auto& parameter : parameters) {
        if (parameter.name == name) return &parameter.value;
    }
    return nullptr;
}

bool is_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

void append_quoted(std::string& out, std::string_view value) {
    out += '"';
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}

void append_parameter(std::string& out, std::string_view name, std::string_view value,
                      bool quoted) {
    if (out.back() != ' ') out += ", ";
    out += name;
    out += '=';
    if (quoted) {
        append_quoted(out, value);
    } else {
        out += value;
    }
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        hex += kDigits[data[i] >> 4];
        hex += kDigits[data[i] & 0x0f];
    }
    return hex;
}

bool is_session_variant(Algorithm algorithm) {
    return algorithm == Algorithm::Md5Sess || algorithm == Algorithm::Sha256Sess;
}

// "a:b:c", the colon-separated strings the digest hashes.
std::string join(std::initializer_list<std::string_view> parts) {
    std::string joined;
    bool first = true;
    for (auto part : parts) {
        if (!first) joined += ':';
        first = false;
        joined += part;
    }
    return joined;
}

}  // namespace

std::string_view algorithm_name(Algorithm algorithm) {
    switch (algorithm) {
        case Algorithm::Md5:
            return "MD5";
        case Algorithm::Md5Sess:
            return "MD5-sess";
        case Algorithm::Sha256:
            return "SHA-256";
        case Algorithm::Sha256Sess:
            return "SHA-256-sess";
    }
    return "MD5";
}

std::optional<Algorithm> parse_algorithm(std::string_view name) {
    for (auto algorithm :
         {Algorithm::Md5, Algorithm::Md5Sess, Algorithm::Sha256, Algorithm::Sha256Sess}) {
        if (iequals(name, algorithm_name(algorithm))) return algorithm;
    }
    return std::nullopt;
}

phonecwmp::Expected<Challenge, ParseError> parse_challenge(std::string_view header_value) {
    auto parameters = parse_parameters(header_value);
    if (!parameters) {
        return phonecwmp::Unexpected(parameters.error());
    }
    Challenge challenge;
    const auto* realm = find(*parameters, "realm");
    const auto* nonce = find(*parameters, "nonce");
    if (realm == nullptr) return phonecwmp::Unexpected(ParseError{"challenge without realm"});
    if (nonce == nullptr || nonce->empty()) {
        return phonecwmp::Unexpected(ParseError{"challenge without nonce"});
    }
    challenge.realm = *realm;
    challenge.nonce = *nonce;
    if (const auto* opaque = find(*parameters, "opaque")) challenge.opaque = *opaque;
    if (const auto* domain = find(*parameters, "domain")) challenge.domain = *domain;
    if (const auto* algorithm = find(*parameters, "algorithm")) {
        const auto parsed = parse_algorithm(*algorithm);
        if (!parsed) {
            return phonecwmp::Unexpected(
                ParseError{"unsupported digest algorithm \"" + *algorithm + "\""});
        }
        challenge.algorithm = *parsed;
    }
    if (const auto* stale = find(*parameters, "stale")) challenge.stale = iequals(*stale, "true");
    if (const auto* qop = find(*parameters, "qop")) {
        // A comma-separated list inside the quoted value: "auth,auth-int".
        std::string_view rest = *qop;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            while (!item.empty() && is_space(item.front())) item.remove_prefix(1);
            while (!item.empty() && is_space(item.back())) item.remove_suffix(1);
            if (!item.empty()) {
                std::string lowered;
                for (char c : item) lowered += lower(c);
                challenge.qop.push_back(std::move(lowered));
            }
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
        if (challenge.qop.empty()) {
            return phonecwmp::Unexpected(ParseError{"challenge with an empty qop"});
        }
    }
    return challenge;
}

phonecwmp::Expected<Credentials, ParseError> parse_credentials(std::string_view header_value) {
    auto parameters = parse_parameters(header_value);
    if (!parameters) {
        return phonecwmp::Unexpected(parameters.error());
    }
    Credentials credentials;
    struct Required {
        const char* name;
        std::string* field;
    };
    for (const auto& [name, field] :
         {Required{"username", &credentials.username}, Required{"realm", &credentials.realm},
          Required{"nonce", &credentials.nonce}, Required{"uri", &credentials.uri},
          Required{"response", &credentials.response}}) {
        const auto* value = find(*parameters, name);
        if (value == nullptr) {
            return phonecwmp::Unexpected(ParseError{std::string("credentials without ") + name});
        }
        *field = *value;
    }
    if (credentials.response.empty() || !is_hex(credentials.response)) {
        return phonecwmp::Unexpected(ParseError{"response is not a hex digest"});
    }
    if (const auto* userhash = find(*parameters, "userhash");
        userhash && iequals(*userhash, "true")) {
        return phonecwmp::Unexpected(ParseError{"userhash is not supported"});
    }
    if (const auto* algorithm = find(*parameters, "algorithm")) {
        const auto parsed = parse_algorithm(*algorithm);
        if (!parsed) {
            return phonecwmp::Unexpected(
                ParseError{"unsupported digest algorithm \"" + *algorithm + "\""});
        }
        credentials.algorithm = *parsed;
    }
    if (const auto* opaque = find(*parameters, "opaque")) credentials.opaque = *opaque;
    if (const auto* qop = find(*parameters, "qop")) {
        // A token (RFC 7616 §3.4), quoted or not: it is written back unquoted.
        if (qop->empty() || !std::all_of(qop->begin(), qop->end(), is_tchar)) {
            return phonecwmp::Unexpected(ParseError{"qop is not a token"});
        }
        for (char c : *qop) credentials.qop += lower(c);
        const auto* nc = find(*parameters, "nc");
        const auto* cnonce = find(*parameters, "cnonce");
        if (nc == nullptr || cnonce == nullptr) {
            return phonecwmp::Unexpected(ParseError{"qop given without nc and cnonce"});
        }
        if (nc->size() != 8 || !is_hex(*nc)) {
            return phonecwmp::Unexpected(ParseError{"nc is not 8 hex digits"});
        }
        if (cnonce->empty()) {
            return phonecwmp::Unexpected(ParseError{"empty cnonce"});
        }
        credentials.nc = *nc;
        credentials.cnonce = *cnonce;
    } else if (is_session_variant(credentials.algorithm)) {
        return phonecwmp::Unexpected(ParseError{"a -sess algorithm needs qop and cnonce"});
    }
    return credentials;
}

std::string format_challenge(const Challenge& challenge) {
    std::string out = "Digest ";
    append_parameter(out, "realm", challenge.realm, true);
    if (!challenge.qop.empty()) {
        std::string qop;
        for (const auto& item : challenge.qop) {
            if (!qop.empty()) qop += ',';
            qop += item;
        }
        append_parameter(out, "qop", qop, true);
    }
    append_parameter(out, "algorithm", algorithm_name(challenge.algorithm), false);
    append_parameter(out, "nonce", challenge.nonce, true);
    if (!challenge.opaque.empty()) append_parameter(out, "opaque", challenge.opaque, true);
    if (!challenge.domain.empty()) append_parameter(out, "domain", challenge.domain, true);
    if (challenge.stale) append_parameter(out, "stale", "true", false);
    return out;
}

std::string format_credentials(const Credentials& credentials) {
    std::string out = "Digest ";
    append_parameter(out, "username", credentials.username, true);
    append_parameter(out, "realm", credentials.realm, true);
    append_parameter(out, "uri", credentials.uri, true);
    append_parameter(out, "algorithm", algorithm_name(credentials.algorithm), false);
    append_parameter(out, "nonce", credentials.nonce, true);
    if (!credentials.qop.empty()) {
        append_parameter(out, "nc", credentials.nc, false);
        append_parameter(out, "cnonce", credentials.cnonce, true);
        append_parameter(out, "qop", credentials.qop, false);
    }
    append_parameter(out, "response", credentials.response, true);
    if (!credentials.opaque.empty()) append_parameter(out, "opaque", credentials.opaque, true);
    return out;
}

std::string hash_hex(Algorithm algorithm, std::string_view data) {
    const EVP_MD* md =
        (algorithm == Algorithm::Md5 || algorithm == Algorithm::Md5Sess) ? EVP_md5() : EVP_sha256();
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, md, nullptr) != 1) {
        // Only a broken OpenSSL installation (e.g. MD5 disabled by policy)
        // gets here; no response can be computed then.
        throw std::runtime_error("OpenSSL cannot compute " +
                                 std::string(algorithm_name(algorithm)));
    }
    return to_hex(digest.data(), size);
}

std::string compute_response(const ResponseInput& in) {
    std::string ha1 = hash_hex(in.algorithm, join({in.username, in.realm, in.password}));
    if (is_session_variant(in.algorithm)) {
        ha1 = hash_hex(in.algorithm, join({ha1, in.nonce, in.cnonce}));
    }
    const std::string ha2 = hash_hex(in.algorithm, join({in.method, in.uri}));
    if (in.qop.empty()) {
        return hash_hex(in.algorithm, join({ha1, in.nonce, ha2}));
    }
    return hash_hex(in.algorithm, join({ha1, in.nonce, in.nc, in.cnonce, in.qop, ha2}));
}

std::string random_cnonce() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    }
    return to_hex(bytes.data(), bytes.size());
}

phonecwmp::Expected<Credentials, ParseError> answer_challenge(
    const Challenge& challenge, std::string_view username, std::string_view password,
    std::string_view method, std::string_view uri, std::uint32_t nonce_count,
    std::string_view cnonce) {
    Credentials credentials;
    credentials.username = std::string(username);
    credentials.realm = challenge.realm;
    credentials.nonce = challenge.nonce;
    credentials.uri = std::string(uri);
    credentials.algorithm = challenge.algorithm;
    credentials.opaque = challenge.opaque;
    if (std::find(challenge.qop.begin(), challenge.qop.end(), "auth") != challenge.qop.end()) {
        credentials.qop = "auth";
        std::array<char, 9> nc{};
        std::snprintf(nc.data(), nc.size(), "%08x", nonce_count);
        credentials.nc = nc.data();
        credentials.cnonce = std::string(cnonce);
        if (credentials.cnonce.empty()) {
            return phonecwmp::Unexpected(ParseError{"qop=auth needs a cnonce"});
        }
    } else if (!challenge.qop.empty()) {
        return phonecwmp::Unexpected(ParseError{"challenge offers no qop=auth"});
    } else if (is_session_variant(challenge.algorithm)) {
        return phonecwmp::Unexpected(ParseError{"a -sess algorithm needs qop=auth"});
    }
    credentials.response =
        compute_response({credentials.algorithm, username, password, credentials.realm, method, uri,
                          credentials.nonce, credentials.nc, credentials.cnonce, credentials.qop});
    return credentials;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    // The length is not secret (a hex digest of a known algorithm).
    if (a.size() != b.size()) return false;
    unsigned char difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return difference == 0;
}

}  // namespace cwmp::digest
