// Authentication of CPEs: the authenticator alone, and the CWMP endpoint on
// loopback answering 401 and accepting the retry on the same connection.
#include <gtest/gtest.h>

#include "auth/cpe_authenticator.hpp"
#include "cwmp/codec.hpp"
#include "cwmp/http_digest.hpp"
#include "loopback_server.hpp"
#include "test_support.hpp"
#include "util/base64.hpp"

namespace acssim {
namespace {

namespace bhttp = boost::beast::http;

std::string digest_answer(const std::string& challenge, const std::string& user,
                          const std::string& password, std::uint32_t count = 1) {
    auto parsed = cwmp::digest::parse_challenge(challenge);
    EXPECT_TRUE(parsed);
    auto credentials = cwmp::digest::answer_challenge(*parsed, user, password, "POST", "/", count,
                                                      cwmp::digest::random_cnonce());
    EXPECT_TRUE(credentials);
    return cwmp::digest::format_credentials(*credentials);
}

TEST(CpeAuthenticator, DigestAcceptsTheRightPasswordOnly) {
    CpeAuthenticator auth({CpeAuthMode::Digest, "cpe", "secret"});
    auto first = auth.check("", "POST", "/");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->reason, "no credentials");
    ASSERT_FALSE(first->challenges.empty());
    EXPECT_EQ(first->challenges[0].rfind("Digest ", 0), 0U);

    EXPECT_FALSE(auth.check(digest_answer(first->challenges[0], "cpe", "secret"), "POST", "/"));
    auto wrong = auth.check(digest_answer(first->challenges[0], "cpe", "nope"), "POST", "/");
    ASSERT_TRUE(wrong);
    EXPECT_NE(wrong->reason.find("password"), std::string::npos) << wrong->reason;
    auto basic = auth.check("Basic " + base64_encode("cpe:secret"), "POST", "/");
    ASSERT_TRUE(basic);
    EXPECT_EQ(basic->reason, "not Digest credentials");
    EXPECT_TRUE(auth.check("Digest garbage", "POST", "/"));
}

TEST(CpeAuthenticator, BasicChecksUserAndPassword) {
    CpeAuthenticator auth({CpeAuthMode::Basic, "cpe", "se:cret"});
    auto first = auth.check("", "POST", "/");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->challenges.at(0).rfind("Basic realm=\"acs-sim\"", 0), 0U);
    EXPECT_FALSE(auth.check("Basic " + base64_encode("cpe:se:cret"), "POST", "/"));
    EXPECT_FALSE(auth.check("basic  " + base64_encode("cpe:se:cret"), "POST", "/"));
    EXPECT_EQ(auth.check("Basic " + base64_encode("cpe:wrong"), "POST", "/")->reason,
              "wrong password");
    EXPECT_EQ(auth.check("Basic " + base64_encode("who:se:cret"), "POST", "/")->reason,
              "unknown user");
    EXPECT_EQ(auth.check("Basic %%%%", "POST", "/")->reason, "malformed Basic credentials");
    EXPECT_EQ(auth.check("Basic " + base64_encode("nocolon"), "POST", "/")->reason,
              "Basic credentials without a ':'");
    EXPECT_FALSE(CpeAuthenticator({}).check("", "POST", "/"));
}

std::string encoded_inform() {
    cwmp::Envelope envelope;
    envelope.header.id = "auth-1";
    envelope.body = test::phone_inform({"1 BOOT"});
    return cwmp::make_codec()->encode(envelope, cwmp::Namespace::Cwmp10);
}

TEST(CpeAuthentication, TheCwmpEndpointChallengesThenAcceptsTheRetryOnTheSameConnection) {
    auto options = test::loopback_options();
    options.cpe_auth = {CpeAuthMode::Digest, "cpe", "secret"};
    test::RunningServer running(options);
    test::Client cpe(running.server().cwmp_endpoint());

    auto challenge = cpe.request(bhttp::verb::post, "/", encoded_inform());
    ASSERT_EQ(challenge.result_int(), 401U);
    EXPECT_TRUE(challenge.keep_alive());
    const std::string www{challenge[bhttp::field::www_authenticate]};
    ASSERT_FALSE(www.empty());

    bhttp::request<bhttp::string_body> retry{bhttp::verb::post, "/", 11};
    retry.set(bhttp::field::host, "127.0.0.1");
    retry.set(bhttp::field::authorization, digest_answer(www, "cpe", "secret"));
    retry.body() = encoded_inform();
    retry.prepare_payload();
    bhttp::write(cpe.stream(), retry);
    auto accepted = cpe.read();
    ASSERT_EQ(accepted.result_int(), 200U) << accepted.body();
    EXPECT_NE(accepted.body().find("InformResponse"), std::string::npos);
    // The connection is authenticated: the empty POST needs no credentials.
    const std::string set_cookie{accepted[bhttp::field::set_cookie]};
    auto end = cpe.request(bhttp::verb::post, "/", "", set_cookie.substr(0, set_cookie.find(';')));
    EXPECT_EQ(end.result_int(), 204U);

    // Another connection with a wrong password is refused.
    test::Client intruder(running.server().cwmp_endpoint());
    auto first = intruder.request(bhttp::verb::post, "/", encoded_inform());
    ASSERT_EQ(first.result_int(), 401U);
    bhttp::request<bhttp::string_body> wrong{bhttp::verb::post, "/", 11};
    wrong.set(bhttp::field::host, "127.0.0.1");
    wrong.set(bhttp::field::authorization,
              digest_answer(std::string{first[bhttp::field::www_authenticate]}, "cpe", "nope"));
    wrong.body() = encoded_inform();
    wrong.prepare_payload();
    bhttp::write(intruder.stream(), wrong);
    EXPECT_EQ(intruder.read().result_int(), 401U);
    running.stop();
}

TEST(CpeAuthentication, StartRefusesBasicOverHttpAndAMissingUser) {
    auto options = test::loopback_options();
    options.cpe_auth = {CpeAuthMode::Basic, "cpe", "secret"};
    AcsServer basic(options);
    auto refused = basic.start();
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("--allow-basic-over-http"), std::string::npos);

    options.allow_basic_over_http = true;
    options.cpe_auth.username.clear();
    AcsServer nameless(options);
    auto no_user = nameless.start();
    ASSERT_FALSE(no_user);
    EXPECT_NE(no_user.error().find("user name"), std::string::npos);
}

}  // namespace
}  // namespace acssim
