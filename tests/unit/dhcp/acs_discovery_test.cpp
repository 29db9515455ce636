#include "dhcp/acs_discovery.hpp"

#include <gtest/gtest.h>

#include "dhcp/dhcpv4_client_messages.hpp"
#include "dhcp/dhcpv6_vendor_options.hpp"
#include "packet_bytes.hpp"

namespace agent::dhcp {
namespace {

using dhcp_test::concat;
using dhcp_test::hex;
using dhcp_test::text_bytes;

Bytes suboption(std::uint8_t code, std::string_view value) {
    return concat({Bytes{code, static_cast<std::uint8_t>(value.size())}, text_bytes(value)});
}

Bytes option125(std::uint32_t enterprise, const Bytes& suboptions) {
    return concat(
        {Bytes{static_cast<std::uint8_t>(enterprise >> 24),
               static_cast<std::uint8_t>(enterprise >> 16),
               static_cast<std::uint8_t>(enterprise >> 8), static_cast<std::uint8_t>(enterprise),
               static_cast<std::uint8_t>(suboptions.size())},
         suboptions});
}

TEST(AcsDiscoveryOption43, ReadsEachOfTheFourSubOptions) {
    auto data = concat({suboption(1, "https://acs.example.test:7547/cwmp"), suboption(2, "PC-42"),
                        suboption(3, "30"), suboption(4, "2500")});
    auto discovery = parse_acs_option43(data);
    ASSERT_TRUE(discovery) << discovery.error().message;
    EXPECT_EQ(discovery->source, AcsDiscoverySource::Option43);
    EXPECT_EQ(discovery->url, "https://acs.example.test:7547/cwmp");
    EXPECT_EQ(discovery->provisioning_code, "PC-42");
    EXPECT_EQ(discovery->retry_minimum_wait_interval, 30u);
    EXPECT_EQ(discovery->retry_interval_multiplier, 2500u);
}

TEST(AcsDiscoveryOption43, AcceptsAnyOrderPadAndATrailingEnd) {
    // What dnsmasq sends for `dhcp-option=vendor:dslforum.org,1,...` plus
    // `,2,...`: the sub-options in reverse order and a closing 0xff.
    auto data =
        hex("02 04 434f4445"                               // 2 "CODE"
            " 00"                                          // pad
            " 01 12 687474703a2f2f61637365733a373534372f"  // 1 "http://acses:7547/"
            " ff");                                        // end
    auto discovery = parse_acs_option43(data);
    ASSERT_TRUE(discovery) << discovery.error().message;
    EXPECT_EQ(discovery->url, "http://acses:7547/");
    EXPECT_EQ(discovery->provisioning_code, "CODE");
    EXPECT_FALSE(discovery->retry_minimum_wait_interval);
    EXPECT_FALSE(discovery->retry_interval_multiplier);

    auto reversed =
        concat({suboption(4, "1000"), suboption(3, "65535"), suboption(1, "http://10.0.0.1/")});
    auto second = parse_acs_option43(reversed);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->retry_minimum_wait_interval, 65535u);
    EXPECT_EQ(second->retry_interval_multiplier, 1000u);
}

TEST(AcsDiscoveryOption43, AcceptsABareUrlFillingTheOption) {
    auto discovery = parse_acs_option43(text_bytes("HTTPS://acs.example.test/"));
    ASSERT_TRUE(discovery) << discovery.error().message;
    EXPECT_EQ(discovery->url, "HTTPS://acs.example.test/");
    EXPECT_FALSE(discovery->provisioning_code);

    // NUL-terminated by the server.
    auto terminated = concat({text_bytes("http://[2001:db8::1]:7547/"), Bytes{0}});
    auto second = parse_acs_option43(terminated);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->url, "http://[2001:db8::1]:7547/");
}

TEST(AcsDiscoveryOption43, JoinsARepeatedUrlSubOption) {
    auto data = concat({suboption(1, "http://acs.exa"), suboption(1, "mple.test/")});
    auto discovery = parse_acs_option43(data);
    ASSERT_TRUE(discovery) << discovery.error().message;
    EXPECT_EQ(discovery->url, "http://acs.example.test/");
}

TEST(AcsDiscoveryOption43, RefusesUrlsThatAreNotHttp) {
    for (std::string_view url :
         {"ftp://acs.example.test/", "http://", "http:///path", "http://host:0/",
          "http://host:70000/", "http://host:/", "http://user:pw@host/", "http://[::1/",
          "http://ho st/", "acs.example.test"}) {
        auto discovery = parse_acs_option43(suboption(1, url));
        ASSERT_FALSE(discovery) << url;
        EXPECT_EQ(discovery.error().kind, DhcpErrorKind::Invalid) << url;
        EXPECT_NE(discovery.error().message.find("option 43"), std::string::npos);
    }
    auto control = parse_acs_option43(concat({hex("01 0b"), text_bytes("http://a/\x01x")}));
    EXPECT_FALSE(control);
    std::string long_url = "http://a/" + std::string(250, 'x');
    EXPECT_FALSE(parse_acs_option43(text_bytes(long_url)));
}

TEST(AcsDiscoveryOption43, RefusesNumbersOutOfTheParameterRanges) {
    const auto url = suboption(1, "http://acs/");
    struct Case {
        std::uint8_t code;
        std::string_view value;
    };
    for (const Case& bad :
         {Case{3, "0"}, Case{3, "65536"}, Case{3, "-1"}, Case{3, "12a"}, Case{3, ""},
          Case{4, "999"}, Case{4, "65536"}, Case{4, "99999999999"}, Case{4, " 2000"}}) {
        auto discovery = parse_acs_option43(concat({url, suboption(bad.code, bad.value)}));
        ASSERT_FALSE(discovery) << int(bad.code) << " " << bad.value;
        EXPECT_NE(discovery.error().message.find(bad.code == 3 ? "CWMPRetryMinimumWaitInterval"
                                                               : "CWMPRetryIntervalMultiplier"),
                  std::string::npos)
            << discovery.error().message;
    }
    auto three_bytes = parse_acs_option43(concat({url, hex("03 03 00001e")}));
    ASSERT_FALSE(three_bytes);
    EXPECT_NE(three_bytes.error().message.find("neither decimal text"), std::string::npos)
        << three_bytes.error().message;
    auto code = parse_acs_option43(concat({url, suboption(2, std::string(65, 'c'))}));
    ASSERT_FALSE(code);
    EXPECT_NE(code.error().message.find("provisioning code"), std::string::npos);
}

// dnsmasq sends `vendor:dslforum.org,3,30` as the one byte 0x1e and
// `...,4,2500` as the two bytes 0x09c4.
TEST(AcsDiscoveryOption43, AcceptsNumbersSentAsBinaryIntegers) {
    const auto url = suboption(1, "http://acs/");
    auto discovery = parse_acs_option43(concat({url, hex("03 01 1e  04 02 09c4")}));
    ASSERT_TRUE(discovery) << discovery.error().message;
    EXPECT_EQ(discovery->retry_minimum_wait_interval, 30u);
    EXPECT_EQ(discovery->retry_interval_multiplier, 2500u);
    auto four = parse_acs_option43(concat({url, hex("03 04 0000ffff")}));
    ASSERT_TRUE(four) << four.error().message;
    EXPECT_EQ(four->retry_minimum_wait_interval, 65535u);
    auto zero = parse_acs_option43(concat({url, hex("03 01 00")}));
    ASSERT_FALSE(zero);
    EXPECT_NE(zero.error().message.find("0 is outside 1..65535"), std::string::npos)
        << zero.error().message;
    EXPECT_FALSE(parse_acs_option43(concat({url, hex("04 02 03e7")})));  // 999
}

TEST(AcsDiscoveryOption43, ReportsMissingUrlAndLiesAboutLength) {
    auto no_url = parse_acs_option43(suboption(2, "CODE"));
    ASSERT_FALSE(no_url);
    EXPECT_EQ(no_url.error().kind, DhcpErrorKind::Missing);
    auto nothing = parse_acs_option43(hex("ff"));
    ASSERT_FALSE(nothing);
    EXPECT_EQ(nothing.error().kind, DhcpErrorKind::Missing);
    auto lying = parse_acs_option43(hex("01 20 68747470"));
    ASSERT_FALSE(lying);
    EXPECT_EQ(lying.error().kind, DhcpErrorKind::Truncated);
    EXPECT_NE(lying.error().message.find("sub-option 1 declares 32 bytes"), std::string::npos)
        << lying.error().message;
}

TEST(AcsDiscoveryOption125, ReadsSubOptions11To14AndTheGatewayIdentity) {
    auto data =
        option125(kBroadbandForumEnterprise,
                  concat({suboption(11, "http://acs125/"), suboption(12, "P125"),
                          suboption(13, "10"), suboption(14, "3000"), suboption(4, "00256d"),
                          suboption(5, "GW-SN-1"), suboption(6, "HomeGateway")}));
    auto information = parse_acs_option125(data);
    ASSERT_TRUE(information) << information.error().message;
    ASSERT_TRUE(information->acs);
    EXPECT_EQ(information->acs->source, AcsDiscoverySource::Option125);
    EXPECT_EQ(information->acs->url, "http://acs125/");
    EXPECT_EQ(information->acs->provisioning_code, "P125");
    EXPECT_EQ(information->acs->retry_minimum_wait_interval, 10u);
    EXPECT_EQ(information->acs->retry_interval_multiplier, 3000u);
    ASSERT_TRUE(information->gateway);
    EXPECT_EQ(information->gateway->manufacturer_oui, "00256D");
    EXPECT_EQ(information->gateway->serial_number, "GW-SN-1");
    EXPECT_EQ(information->gateway->product_class, "HomeGateway");
}

TEST(AcsDiscoveryOption125, IgnoresOtherEnterprisesAndTheDeviceSubOptions) {
    // Sub-option 1 of 3561 is the *device's* OUI (Annex F), not a URL.
    auto data = concat({option125(4491, suboption(1, "http://cablelabs/")),
                        option125(kBroadbandForumEnterprise, suboption(1, "00256D"))});
    auto information = parse_acs_option125(data);
    ASSERT_TRUE(information) << information.error().message;
    EXPECT_FALSE(information->acs);
    EXPECT_FALSE(information->gateway);
}

TEST(AcsDiscoveryOption125, MergesBlocksOfOneEnterpriseAndChecksLengths) {
    auto data = concat({option125(kBroadbandForumEnterprise, suboption(11, "http://a/")),
                        option125(kBroadbandForumEnterprise, suboption(12, "X"))});
    auto information = parse_acs_option125(data);
    ASSERT_TRUE(information) << information.error().message;
    ASSERT_TRUE(information->acs);
    EXPECT_EQ(information->acs->provisioning_code, "X");

    EXPECT_EQ(parse_acs_option125(hex("00000de9 05 0b03")).error().kind, DhcpErrorKind::Truncated);
    EXPECT_EQ(parse_acs_option125(hex("00000de9")).error().kind, DhcpErrorKind::Truncated);
    EXPECT_FALSE(parse_acs_option125(option125(kBroadbandForumEnterprise, suboption(4, "XYZ"))));
}

Dhcpv4Message offer_with(std::optional<Bytes> option43, std::optional<Bytes> option125_data) {
    Dhcpv4Message message;
    message.op = kBootReply;
    message.set(53, {2});
    if (option43) message.set(43, *option43);
    if (option125_data) message.set(125, *option125_data);
    return message;
}

TEST(AcsDiscoveryPreference, UsesTheOptionRequestedFirstElse43) {
    auto message =
        offer_with(suboption(1, "http://from43/"),
                   option125(kBroadbandForumEnterprise, suboption(11, "http://from125/")));
    const std::vector<std::uint8_t> prefer_125{1, 3, 125, 43};
    const std::vector<std::uint8_t> prefer_43{1, 43, 125};
    const std::vector<std::uint8_t> only_125{1, 125};
    const std::vector<std::uint8_t> neither{1, 3, 6};

    EXPECT_EQ(discover_acs(message, prefer_125)->acs->url, "http://from125/");
    EXPECT_EQ(discover_acs(message, prefer_43)->acs->url, "http://from43/");
    EXPECT_EQ(discover_acs(message, only_125)->acs->url, "http://from125/");
    auto fallback = discover_acs(message, neither);
    ASSERT_TRUE(fallback);
    EXPECT_EQ(fallback->acs->url, "http://from43/");
    ASSERT_EQ(fallback->ignored.size(), 1u);
    EXPECT_NE(fallback->ignored[0].find("option 125 not used"), std::string::npos);
    EXPECT_EQ(discover_acs(message, kDefaultRequestedDhcpv4Options)->acs->url, "http://from43/");
}

TEST(AcsDiscoveryPreference, FallsBackWhenThePreferredOptionIsUnusable) {
    auto message = offer_with(suboption(1, "ftp://bad/"),
                              option125(kBroadbandForumEnterprise, suboption(11, "http://ok/")));
    auto information = discover_acs(message, kDefaultRequestedDhcpv4Options);
    ASSERT_TRUE(information) << information.error().message;
    EXPECT_EQ(information->acs->url, "http://ok/");
    ASSERT_EQ(information->ignored.size(), 1u);
    EXPECT_NE(information->ignored[0].find("ftp://bad/"), std::string::npos);

    auto both_bad = offer_with(suboption(1, "ftp://bad/"),
                               option125(kBroadbandForumEnterprise, suboption(11, "gopher://x/")));
    auto failed = discover_acs(both_bad, kDefaultRequestedDhcpv4Options);
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("ftp://bad/"), std::string::npos);
    EXPECT_NE(failed.error().message.find("gopher://x/"), std::string::npos);
}

TEST(AcsDiscoveryPreference, ReportsNothingWhenNoAcsOptionArrived) {
    auto information = discover_acs(offer_with(std::nullopt, std::nullopt), {});
    ASSERT_TRUE(information);
    EXPECT_FALSE(information->acs);
    EXPECT_FALSE(information->gateway);
    EXPECT_TRUE(information->ignored.empty());

    // Option 125 with only the gateway identity: identity kept, no ACS.
    auto gateway_only = discover_acs(
        offer_with(std::nullopt, option125(kBroadbandForumEnterprise, suboption(5, "SN"))), {});
    ASSERT_TRUE(gateway_only);
    EXPECT_FALSE(gateway_only->acs);
    ASSERT_TRUE(gateway_only->gateway);
    EXPECT_EQ(gateway_only->gateway->serial_number, "SN");
}

Dhcpv6Message reply_with_vendor_options(std::uint32_t enterprise,
                                        std::vector<Dhcpv6Option> suboptions) {
    Dhcpv6Message message;
    message.type = Dhcpv6MessageType::Reply;
    auto data =
        encode_dhcpv6_vendor_options(Dhcpv6VendorOptions{enterprise, std::move(suboptions)});
    message.options.push_back(Dhcpv6Option{dhcpv6_option::kVendorOptions, *data});
    return message;
}

TEST(AcsDiscoveryDhcpv6, ReadsOption17SubOptions1To4) {
    auto message = reply_with_vendor_options(
        kBroadbandForumEnterprise,
        {Dhcpv6Option{4, text_bytes("2000")}, Dhcpv6Option{1, text_bytes("https://acs6/")},
         Dhcpv6Option{2, text_bytes("V6")}, Dhcpv6Option{3, text_bytes("5")},
         Dhcpv6Option{11, text_bytes("device OUI, Annex F")}});
    auto discovery = parse_acs_dhcpv6(message);
    ASSERT_TRUE(discovery) << discovery.error().message;
    ASSERT_TRUE(*discovery);
    EXPECT_EQ((*discovery)->source, AcsDiscoverySource::Dhcpv6Option17);
    EXPECT_EQ((*discovery)->url, "https://acs6/");
    EXPECT_EQ((*discovery)->provisioning_code, "V6");
    EXPECT_EQ((*discovery)->retry_minimum_wait_interval, 5u);
    EXPECT_EQ((*discovery)->retry_interval_multiplier, 2000u);
}

TEST(AcsDiscoveryDhcpv6, SkipsOtherEnterprisesAndChecksValues) {
    auto other = reply_with_vendor_options(9, {Dhcpv6Option{1, text_bytes("http://x/")}});
    auto none = parse_acs_dhcpv6(other);
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);

    auto bad = reply_with_vendor_options(
        kBroadbandForumEnterprise,
        {Dhcpv6Option{1, text_bytes("http://x/")}, Dhcpv6Option{4, text_bytes("1")}});
    auto refused = parse_acs_dhcpv6(bad);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("DHCPv6 option 17"), std::string::npos);

    Dhcpv6Message truncated;
    truncated.options.push_back(Dhcpv6Option{17, hex("00000de9 0001 0010 6874")});
    EXPECT_EQ(parse_acs_dhcpv6(truncated).error().kind, DhcpErrorKind::Truncated);
}

}  // namespace
}  // namespace agent::dhcp
