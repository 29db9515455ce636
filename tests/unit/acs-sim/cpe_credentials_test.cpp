// Per-device credentials: the --cpe-credentials file, the authenticator
// checking each user name's own password, and the CWMP endpoint refusing an
// Inform for a device the authenticated user is not.
#include "auth/cpe_credentials.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "auth/cpe_authenticator.hpp"
#include "cwmp/codec.hpp"
#include "registry/device_id.hpp"
#include "registry/in_memory_registry.hpp"
#include "session/cwmp_endpoint.hpp"
#include "test_support.hpp"
#include "util/base64.hpp"

namespace acssim {
namespace {

using test::phone_key;

constexpr const char* kFile = R"({
  "default": {"username": "cpe", "password": "shared"},
  "devices": {
    "00256D-IPPhone-SN0001": {"username": "phone1", "password": "p1",
                              "connection_request": {"username": "cr1", "password": "c1"}},
    "SN0002": {"username": "phone2", "password": "p2"},
    "SN0003": {"connection_request": {"username": "cr3", "password": "c3"}}
  }
})";

CpeCredentials parsed(const char* text) {
    auto credentials = CpeCredentials::parse(text);
    EXPECT_TRUE(credentials) << credentials.error();
    return credentials ? std::move(*credentials) : CpeCredentials{};
}

std::string parse_error(const char* text) {
    auto credentials = CpeCredentials::parse(text);
    EXPECT_FALSE(credentials) << text;
    return credentials ? std::string{} : credentials.error();
}

TEST(CpeCredentials, FindsADevicesEntryByIdThenSerialThenTheDefault) {
    const auto credentials = parsed(kFile);
    EXPECT_EQ(credentials.device_count(), 3U);
    const auto* by_id = credentials.cpe_of(phone_key("SN0001"), "SN0001");
    ASSERT_NE(by_id, nullptr);
    EXPECT_EQ(*by_id, (UserCredentials{"phone1", "p1"}));
    const auto* by_serial = credentials.cpe_of(phone_key("SN0002"), "SN0002");
    ASSERT_NE(by_serial, nullptr);
    EXPECT_EQ(by_serial->username, "phone2");
    // SN0003's entry has no CPE credentials of its own: the default applies.
    const auto* fallback = credentials.cpe_of(phone_key("SN0003"), "SN0003");
    ASSERT_NE(fallback, nullptr);
    EXPECT_EQ(fallback->username, "cpe");
    EXPECT_EQ(credentials.cpe_of(phone_key("SN0009"), "SN0009")->username, "cpe");

    EXPECT_EQ(*credentials.connection_request_of(phone_key("SN0001"), "SN0001"),
              (UserCredentials{"cr1", "c1"}));
    EXPECT_EQ(credentials.connection_request_of(phone_key("SN0003"), "SN0003")->username, "cr3");
    EXPECT_EQ(credentials.connection_request_of(phone_key("SN0002"), "SN0002"), nullptr);

    ASSERT_NE(credentials.password_of("phone2"), nullptr);
    EXPECT_EQ(*credentials.password_of("phone2"), "p2");
    EXPECT_EQ(*credentials.password_of("cpe"), "shared");
    EXPECT_EQ(credentials.password_of("cr1"), nullptr);  // not a CPE user
    EXPECT_EQ(credentials.password_of("nobody"), nullptr);
}

TEST(CpeCredentials, WithoutADefaultUnlistedDevicesHaveNoCredentials) {
    const auto credentials =
        parsed(R"({"devices": {"SN0001": {"username": "a", "password": ""}}})");
    EXPECT_EQ(credentials.cpe_of(phone_key("SN0002"), "SN0002"), nullptr);
    EXPECT_EQ(*credentials.password_of("a"), "");
    EXPECT_EQ(parsed("{}").device_count(), 0U);
}

TEST(CpeCredentials, MalformedFilesAreRefusedNamingTheProblem) {
    EXPECT_NE(parse_error("{").find("not valid JSON"), std::string::npos);
    EXPECT_NE(parse_error("[]").find("JSON object"), std::string::npos);
    EXPECT_NE(parse_error(R"({"defaults": {}})").find("unknown member \"defaults\""),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"default": {"username": "u"}})").find("\"default\".password"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"default": {"username": "", "password": "p"}})")
                  .find("username must not be empty"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"devices": {"SN1": {"username": "u", "password": 7}}})")
                  .find("devices[\"SN1\"].password must be a string"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"devices": {"SN1": {"user": "u"}}})").find("unknown member \"user\""),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"devices": []})").find("\"devices\" must be an object"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"devices": {"SN1": {"connection_request": {"username": "u"}}}})")
                  .find("connection_request.password"),
              std::string::npos);
    const auto ambiguous = parse_error(R"({"default": {"username": "u", "password": "a"},
        "devices": {"SN1": {"username": "u", "password": "b"}}})");
    EXPECT_NE(ambiguous.find("\"default\" and devices[\"SN1\"]"), std::string::npos) << ambiguous;
    // The same user with the same password on several devices is fine.
    parsed(R"({"devices": {"SN1": {"username": "u", "password": "a"},
                           "SN2": {"username": "u", "password": "a"}}})");
}

TEST(CpeCredentials, LoadNamesTheFile) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("acs-sim-credentials-" + std::to_string(::getpid()) + ".json");
    struct Remove {
        std::filesystem::path path;
        ~Remove() { std::filesystem::remove(path); }
    } remove{path};
    std::ofstream(path) << R"({"devices": {"SN1": 3}})";
    auto bad = CpeCredentials::load(path);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find(path.string()), std::string::npos) << bad.error();
    EXPECT_NE(bad.error().find("devices[\"SN1\"] must be an object"), std::string::npos);
    std::ofstream(path, std::ios::trunc) << kFile;
    EXPECT_TRUE(CpeCredentials::load(path));
    EXPECT_FALSE(CpeCredentials::load(path.string() + ".absent"));
}

TEST(CpeAuthenticatorWithCredentials, EachUserNeedsItsOwnPassword) {
    CpeAuthSettings settings{CpeAuthMode::Basic, "", ""};
    settings.credentials = std::make_shared<const CpeCredentials>(parsed(kFile));
    CpeAuthenticator auth(settings);
    std::string user;
    EXPECT_FALSE(auth.check("Basic " + base64_encode("phone1:p1"), "POST", "/", &user));
    EXPECT_EQ(user, "phone1");
    EXPECT_FALSE(auth.check("Basic " + base64_encode("phone2:p2"), "POST", "/", &user));
    EXPECT_EQ(user, "phone2");
    auto wrong = auth.check("Basic " + base64_encode("phone2:p1"), "POST", "/");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->reason, "wrong password");
    auto unknown = auth.check("Basic " + base64_encode("cr1:c1"), "POST", "/");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->reason, "unknown user");
}

TEST(CpeAuthenticatorWithCredentials, DigestLooksThePasswordUpByTheUserName) {
    CpeAuthSettings settings{CpeAuthMode::Digest, "", ""};
    settings.credentials = std::make_shared<const CpeCredentials>(parsed(kFile));
    CpeAuthenticator auth(settings);
    const auto challenge = auth.check("", "POST", "/");
    ASSERT_TRUE(challenge);
    auto parsed_challenge = cwmp::digest::parse_challenge(challenge->challenges.at(0));
    ASSERT_TRUE(parsed_challenge);
    auto answer = [&](const char* user, const char* password, std::uint32_t count) {
        auto credentials = cwmp::digest::answer_challenge(
            *parsed_challenge, user, password, "POST", "/", count, cwmp::digest::random_cnonce());
        EXPECT_TRUE(credentials);
        return cwmp::digest::format_credentials(*credentials);
    };
    std::string user;
    EXPECT_FALSE(auth.check(answer("phone2", "p2", 1), "POST", "/", &user));
    EXPECT_EQ(user, "phone2");
    EXPECT_TRUE(auth.check(answer("phone2", "p1", 2), "POST", "/"));
    EXPECT_TRUE(auth.check(answer("stranger", "p2", 3), "POST", "/"));
}

TEST(CwmpEndpointInformGuard, ARefusedInformIs401AndTheDeviceIsNotRecorded) {
    const auto credentials = std::make_shared<const CpeCredentials>(parsed(kFile));
    auto codec = cwmp::make_codec();
    InMemoryRegistry registry;
    IdGenerator ids{1};
    CwmpEndpoint endpoint{registry, *codec, ids};
    endpoint.set_inform_guard(
        [&](const cwmp::DeviceId& device, std::string_view user) -> std::optional<std::string> {
            const auto* own = credentials->cpe_of(make_device_id(device), device.serial_number);
            if (own != nullptr && own->username == user) return std::nullopt;
            return std::string{"not its user"};
        });
    auto inform = [&](const std::string& serial) {
        cwmp::Envelope envelope;
        envelope.header.id = "1";
        envelope.body = test::phone_inform({"1 BOOT"}, serial);
        return codec->encode(envelope, cwmp::Namespace::Cwmp12);
    };
    // phone1's credentials do not open a session for SN0002.
    const auto refused =
        endpoint.handle(CwmpRequest{inform("SN0002"), {}, {}, "phone1"}, test::at());
    EXPECT_EQ(refused.status, 401U);
    EXPECT_FALSE(registry.has_device(phone_key("SN0002")));
    EXPECT_EQ(endpoint.session_count(), 0U);

    const auto accepted =
        endpoint.handle(CwmpRequest{inform("SN0002"), {}, {}, "phone2"}, test::at());
    EXPECT_EQ(accepted.status, 200U) << accepted.body;
    EXPECT_TRUE(registry.has_device(phone_key("SN0002")));
}

}  // namespace
}  // namespace acssim
