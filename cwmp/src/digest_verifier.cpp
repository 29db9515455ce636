#include "cwmp/digest_verifier.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>

namespace cwmp::digest {

namespace {

// Nonce layout before encoding: creation time (8 bytes, big-endian ticks of
// the steady clock), 8 random bytes (two nonces of the same tick differ),
// then the first 16 bytes of HMAC-SHA-256 over the 16 bytes before.
constexpr std::size_t kStampSize = 8;
constexpr std::size_t kSaltSize = 8;
constexpr std::size_t kTagSize = 16;
constexpr std::size_t kNonceBytes = kStampSize + kSaltSize + kTagSize;
constexpr std::size_t kKeySize = 32;

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(const unsigned char* data, std::size_t size) {
    std::string out;
    std::size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        const unsigned value = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        out += kBase64Url[(value >> 18) & 63];
        out += kBase64Url[(value >> 12) & 63];
        out += kBase64Url[(value >> 6) & 63];
        out += kBase64Url[value & 63];
    }
    if (size - i == 1) {
        const unsigned value = data[i] << 16;
        out += kBase64Url[(value >> 18) & 63];
        out += kBase64Url[(value >> 12) & 63];
    } else if (size - i == 2) {
        const unsigned value = (data[i] << 16) | (data[i + 1] << 8);
        out += kBase64Url[(value >> 18) & 63];
        out += kBase64Url[(value >> 12) & 63];
        out += kBase64Url[(value >> 6) & 63];
    }
    return out;
}

// Decodes exactly kNonceBytes bytes; false for anything else.
bool decode_nonce(std::string_view text, std::array<unsigned char, kNonceBytes>& out) {
    constexpr std::size_t kEncodedSize = (kNonceBytes * 8 + 5) / 6;
    if (text.size() != kEncodedSize) return false;
    std::uint32_t buffer = 0;
    int bits = 0;
    std::size_t written = 0;
    for (char c : text) {
        const char* found = std::char_traits<char>::find(kBase64Url, 64, c);
        if (found == nullptr) return false;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(found - kBase64Url);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (written == out.size()) return false;
            out[written++] = static_cast<unsigned char>((buffer >> bits) & 0xff);
        }
    }
    // The unused low bits of the last character must be zero, so that one
    // nonce has one spelling (the replay table is keyed by the text).
    return written == out.size() && (buffer & ((1u << bits) - 1)) == 0;
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

}  // namespace

std::string_view verdict_text(Verdict verdict) {
    switch (verdict) {
        case Verdict::Accepted:
            return "accepted";
        case Verdict::WrongUser:
            return "unknown user";
        case Verdict::WrongRealm:
            return "wrong realm";
        case Verdict::UnsupportedOptions:
            return "algorithm or qop not offered";
        case Verdict::ForgedNonce:
            return "nonce not issued here";
        case Verdict::WrongUri:
            return "uri does not match the request target";
        case Verdict::WrongResponse:
            return "wrong response (password)";
        case Verdict::StaleNonce:
            return "stale nonce";
        case Verdict::Replayed:
            return "nonce-count not increasing (replay)";
    }
    return "unknown";
}

DigestVerifier::DigestVerifier(VerifierSettings settings) : settings_(std::move(settings)) {
    key_.resize(kKeySize);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key_.data()), static_cast<int>(kKeySize)) !=
        1) {
        throw std::runtime_error("OpenSSL RAND_bytes failed: no key for digest nonces");
    }
    if (settings_.max_tracked_nonces == 0) settings_.max_tracked_nonces = 1;
}

std::vector<std::string> DigestVerifier::challenges(bool stale, Clock::time_point now) {
    std::vector<std::string> headers;
    for (auto algorithm : settings_.algorithms) {
        Challenge challenge;
        challenge.realm = settings_.realm;
        challenge.nonce = issue_nonce(now);
        challenge.algorithm = algorithm;
        challenge.qop = {"auth"};
        challenge.stale = stale;
        headers.push_back(format_challenge(challenge));
    }
    return headers;
}

std::string DigestVerifier::issue_nonce(Clock::time_point now) {
    forget_expired(now);
    std::array<unsigned char, kNonceBytes> bytes{};
    const auto ticks = static_cast<std::uint64_t>(now.time_since_epoch().count());
    for (std::size_t i = 0; i < kStampSize; ++i) {
        bytes[i] = static_cast<unsigned char>(ticks >> (8 * (kStampSize - 1 - i)));
    }
    if (RAND_bytes(bytes.data() + kStampSize, static_cast<int>(kSaltSize)) != 1) {
        throw std::runtime_error("OpenSSL RAND_bytes failed: no digest nonce");
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_size = 0;
    HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), bytes.data(),
         kStampSize + kSaltSize, mac.data(), &mac_size);
    std::copy_n(mac.begin(), kTagSize, bytes.begin() + kStampSize + kSaltSize);
    std::string nonce = base64url(bytes.data(), bytes.size());

    if (counts_.size() >= settings_.max_tracked_nonces) {
        // Dropping the oldest makes it stale, never replayable.
        auto oldest = std::min_element(
            counts_.begin(), counts_.end(),
            [](const auto& a, const auto& b) { return a.second.created < b.second.created; });
        counts_.erase(oldest);
    }
    counts_.emplace(nonce, Tracked{static_cast<std::int64_t>(ticks), 0});
    return nonce;
}

std::optional<std::int64_t> DigestVerifier::authentic_created(std::string_view nonce) const {
    std::array<unsigned char, kNonceBytes> bytes{};
    if (!decode_nonce(nonce, bytes)) return std::nullopt;
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_size = 0;
    HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), bytes.data(),
         kStampSize + kSaltSize, mac.data(), &mac_size);
    const std::string_view expected(reinterpret_cast<const char*>(mac.data()), kTagSize);
    const std::string_view given(
        reinterpret_cast<const char*>(bytes.data()) + kStampSize + kSaltSize, kTagSize);
    if (!constant_time_equal(expected, given)) return std::nullopt;
    std::uint64_t ticks = 0;
    for (std::size_t i = 0; i < kStampSize; ++i) ticks = (ticks << 8) | bytes[i];
    return static_cast<std::int64_t>(ticks);
}

void DigestVerifier::forget_expired(Clock::time_point now) {
    const auto lifetime =
        std::chrono::duration_cast<Clock::duration>(settings_.nonce_lifetime).count();
    const auto current = now.time_since_epoch().count();
    std::erase_if(counts_,
                  [&](const auto& entry) { return current - entry.second.created > lifetime; });
}

Verdict DigestVerifier::verify(const Credentials& credentials, std::string_view method,
                               std::string_view request_target, std::string_view username,
                               std::string_view password, Clock::time_point now) {
    if (credentials.realm != settings_.realm) return Verdict::WrongRealm;
    if (credentials.qop != "auth" ||
        std::find(settings_.algorithms.begin(), settings_.algorithms.end(),
                  credentials.algorithm) == settings_.algorithms.end()) {
        return Verdict::UnsupportedOptions;
    }
    const auto created = authentic_created(credentials.nonce);
    if (!created) return Verdict::ForgedNonce;
    if (credentials.username != username) return Verdict::WrongUser;
    if (credentials.uri != request_target) return Verdict::WrongUri;

    const std::string expected = compute_response(
        {credentials.algorithm, username, password, credentials.realm, method, credentials.uri,
         credentials.nonce, credentials.nc, credentials.cnonce, credentials.qop});
    if (!constant_time_equal(lowercase(credentials.response), expected)) {
        return Verdict::WrongResponse;
    }

    // The password is right: from here on a refusal is only about the nonce.
    const auto lifetime =
        std::chrono::duration_cast<Clock::duration>(settings_.nonce_lifetime).count();
    const auto age = now.time_since_epoch().count() - *created;
    if (age < 0 || age > lifetime) return Verdict::StaleNonce;
    const auto tracked = counts_.find(credentials.nonce);
    if (tracked == counts_.end()) return Verdict::StaleNonce;
    std::uint32_t count = 0;
    const auto* end = credentials.nc.data() + credentials.nc.size();
    if (auto [ptr, ec] = std::from_chars(credentials.nc.data(), end, count, 16);
        ec != std::errc() || ptr != end) {
        return Verdict::Replayed;
    }
    if (count <= tracked->second.last_count) return Verdict::Replayed;
    tracked->second.last_count = count;
    return Verdict::Accepted;
}

}  // namespace cwmp::digest
