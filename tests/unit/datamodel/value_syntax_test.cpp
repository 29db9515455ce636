#include "datamodel/value_syntax.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace datamodel {
namespace {

Syntax of(BaseType type) {
    Syntax syntax;
    syntax.type = type;
    return syntax;
}

// The canonical value, or "<invalid: message>".
std::string check(const Syntax& syntax, std::string_view value,
                  WriteOrigin origin = WriteOrigin::Controller) {
    const auto result = check_value(syntax, value, origin);
    return result ? *result : "<invalid: " + result.error() + ">";
}

bool valid(const Syntax& syntax, std::string_view value,
           WriteOrigin origin = WriteOrigin::Controller) {
    return check_value(syntax, value, origin).has_value();
}

const Syntax& syntax_of(const char* path) {
    static const auto definitions = test::test_definitions();
    const ParameterDefinition* parameter = definitions->find_parameter(path);
    if (!parameter) {
        ADD_FAILURE() << "no parameter " << path;
        static const Syntax none;
        return none;
    }
    return parameter->syntax;
}

TEST(ValueSyntax, UnsignedInt) {
    const Syntax syntax = of(BaseType::UnsignedInt);
    EXPECT_EQ(check(syntax, "0"), "0");
    EXPECT_EQ(check(syntax, "4294967295"), "4294967295");
    EXPECT_EQ(check(syntax, "007"), "7");
    for (const char* bad : {"4294967296", "-1", "+1", "", "1.0", " 1", "1 ", "abc", "0x10",
                            "99999999999999999999999"}) {
        EXPECT_FALSE(valid(syntax, bad)) << bad;
    }
}

TEST(ValueSyntax, Int) {
    const Syntax syntax = of(BaseType::Int);
    EXPECT_EQ(check(syntax, "-2147483648"), "-2147483648");
    EXPECT_EQ(check(syntax, "2147483647"), "2147483647");
    EXPECT_EQ(check(syntax, "-0"), "0");
    EXPECT_FALSE(valid(syntax, "-2147483649"));
    EXPECT_FALSE(valid(syntax, "2147483648"));
    EXPECT_FALSE(valid(syntax, "-"));
    EXPECT_FALSE(valid(syntax, "--1"));
}

TEST(ValueSyntax, UnsignedLongAndLong) {
    const Syntax unsigned_long = of(BaseType::UnsignedLong);
    EXPECT_EQ(check(unsigned_long, "18446744073709551615"), "18446744073709551615");
    EXPECT_FALSE(valid(unsigned_long, "18446744073709551616"));
    EXPECT_FALSE(valid(unsigned_long, "-1"));

    const Syntax long_syntax = of(BaseType::Long);
    EXPECT_EQ(check(long_syntax, "-9223372036854775808"), "-9223372036854775808");
    EXPECT_EQ(check(long_syntax, "9223372036854775807"), "9223372036854775807");
    EXPECT_FALSE(valid(long_syntax, "9223372036854775808"));
    EXPECT_FALSE(valid(long_syntax, "-9223372036854775809"));
}

TEST(ValueSyntax, RangesAreInclusiveAndAnyRangeWillDo) {
    const Syntax& count = syntax_of("Device.Test.Count");  // 1..100
    EXPECT_FALSE(valid(count, "0"));
    EXPECT_TRUE(valid(count, "1"));
    EXPECT_TRUE(valid(count, "100"));
    EXPECT_FALSE(valid(count, "101"));

    const Syntax& even = syntax_of("Device.Test.Even");  // -1, or 0..10 step 2
    for (const char* good : {"-1", "0", "4", "10"}) EXPECT_TRUE(valid(even, good)) << good;
    for (const char* bad : {"-2", "3", "11", "12"}) EXPECT_FALSE(valid(even, bad)) << bad;
}

TEST(ValueSyntax, RangesOfUnsignedLongBeyondInt64) {
    Syntax syntax = of(BaseType::UnsignedLong);
    syntax.ranges.push_back({5, std::nullopt, 1});
    EXPECT_TRUE(valid(syntax, "18446744073709551615"));
    EXPECT_FALSE(valid(syntax, "4"));
    syntax.ranges[0].max = 10;
    EXPECT_FALSE(valid(syntax, "18446744073709551615"));
    syntax.ranges[0] = {std::nullopt, std::nullopt, 2};
    EXPECT_FALSE(valid(syntax, "18446744073709551615"));
    EXPECT_TRUE(valid(syntax, "18446744073709551614"));
}

TEST(ValueSyntax, StepCountsFromANegativeMinimum) {
    Syntax syntax = of(BaseType::Int);
    syntax.ranges.push_back({-127000, 0, 500});
    EXPECT_TRUE(valid(syntax, "-127000"));
    EXPECT_TRUE(valid(syntax, "-500"));
    EXPECT_FALSE(valid(syntax, "-250"));
    EXPECT_FALSE(valid(syntax, "500"));
}

TEST(ValueSyntax, BooleanIsNormalised) {
    const Syntax syntax = of(BaseType::Boolean);
    EXPECT_EQ(check(syntax, "true"), "true");
    EXPECT_EQ(check(syntax, "1"), "true");
    EXPECT_EQ(check(syntax, "false"), "false");
    EXPECT_EQ(check(syntax, "0"), "false");
    for (const char* bad : {"TRUE", "True", "yes", "", "2", " true"}) {
        EXPECT_FALSE(valid(syntax, bad)) << bad;
    }
}

TEST(ValueSyntax, DateTime) {
    const Syntax syntax = of(BaseType::DateTime);
    for (const char* good : {"0001-01-01T00:00:00Z", "2024-02-29T12:00:00Z", "2024-01-01T00:00:00",
                             "2024-12-31T23:59:59.123456+05:30", "2023-06-30T08:00:00-14:00"}) {
        EXPECT_TRUE(valid(syntax, good)) << good;
    }
    for (const char* bad :
         {"", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-04-31T00:00:00Z",
          "2024-01-01 00:00:00", "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z",
          "0000-01-01T00:00:00Z", "2024-01-01T00:00:00Zjunk", "2024-01-01T00:00:00.Z",
          "2024-1-01T00:00:00Z", "2024-01-01T00:00:00+15:00", "2024-01-01"}) {
        EXPECT_FALSE(valid(syntax, bad)) << bad;
    }
}

TEST(ValueSyntax, DateTimeParsesToTheInstantItNames) {
    using std::chrono::seconds;
    using std::chrono::sys_seconds;
    EXPECT_EQ(parse_date_time("1970-01-01T00:00:10Z"), sys_seconds(seconds(10)));
    EXPECT_EQ(parse_date_time("1970-01-01T00:00:10"), sys_seconds(seconds(10)));  // UTC
    EXPECT_EQ(parse_date_time("1970-01-01T01:00:10+01:00"), sys_seconds(seconds(10)));
    EXPECT_EQ(parse_date_time("1969-12-31T23:00:10-01:00"), sys_seconds(seconds(10)));
    EXPECT_EQ(parse_date_time("1970-01-01T00:00:10.999Z"), sys_seconds(seconds(10)));
    EXPECT_EQ(parse_date_time("2026-11-26T21:48:54.270Z"), sys_seconds(seconds(1795729734)));
    EXPECT_EQ(parse_date_time("0001-01-01T00:00:00Z"), kUnknownTime);
    EXPECT_FALSE(parse_date_time("2026-11-26T21:48:54Q"));
    EXPECT_FALSE(parse_date_time("2026-02-30T00:00:00Z"));
}

TEST(ValueSyntax, Base64SizeIsTheDecodedSize) {
    const Syntax& blob = syntax_of("Device.Test.Blob");  // at most 3 bytes
    EXPECT_TRUE(valid(blob, ""));
    EXPECT_TRUE(valid(blob, "AAEC"));
    EXPECT_TRUE(valid(blob, "AA=="));
    EXPECT_FALSE(valid(blob, "AAECAw=="));  // 4 bytes
    for (const char* bad : {"A", "AA=A", "AA===", "AA!C"}) EXPECT_FALSE(valid(blob, bad)) << bad;
}

TEST(ValueSyntax, HexBinaryWithAlternativeSizes) {
    const Syntax& mac = syntax_of("Device.Test.Mac");  // 0 or 6 bytes
    EXPECT_TRUE(valid(mac, ""));
    EXPECT_TRUE(valid(mac, "00112233AaBb"));
    EXPECT_FALSE(valid(mac, "0011"));
    EXPECT_FALSE(valid(mac, "001"));
    EXPECT_FALSE(valid(mac, "0g1122334455"));
}

TEST(ValueSyntax, StringLengthCountsCharacters) {
    const Syntax& name = syntax_of("Device.Test.Name");  // at most 16
    EXPECT_TRUE(valid(name, std::string(16, 'x')));
    EXPECT_FALSE(valid(name, std::string(17, 'x')));
    const Syntax& code = syntax_of("Device.Test.Code");            // at most 4
    EXPECT_TRUE(valid(code, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"));  // four e-acute, 8 bytes
    EXPECT_FALSE(valid(code, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9x"));
    EXPECT_FALSE(valid(code, "\xFF"));      // not UTF-8
    EXPECT_FALSE(valid(code, "\xC3"));      // truncated sequence
    EXPECT_FALSE(valid(code, "\xC0\xAF"));  // overlong
    Syntax minimum = of(BaseType::String);
    minimum.min_length = 2;
    EXPECT_FALSE(valid(minimum, "a"));
    EXPECT_TRUE(valid(minimum, "ab"));
}

TEST(ValueSyntax, Enumeration) {
    const Syntax& mode = syntax_of("Device.Test.Mode");
    EXPECT_TRUE(valid(mode, "Auto"));
    EXPECT_TRUE(valid(mode, "Manual"));
    EXPECT_FALSE(valid(mode, "auto"));
    EXPECT_FALSE(valid(mode, ""));
    // "Failed" is reported by the device but not settable by a controller.
    EXPECT_FALSE(valid(mode, "Failed", WriteOrigin::Controller));
    EXPECT_TRUE(valid(mode, "Failed", WriteOrigin::Device));
}

TEST(ValueSyntax, PatternsMatchTheWholeValue) {
    const Syntax& address = syntax_of("Device.Test.Address");
    EXPECT_TRUE(valid(address, ""));
    EXPECT_TRUE(valid(address, "192.168.1.1"));
    for (const char* bad : {"256.1.1.1", "1.2.3", "1.2.3.4 ", "x1.2.3.4", "1.2.3.4.5"}) {
        EXPECT_FALSE(valid(address, bad)) << bad;
    }
}

TEST(ValueSyntax, PatternAnchorsAreLiteralAsInXmlSchema) {
    Syntax syntax = of(BaseType::String);
    syntax.patterns = {"a$b^c", "[^x]"};
    EXPECT_TRUE(valid(syntax, "a$b^c"));
    EXPECT_TRUE(valid(syntax, "y"));
    EXPECT_FALSE(valid(syntax, "x"));
    EXPECT_FALSE(valid(syntax, "ab"));
}

TEST(ValueSyntax, OverlongValuesAreNotFedToPatterns) {
    Syntax syntax = of(BaseType::String);
    syntax.patterns = {"a*"};
    EXPECT_TRUE(valid(syntax, std::string(4096, 'a')));
    EXPECT_FALSE(valid(syntax, std::string(100000, 'a')));
}

TEST(ValueSyntax, PatternsAreNotSearchedInsideTheValue) {
    Syntax syntax = of(BaseType::String);
    syntax.patterns = {"b"};
    EXPECT_FALSE(valid(syntax, "abc"));
    EXPECT_TRUE(valid(syntax, "b"));
}

TEST(ValueSyntax, LongValuesWithRepeatedGroupsMatchTheirPattern) {
    Syntax syntax = of(BaseType::String);
    syntax.patterns = {"(a|b)*"};
    EXPECT_TRUE(valid(syntax, std::string(4096, 'a')));
}

TEST(ValueSyntax, CatastrophicPatternsRefuseTheValue) {
    Syntax syntax = of(BaseType::String);
    syntax.patterns = {"(a|aa)*[bc]"};
    EXPECT_EQ(check(syntax, std::string(30, 'a')),
              "<invalid: '" + std::string(30, 'a') + "' does not match the pattern>");
    EXPECT_TRUE(valid(syntax, "aaab"));
}

TEST(ValueSyntax, InvalidUtf8NeverReachesAPattern) {
    Syntax syntax = of(BaseType::String);
    syntax.patterns = {".*"};
    EXPECT_EQ(check(syntax, "ab\xff"), "<invalid: value is not valid UTF-8>");
    EXPECT_TRUE(valid(syntax, "ab\xc3\xa9"));
}

TEST(ValueSyntax, ListItemsAreEachChecked) {
    const Syntax& ports = syntax_of("Device.Test.Ports");  // <= 3 items, <= 20 chars, <= 65535
    EXPECT_TRUE(valid(ports, ""));
    EXPECT_TRUE(valid(ports, "80,443"));
    EXPECT_EQ(check(ports, "80, 443"), "80, 443");  // kept as given
    EXPECT_FALSE(valid(ports, "80,x"));
    EXPECT_FALSE(valid(ports, "80,65536"));
    EXPECT_FALSE(valid(ports, "80,,443"));
    EXPECT_FALSE(valid(ports, "1,2,3,4"));                 // maxItems
    EXPECT_FALSE(valid(ports, "10000, 10001, 10002  "));   // list longer than 20 characters
    const Syntax& range = syntax_of("Device.Test.Range");  // exactly 2 items
    EXPECT_FALSE(valid(range, "1"));
    EXPECT_TRUE(valid(range, "1,2"));
    EXPECT_FALSE(valid(range, "1,2,3"));
}

TEST(ValueSyntax, ListItems) {
    EXPECT_TRUE(list_items("").empty());
    EXPECT_TRUE(list_items("  ").empty());
    EXPECT_EQ(list_items("a, b ,c"), (std::vector<std::string_view>{"a", "b", "c"}));
    EXPECT_EQ(list_items("a,"), (std::vector<std::string_view>{"a", ""}));
}

TEST(ValueSyntax, NullValuesAndValueTypes) {
    EXPECT_EQ(null_value(BaseType::String), "");
    EXPECT_EQ(null_value(BaseType::UnsignedInt), "0");
    EXPECT_EQ(null_value(BaseType::Long), "0");
    EXPECT_EQ(null_value(BaseType::Boolean), "false");
    EXPECT_EQ(null_value(BaseType::DateTime), "0001-01-01T00:00:00Z");
    EXPECT_EQ(null_value(BaseType::HexBinary), "");
    Syntax list = of(BaseType::UnsignedInt);
    list.list = true;
    EXPECT_EQ(null_value(list), "");
    EXPECT_EQ(value_type(list), BaseType::String);
    EXPECT_EQ(value_type(of(BaseType::Boolean)), BaseType::Boolean);
}

TEST(ValueSyntax, CheckPattern) {
    EXPECT_FALSE(check_pattern("[0-9A-F]{6}"));
    EXPECT_TRUE(check_pattern("\\i\\c*"));
    EXPECT_TRUE(check_pattern("(unclosed"));
    EXPECT_TRUE(check_pattern("(?i)abc"));
    EXPECT_TRUE(check_pattern("a*+"));
    EXPECT_FALSE(check_pattern("([0-9]{1,15}?[BKMGT])"));
}

TEST(ValueSyntax, TypeNames) {
    for (const BaseType type : {BaseType::String, BaseType::UnsignedInt, BaseType::Int,
                                BaseType::UnsignedLong, BaseType::Long, BaseType::Boolean,
                                BaseType::DateTime, BaseType::Base64, BaseType::HexBinary}) {
        EXPECT_EQ(base_type_from_string(to_string(type)), type);
    }
    EXPECT_EQ(to_string(BaseType::UnsignedInt), "unsignedInt");
    EXPECT_FALSE(base_type_from_string("decimal"));
    EXPECT_EQ(to_string(ErrorCode::NotWritable), "NotWritable");
}

}  // namespace
}  // namespace datamodel
