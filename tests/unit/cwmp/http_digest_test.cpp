// HTTP Digest helpers: RFC test vectors, header parsing and formatting, and
// the server-side nonce verifier.
#include "cwmp/http_digest.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cwmp/digest_verifier.hpp"

namespace cwmp::digest {
namespace {

using namespace std::chrono_literals;

// RFC 7616 §3.9.1.
constexpr std::string_view kRfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr std::string_view kRfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

ResponseInput rfc7616_input(Algorithm algorithm) {
    return {algorithm,         "Mufasa",      "Circle of Life", "http-auth@example.org", "GET",
            "/dir/index.html", kRfc7616Nonce, "00000001",       kRfc7616Cnonce,          "auth"};
}

TEST(DigestResponse, Rfc7616Md5Example) {
    EXPECT_EQ(compute_response(rfc7616_input(Algorithm::Md5)), "8ca523f5e9506fed4657c9700eebdbec");
}

TEST(DigestResponse, Rfc7616Sha256Example) {
    EXPECT_EQ(compute_response(rfc7616_input(Algorithm::Sha256)),
              "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(DigestResponse, Rfc2617Example) {
    // RFC 2617 §3.5 (note its password's capital O).
    EXPECT_EQ(compute_response({Algorithm::Md5, "Mufasa", "Circle Of Life", "testrealm@host.com",
                                "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                                "00000001", "0a4f113b", "auth"}),
              "6629fae49393a05397450978507c4ef1");
}

TEST(DigestResponse, SessionVariantHashesTheNonceIntoA1) {
    auto input = rfc7616_input(Algorithm::Md5Sess);
    const std::string ha1 = hash_hex(Algorithm::Md5, "Mufasa:http-auth@example.org:Circle of Life");
    const std::string sess_ha1 = hash_hex(
        Algorithm::Md5, ha1 + ":" + std::string(kRfc7616Nonce) + ":" + std::string(kRfc7616Cnonce));
    const std::string ha2 = hash_hex(Algorithm::Md5, "GET:/dir/index.html");
    EXPECT_EQ(compute_response(input),
              hash_hex(Algorithm::Md5, sess_ha1 + ":" + std::string(kRfc7616Nonce) + ":00000001:" +
                                           std::string(kRfc7616Cnonce) + ":auth:" + ha2));
    EXPECT_NE(compute_response(input), compute_response(rfc7616_input(Algorithm::Md5)));
}

TEST(DigestResponse, FormWithoutQop) {
    // RFC 2069: H(HA1:nonce:HA2).
    const std::string ha1 = hash_hex(Algorithm::Md5, "u:r:p");
    const std::string ha2 = hash_hex(Algorithm::Md5, "GET:/x");
    EXPECT_EQ(compute_response({Algorithm::Md5, "u", "p", "r", "GET", "/x", "n", "", "", ""}),
              hash_hex(Algorithm::Md5, ha1 + ":n:" + ha2));
}

TEST(DigestChallenge, ParsesTheRfc7616Example) {
    auto challenge = parse_challenge(
        "Digest\n realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
        "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
        "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
    // A line break is not a space here: headers arrive unfolded.
    EXPECT_FALSE(challenge);
    challenge = parse_challenge(
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
        "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
        "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
    ASSERT_TRUE(challenge) << challenge.error().message;
    EXPECT_EQ(challenge->realm, "http-auth@example.org");
    EXPECT_EQ(challenge->algorithm, Algorithm::Sha256);
    EXPECT_EQ(challenge->qop, (std::vector<std::string>{"auth", "auth-int"}));
    EXPECT_EQ(challenge->nonce, kRfc7616Nonce);
    EXPECT_EQ(challenge->opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
    EXPECT_FALSE(challenge->stale);
}

TEST(DigestChallenge, NamesAndTokensAreCaseInsensitiveAndEscapesAreUndone) {
    auto challenge = parse_challenge(
        "dIgEsT REALM = \"a \\\"quoted\\\" realm\\\\\" ,NONCE=abc, Algorithm=md5-SESS, "
        "qop=AUTH, stale=TRUE");
    ASSERT_TRUE(challenge) << challenge.error().message;
    EXPECT_EQ(challenge->realm, "a \"quoted\" realm\\");
    EXPECT_EQ(challenge->nonce, "abc");
    EXPECT_EQ(challenge->algorithm, Algorithm::Md5Sess);
    EXPECT_EQ(challenge->qop, std::vector<std::string>{"auth"});
    EXPECT_TRUE(challenge->stale);
}

TEST(DigestChallenge, FormatThenParseGivesItBack) {
    Challenge original;
    original.realm = "re\"alm\\";
    original.nonce = "n0nce";
    original.opaque = "op";
    original.algorithm = Algorithm::Sha256Sess;
    original.qop = {"auth"};
    original.stale = true;
    auto parsed = parse_challenge(format_challenge(original));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->realm, original.realm);
    EXPECT_EQ(parsed->nonce, original.nonce);
    EXPECT_EQ(parsed->opaque, original.opaque);
    EXPECT_EQ(parsed->algorithm, original.algorithm);
    EXPECT_EQ(parsed->qop, original.qop);
    EXPECT_TRUE(parsed->stale);
}

TEST(DigestChallenge, MalformedInputIsRefusedWithAReason) {
    struct Case {
        const char* text;
        const char* reason;
    };
    for (const auto& [text, reason] : {
             Case{"", "no authentication scheme"},
             Case{"Basic realm=\"x\"", "not Digest"},
             Case{"Digest realm=\"x\"", "without nonce"},
             Case{"Digest nonce=\"x\"", "without realm"},
             Case{"Digest realm=\"x, nonce=\"y\"", "expected ','"},
             Case{"Digest realm=\"x", "unterminated"},
             Case{"Digest realm=\"x\", realm=\"y\", nonce=n", "given twice"},
             Case{"Digest realm", "has no value"},
             Case{"Digest realm=, nonce=n", "empty or invalid"},
             Case{"Digest realm=\"a\x01\", nonce=n", "control character"},
             Case{"Digest realm=\"x\", nonce=n, algorithm=SHA-512-256",
                  "unsupported digest algorithm"},
             Case{"Digest realm=\"x\" nonce=n", "expected ','"},
             Case{"Digest realm=\"x\", nonce=n, qop=\"\"", "empty qop"},
             Case{"Digest =x", "unexpected character"},
         }) {
        auto parsed = parse_challenge(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_NE(parsed.error().message.find(reason), std::string::npos)
            << text << " -> " << parsed.error().message;
    }
}

TEST(DigestChallenge, BoundsAreEnforced) {
    std::string long_value =
        "Digest realm=\"" + std::string(kMaxValueLength + 1, 'a') + "\", nonce=n";
    auto parsed = parse_challenge(long_value);
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message.find("longer than"), std::string::npos);

    std::string many = "Digest realm=r, nonce=n";
    for (std::size_t i = 0; i < kMaxParameters; ++i) many += ", x" + std::to_string(i) + "=1";
    parsed = parse_challenge(many);
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message.find("more than"), std::string::npos);

    std::string huge = "Digest realm=r, nonce=\"" + std::string(kMaxHeaderLength, 'n') + "\"";
    parsed = parse_challenge(huge);
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message.find("header longer"), std::string::npos);
}

TEST(DigestCredentials, ParsesWhatCurlSends) {
    auto credentials = parse_credentials(
        "Digest username=\"acs\", realm=\"phonecwmp\", nonce=\"abc\", uri=\"/cr/xyz\", "
        "cnonce=\"NjA1NzY0\", nc=00000001, qop=auth, "
        "response=\"0123456789ABCDEFabcdef0123456789\", "
        "algorithm=SHA-256");
    ASSERT_TRUE(credentials) << credentials.error().message;
    EXPECT_EQ(credentials->username, "acs");
    EXPECT_EQ(credentials->realm, "phonecwmp");
    EXPECT_EQ(credentials->uri, "/cr/xyz");
    EXPECT_EQ(credentials->nc, "00000001");
    EXPECT_EQ(credentials->cnonce, "NjA1NzY0");
    EXPECT_EQ(credentials->qop, "auth");
    EXPECT_EQ(credentials->algorithm, Algorithm::Sha256);
}

TEST(DigestCredentials, MissingOrMalformedFieldsAreRefused) {
    const std::string base = "Digest username=u, realm=r, nonce=n, uri=\"/\", response=abcd";
    EXPECT_TRUE(parse_credentials(base));
    // A quoted qop token, as some clients send it, is still taken.
    EXPECT_TRUE(parse_credentials(base + ", qop=\"auth\", nc=00000001, cnonce=c"));
    for (const auto& [text, reason] : std::vector<std::pair<std::string, std::string>>{
             {"Digest realm=r, nonce=n, uri=\"/\", response=abcd", "without username"},
             {"Digest username=u, realm=r, nonce=n, response=abcd", "without uri"},
             {"Digest username=u, realm=r, nonce=n, uri=\"/\"", "without response"},
             {"Digest username=u, realm=r, nonce=n, uri=\"/\", response=xyz", "not a hex"},
             {base + ", qop=auth", "without nc and cnonce"},
             // Found by the http_digest fuzzer: written back unquoted, such a
             // qop no longer parsed the same.
             {base + ", qop=\"au/th@x\", nc=00000001, cnonce=c", "qop is not a token"},
             {base + ", qop=\"\", nc=00000001, cnonce=c", "qop is not a token"},
             {base + ", qop=auth, nc=1, cnonce=c", "8 hex digits"},
             {base + ", qop=auth, nc=0000000g, cnonce=c", "8 hex digits"},
             {base + ", qop=auth, nc=00000001, cnonce=\"\"", "empty cnonce"},
             {base + ", algorithm=MD5-sess", "-sess"},
             {base + ", userhash=true", "userhash"},
         }) {
        auto parsed = parse_credentials(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_NE(parsed.error().message.find(reason), std::string::npos)
            << text << " -> " << parsed.error().message;
    }
}

TEST(DigestCredentials, AnswerChallengeThenParseVerifies) {
    Challenge challenge;
    challenge.realm = "http-auth@example.org";
    challenge.nonce = std::string(kRfc7616Nonce);
    challenge.algorithm = Algorithm::Sha256;
    challenge.qop = {"auth-int", "auth"};
    auto answer = answer_challenge(challenge, "Mufasa", "Circle of Life", "GET", "/dir/index.html",
                                   1, kRfc7616Cnonce);
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->response, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    auto parsed = parse_credentials(format_credentials(*answer));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->response, answer->response);
    EXPECT_EQ(parsed->nc, "00000001");
    EXPECT_EQ(parsed->cnonce, kRfc7616Cnonce);

    challenge.qop = {"auth-int"};
    EXPECT_FALSE(answer_challenge(challenge, "u", "p", "GET", "/", 1, "c"));
}

TEST(DigestCompare, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(DigestCompare, RandomCnoncesDiffer) {
    const auto a = random_cnonce();
    EXPECT_EQ(a.size(), 32u);
    EXPECT_NE(a, random_cnonce());
}

// ---- verifier ------------------------------------------------------------------

class VerifierTest : public ::testing::Test {
protected:
    using Clock = DigestVerifier::Clock;

    VerifierSettings settings() {
        VerifierSettings s;
        s.realm = "phonecwmp";
        s.nonce_lifetime = 60s;
        s.max_tracked_nonces = 8;
        return s;
    }

    // The challenge of `algorithm` among those the verifier issues.
    Challenge challenge_for(DigestVerifier& verifier, Algorithm algorithm, Clock::time_point now,
                            bool stale = false) {
        for (const auto& header : verifier.challenges(stale, now)) {
            auto parsed = parse_challenge(header);
            EXPECT_TRUE(parsed) << header;
            if (parsed && parsed->algorithm == algorithm) return *parsed;
        }
        ADD_FAILURE() << "no challenge for " << algorithm_name(algorithm);
        return {};
    }

    Credentials answer(const Challenge& challenge, std::string_view password,
                       std::uint32_t count = 1, std::string_view uri = "/cr") {
        auto credentials =
            answer_challenge(challenge, "acs", password, "GET", uri, count, random_cnonce());
        EXPECT_TRUE(credentials);
        return credentials ? *credentials : Credentials{};
    }

    Clock::time_point t0 = Clock::time_point(1000h);
};

TEST_F(VerifierTest, OffersSha256ThenMd5WithQopAuth) {
    DigestVerifier verifier(settings());
    const auto headers = verifier.challenges(false, t0);
    ASSERT_EQ(headers.size(), 2u);
    auto first = parse_challenge(headers[0]);
    auto second = parse_challenge(headers[1]);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->algorithm, Algorithm::Sha256);
    EXPECT_EQ(second->algorithm, Algorithm::Md5);
    EXPECT_EQ(first->qop, std::vector<std::string>{"auth"});
    EXPECT_EQ(first->realm, "phonecwmp");
    EXPECT_NE(first->nonce, second->nonce);
    EXPECT_FALSE(first->stale);
}

TEST_F(VerifierTest, AcceptsBothAlgorithms) {
    DigestVerifier verifier(settings());
    for (auto algorithm : {Algorithm::Sha256, Algorithm::Md5}) {
        auto challenge = challenge_for(verifier, algorithm, t0);
        EXPECT_EQ(
            verifier.verify(answer(challenge, "secret"), "GET", "/cr", "acs", "secret", t0 + 1s),
            Verdict::Accepted)
            << algorithm_name(algorithm);
    }
}

TEST_F(VerifierTest, WrongPasswordUserRealmUriAndMethodAreRefused) {
    DigestVerifier verifier(settings());
    auto challenge = challenge_for(verifier, Algorithm::Sha256, t0);
    EXPECT_EQ(verifier.verify(answer(challenge, "wrong"), "GET", "/cr", "acs", "secret", t0),
              Verdict::WrongResponse);
    EXPECT_EQ(verifier.verify(answer(challenge, "secret"), "GET", "/cr", "other", "secret", t0),
              Verdict::WrongUser);
    EXPECT_EQ(verifier.verify(answer(challenge, "secret", 1, "/elsewhere"), "GET", "/cr", "acs",
                              "secret", t0),
              Verdict::WrongUri);
    EXPECT_EQ(verifier.verify(answer(challenge, "secret"), "POST", "/cr", "acs", "secret", t0),
              Verdict::WrongResponse);
    auto other_realm = challenge;
    other_realm.realm = "elsewhere";
    EXPECT_EQ(verifier.verify(answer(other_realm, "secret"), "GET", "/cr", "acs", "secret", t0),
              Verdict::WrongRealm);
}

TEST_F(VerifierTest, NoncesOfAnotherVerifierOrTamperedAreForged) {
    DigestVerifier verifier(settings());
    DigestVerifier other(settings());  // another process: another key
    auto foreign = challenge_for(other, Algorithm::Md5, t0);
    EXPECT_EQ(verifier.verify(answer(foreign, "secret"), "GET", "/cr", "acs", "secret", t0),
              Verdict::ForgedNonce);
    auto tampered = challenge_for(verifier, Algorithm::Md5, t0);
    tampered.nonce[3] = tampered.nonce[3] == 'A' ? 'B' : 'A';
    EXPECT_EQ(verifier.verify(answer(tampered, "secret"), "GET", "/cr", "acs", "secret", t0),
              Verdict::ForgedNonce);
    auto garbage = tampered;
    garbage.nonce = "not-a-nonce";
    EXPECT_EQ(verifier.verify(answer(garbage, "secret"), "GET", "/cr", "acs", "secret", t0),
              Verdict::ForgedNonce);
}

TEST_F(VerifierTest, ReplayedOrNonIncreasingNonceCountIsRefused) {
    DigestVerifier verifier(settings());
    auto challenge = challenge_for(verifier, Algorithm::Sha256, t0);
    const auto first = answer(challenge, "secret", 1);
    EXPECT_EQ(verifier.verify(first, "GET", "/cr", "acs", "secret", t0), Verdict::Accepted);
    EXPECT_EQ(verifier.verify(first, "GET", "/cr", "acs", "secret", t0), Verdict::Replayed);
    EXPECT_EQ(verifier.verify(answer(challenge, "secret", 3), "GET", "/cr", "acs", "secret", t0),
              Verdict::Accepted);
    EXPECT_EQ(verifier.verify(answer(challenge, "secret", 2), "GET", "/cr", "acs", "secret", t0),
              Verdict::Replayed);
    EXPECT_EQ(verifier.verify(answer(challenge, "secret", 4), "GET", "/cr", "acs", "secret", t0),
              Verdict::Accepted);
}

TEST_F(VerifierTest, ExpiredNonceIsStaleAndTheNextChallengeSaysSo) {
    DigestVerifier verifier(settings());
    auto challenge = challenge_for(verifier, Algorithm::Md5, t0);
    EXPECT_EQ(verifier.verify(answer(challenge, "secret"), "GET", "/cr", "acs", "secret", t0 + 61s),
              Verdict::StaleNonce);
    // A wrong password on an expired nonce is a wrong password, not stale.
    EXPECT_EQ(
        verifier.verify(answer(challenge, "wrong", 2), "GET", "/cr", "acs", "secret", t0 + 61s),
        Verdict::WrongResponse);
    auto fresh = challenge_for(verifier, Algorithm::Md5, t0 + 61s, true);
    EXPECT_TRUE(fresh.stale);
    EXPECT_EQ(verifier.verify(answer(fresh, "secret"), "GET", "/cr", "acs", "secret", t0 + 62s),
              Verdict::Accepted);
}

TEST_F(VerifierTest, TrackingTableIsBoundedAndForgottenNoncesAreStale) {
    DigestVerifier verifier(settings());
    auto oldest = challenge_for(verifier, Algorithm::Sha256, t0);
    for (int i = 1; i <= 20; ++i) {
        verifier.challenges(false, t0 + std::chrono::milliseconds(i));
        EXPECT_LE(verifier.tracked_nonces(), 8u);
    }
    EXPECT_EQ(verifier.verify(answer(oldest, "secret"), "GET", "/cr", "acs", "secret", t0 + 1s),
              Verdict::StaleNonce);
    // Expired entries leave the table when new nonces are issued.
    verifier.challenges(false, t0 + 120s);
    EXPECT_EQ(verifier.tracked_nonces(), 2u);
}

TEST_F(VerifierTest, AlgorithmNotOfferedOrQopOtherThanAuthIsRefused) {
    auto only_sha = settings();
    only_sha.algorithms = {Algorithm::Sha256};
    DigestVerifier verifier(only_sha);
    auto challenge = challenge_for(verifier, Algorithm::Sha256, t0);
    auto md5 = challenge;
    md5.algorithm = Algorithm::Md5;
    EXPECT_EQ(verifier.verify(answer(md5, "secret"), "GET", "/cr", "acs", "secret", t0),
              Verdict::UnsupportedOptions);
    auto no_qop = challenge;
    no_qop.qop.clear();
    EXPECT_EQ(verifier.verify(answer(no_qop, "secret"), "GET", "/cr", "acs", "secret", t0),
              Verdict::UnsupportedOptions);
}

}  // namespace
}  // namespace cwmp::digest
