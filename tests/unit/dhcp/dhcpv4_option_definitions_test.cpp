#include "dhcp/dhcpv4_option_definitions.hpp"

#include <gtest/gtest.h>

#include "dhcp/classless_static_routes.hpp"
#include "dhcp/dns_name_list.hpp"
#include "packet_bytes.hpp"

namespace agent::dhcp {
namespace {

using dhcp_test::hex;

TEST(Dhcpv4OptionDefinitions, CoverTheOptionsTheAgentUses) {
    for (std::uint8_t code : {1,  2,  3,  6,  12, 15, 42,  43,  50,  51,  53,  54,
                              55, 58, 59, 60, 61, 66, 119, 121, 125, 150, 159, 160}) {
        const auto* definition = find_dhcpv4_option_definition(code);
        ASSERT_NE(definition, nullptr) << int(code);
        EXPECT_EQ(definition->code, code);
        EXPECT_FALSE(definition->name.empty());
        EXPECT_LE(definition->min_length, definition->max_length);
    }
    EXPECT_EQ(find_dhcpv4_option_definition(224), nullptr);
    EXPECT_EQ(find_dhcpv4_option_definition(6)->name, "domain-name-servers");
    EXPECT_EQ(find_dhcpv4_option_definition(121)->type, Dhcpv4OptionType::ClasslessRoutes);
}

TEST(Dhcpv4OptionDefinitions, EachCodeAppearsOnce) {
    auto table = dhcpv4_option_definitions();
    for (std::size_t i = 0; i < table.size(); ++i) {
        for (std::size_t j = i + 1; j < table.size(); ++j) {
            EXPECT_NE(table[i].code, table[j].code) << table[i].name;
        }
    }
}

TEST(Dhcpv4OptionDefinitions, CheckLengthsByType) {
    EXPECT_TRUE(validate_dhcpv4_option(1, hex("ffffff00")));
    EXPECT_FALSE(validate_dhcpv4_option(1, hex("ffffff")));
    EXPECT_FALSE(validate_dhcpv4_option(51, hex("0000000000")));
    EXPECT_TRUE(validate_dhcpv4_option(6, hex("01020304 05060708")));
    EXPECT_FALSE(validate_dhcpv4_option(6, hex("01020304 0506")));
    EXPECT_FALSE(validate_dhcpv4_option(3, {}));
    EXPECT_TRUE(validate_dhcpv4_option(150, hex("0a000001")));
    EXPECT_FALSE(validate_dhcpv4_option(61, hex("01")));
    EXPECT_TRUE(validate_dhcpv4_option(61, hex("01 020000000001")));
    EXPECT_TRUE(validate_dhcpv4_option(224, {}));  // unknown: opaque

    auto error = validate_dhcpv4_option(54, hex("0a00"));
    ASSERT_FALSE(error);
    EXPECT_EQ(error.error().message,
              "option 54 (dhcp-server-identifier) has 2 bytes: expected exactly 4");
}

TEST(Dhcpv4OptionDefinitions, CheckTextOptions) {
    EXPECT_TRUE(validate_dhcpv4_option(15, dhcp_test::text_bytes("example.test")));
    EXPECT_TRUE(validate_dhcpv4_option(66, hex("7466747000")));  // "tftp" + NUL
    EXPECT_FALSE(validate_dhcpv4_option(15, hex("61 00 62")));   // NUL inside
    EXPECT_FALSE(validate_dhcpv4_option(160, hex("00 00")));
}

TEST(DnsNameList, DecodesTheRfc3397CompressionExample) {
    // RFC 3397 §2: "eng.apple.com." and "marketing.apple.com.", the second
    // pointing at "apple.com" inside the first.
    auto data =
        hex("03 656e67 05 6170706c65 03 636f6d 00"  // eng.apple.com
            " 09 6d61726b6574696e67 c0 04");        // marketing + pointer to offset 4
    auto names = decode_dns_name_list(data, DnsNameCompression::Allowed);
    ASSERT_TRUE(names) << names.error().message;
    EXPECT_EQ(*names, (std::vector<std::string>{"eng.apple.com", "marketing.apple.com"}));
    EXPECT_TRUE(validate_dhcpv4_option(119, data));

    auto forbidden = decode_dns_name_list(data, DnsNameCompression::Forbidden);
    ASSERT_FALSE(forbidden);
    EXPECT_NE(forbidden.error().message.find("compression"), std::string::npos);
}

TEST(DnsNameList, RefusesLoopsForwardPointersAndBadLabels) {
    EXPECT_FALSE(decode_dns_name_list(hex("c0 00"), DnsNameCompression::Allowed));  // self
    EXPECT_FALSE(decode_dns_name_list(hex("01 61 c0 05 00 00"), DnsNameCompression::Allowed));
    EXPECT_FALSE(decode_dns_name_list(hex("c0"), DnsNameCompression::Allowed));
    EXPECT_FALSE(decode_dns_name_list(hex("05 6162"), DnsNameCompression::Allowed));
    EXPECT_FALSE(decode_dns_name_list(hex("01 61"), DnsNameCompression::Allowed));  // no root
    EXPECT_FALSE(decode_dns_name_list(hex("00"), DnsNameCompression::Allowed));     // root only
    EXPECT_FALSE(decode_dns_name_list(hex("40 00"), DnsNameCompression::Allowed));
    EXPECT_FALSE(decode_dns_name_list(hex("01 2e 00"), DnsNameCompression::Allowed));  // "."
    EXPECT_FALSE(decode_dns_name_list({}, DnsNameCompression::Allowed));
}

TEST(DnsNameList, BoundsNameLengthAndCount) {
    Bytes long_name;
    for (int i = 0; i < 5; ++i) {
        long_name.push_back(63);
        long_name.insert(long_name.end(), 63, 'a');
    }
    long_name.push_back(0);
    auto too_long = decode_dns_name_list(long_name, DnsNameCompression::Forbidden);
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error().kind, DhcpErrorKind::TooLarge);

    Bytes many;
    for (std::size_t i = 0; i <= kMaxDnsNamesInList; ++i) {
        for (auto byte : hex("01 61 00")) many.push_back(byte);
    }
    EXPECT_EQ(decode_dns_name_list(many, DnsNameCompression::Forbidden).error().kind,
              DhcpErrorKind::TooLarge);
}

TEST(DnsNameList, EncodesUncompressed) {
    auto wire = encode_dns_name_list({"example.test", "a.b"});
    ASSERT_TRUE(wire);
    EXPECT_EQ(*wire, hex("07 6578616d706c65 04 74657374 00 01 61 01 62 00"));
    EXPECT_FALSE(encode_dns_name_list({""}));
    EXPECT_FALSE(encode_dns_name_list({"a..b"}));
    EXPECT_FALSE(encode_dns_name_list({std::string(64, 'a')}));
}

TEST(ClasslessStaticRoutes, DecodesTheRfc3442Encodings) {
    // RFC 3442 §2 examples: 0/0 → 10.0.0.1, 10.0.0.0/8 → 10.0.0.2,
    // 10.17.0.0/16 → 10.0.0.3, 10.229.0.128/25 → 10.0.0.4, 10.198.122.47/32 → 10.0.0.5.
    auto data =
        hex("00 0a000001"
            " 08 0a 0a000002"
            " 10 0a11 0a000003"
            " 19 0ae50080 0a000004"
            " 20 0ac67a2f 0a000005");
    auto routes = decode_classless_static_routes(data);
    ASSERT_TRUE(routes) << routes.error().message;
    ASSERT_EQ(routes->size(), 5u);
    EXPECT_EQ((*routes)[0].prefix_length, 0);
    EXPECT_EQ((*routes)[0].router.to_string(), "10.0.0.1");
    EXPECT_EQ((*routes)[2].destination.to_string(), "10.17.0.0");
    EXPECT_EQ((*routes)[3].destination.to_string(), "10.229.0.128");
    EXPECT_EQ((*routes)[3].prefix_length, 25);
    EXPECT_EQ((*routes)[4].destination.to_string(), "10.198.122.47");
    auto wire = encode_classless_static_routes(*routes);
    ASSERT_TRUE(wire);
    EXPECT_EQ(*wire, data);
}

TEST(ClasslessStaticRoutes, RefusesBadWidthsAndCutRoutes) {
    EXPECT_EQ(decode_classless_static_routes(hex("21 0a000000 0a000001")).error().kind,
              DhcpErrorKind::Malformed);
    EXPECT_EQ(decode_classless_static_routes(hex("18 0a0000 0a00")).error().kind,
              DhcpErrorKind::Truncated);
    EXPECT_FALSE(validate_dhcpv4_option(121, hex("18 0a0000 0a00")));
    // Bits past the prefix are masked off.
    auto routes = decode_classless_static_routes(hex("09 0aff 01020304"));
    ASSERT_TRUE(routes);
    EXPECT_EQ((*routes)[0].destination.to_string(), "10.128.0.0");
}

}  // namespace
}  // namespace agent::dhcp
