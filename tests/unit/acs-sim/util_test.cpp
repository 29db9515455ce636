#include <gtest/gtest.h>

#include <set>

#include "cwmp/summary.hpp"
#include "test_support.hpp"
#include "util/id_generator.hpp"
#include "util/secret_names.hpp"
#include "util/time_format.hpp"
#include "util/url.hpp"

namespace acssim {
namespace {

TEST(TimeFormat, WritesUtcWithMillisecondsLikeJavaScript) {
    EXPECT_EQ(format_iso8601(test::at()), "2024-05-01T12:00:00.000Z");
    EXPECT_EQ(format_iso8601(test::at(3661) + std::chrono::milliseconds(42)),
              "2024-05-01T13:01:01.042Z");
    EXPECT_EQ(format_iso8601(TimePoint{}), "1970-01-01T00:00:00.000Z");
}

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
    EXPECT_EQ(percent_decode("00256D%2DIPPhone", false), "00256D-IPPhone");
    EXPECT_EQ(percent_decode("a+b%20c", true), "a b c");
    EXPECT_EQ(percent_decode("a+b", false), "a+b");
    EXPECT_EQ(percent_decode("%7b%22a%22%7D", false), "{\"a\"}");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
    EXPECT_FALSE(percent_decode("%", false));
    EXPECT_FALSE(percent_decode("%4", false));
    EXPECT_FALSE(percent_decode("ab%G1", false));
}

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
    EXPECT_EQ(percent_encode("00256D-IP Phone/1%"), "00256D-IP%20Phone%2F1%25");
    EXPECT_EQ(percent_decode(percent_encode("{\"_id\": \"a b\"}"), false), "{\"_id\": \"a b\"}");
}

TEST(RequestTarget, SplitsDecodedSegmentsAndQuery) {
    auto target = parse_request_target(
        "/devices/00256D%2DIP%2FPhone-SN/tasks/?connection_request&timeout=3000&query=%7B%7D");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->segments,
              (std::vector<std::string>{"devices", "00256D-IP/Phone-SN", "tasks"}));
    EXPECT_EQ(target->query.at("connection_request"), "");
    EXPECT_EQ(target->query.at("timeout"), "3000");
    EXPECT_EQ(target->query.at("query"), "{}");
}

TEST(RequestTarget, FirstOccurrenceOfARepeatedParameterWins) {
    auto target = parse_request_target("/tasks?limit=1&limit=2");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->query.at("limit"), "1");
}

TEST(RequestTarget, RejectsNonOriginFormAndBadEscapes) {
    EXPECT_FALSE(parse_request_target("devices"));
    EXPECT_FALSE(parse_request_target("http://example.test/devices"));
    EXPECT_FALSE(parse_request_target("/devices/%zz"));
    EXPECT_FALSE(parse_request_target("/devices?query=%"));
}

TEST(IdGenerator, TaskIdsLookLikeObjectIdsAndAreUnique) {
    IdGenerator ids(7);
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto id = ids.task_id(test::at());
        ASSERT_EQ(id.size(), 24U);
        ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
        // The first 8 hex digits are the creation time in seconds.
        ASSERT_EQ(id.substr(0, 8), "66322ec0");
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000U);
}

TEST(IdGenerator, SessionTokensAreLongAndDistinct) {
    IdGenerator ids(7);
    const auto first = ids.session_token();
    const auto second = ids.session_token();
    EXPECT_EQ(first.size(), 32U);
    EXPECT_NE(first, second);
}

TEST(SecretNames, PasswordsKeysAndSecretsStayOutOfTheLog) {
    EXPECT_TRUE(is_secret_parameter("Device.ManagementServer.ConnectionRequestPassword"));
    EXPECT_TRUE(is_secret_parameter("Device.ManagementServer.Password"));
    EXPECT_TRUE(is_secret_parameter("Device.WiFi.AccessPoint.1.Security.KeyPassphrase"));
    EXPECT_TRUE(is_secret_parameter("Device.WiFi.AccessPoint.1.Security.PreSharedKey"));
    EXPECT_TRUE(is_secret_parameter("Device.Services.VoiceService.1.SIP.Client.1.AuthPassword"));
    EXPECT_FALSE(is_secret_parameter("Device.ManagementServer.ConnectionRequestUsername"));
    EXPECT_FALSE(is_secret_parameter("Device.ManagementServer.PeriodicInformInterval"));
    EXPECT_FALSE(is_secret_parameter("Device.Users.User.1.PasswordRequired"));
}

TEST(SecretNames, SummariesHideTheirValues) {
    cwmp::SetParameterValues request;
    request.parameter_list = {{"Device.ManagementServer.ConnectionRequestPassword", "pw-1", ""},
                              {"Device.ManagementServer.PeriodicInformInterval", "60", ""}};
    const std::string line = cwmp::summarize(request, is_secret_parameter);
    EXPECT_EQ(line.find("pw-1"), std::string::npos) << line;
    EXPECT_NE(line.find("PeriodicInformInterval=60"), std::string::npos) << line;
}

}  // namespace
}  // namespace acssim
