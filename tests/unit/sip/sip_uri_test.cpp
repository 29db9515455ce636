#include "sip/sip_uri.hpp"

#include <gtest/gtest.h>

namespace agent::sip {
namespace {

TEST(SipUri, ParsesEveryPart) {
    auto uri = parse_sip_uri(
        "sips:alice%40home@Atlanta.Example.com:5061;transport=TLS;lr;"
        "maddr=[2001:db8::1]?subject=project%20x&priority=urgent");
    ASSERT_TRUE(uri.has_value()) << uri.error();
    EXPECT_TRUE(uri->secure);
    EXPECT_EQ(uri->user, "alice%40home");
    EXPECT_EQ(uri->host, "Atlanta.Example.com");
    EXPECT_EQ(uri->port, 5061);
    EXPECT_EQ(uri->transport(), "tls");
    EXPECT_TRUE(uri->loose_routing());
    EXPECT_EQ(find_parameter(uri->parameters, "maddr")->value, "[2001:db8::1]");
    ASSERT_EQ(uri->headers.size(), 2u);
    EXPECT_EQ(uri->headers[0], (SipUriHeader{"subject", "project%20x"}));
    EXPECT_EQ(uri->headers[1], (SipUriHeader{"priority", "urgent"}));
    EXPECT_EQ(format_sip_uri(*uri),
              "sips:alice%40home@Atlanta.Example.com:5061;transport=TLS;lr;maddr=[2001:db8::1]"
              "?subject=project%20x&priority=urgent");
}

TEST(SipUri, HostForms) {
    auto ipv4 = parse_sip_uri("sip:192.0.2.4");
    ASSERT_TRUE(ipv4.has_value());
    EXPECT_EQ(ipv4->host, "192.0.2.4");
    EXPECT_FALSE(ipv4->port.has_value());
    EXPECT_TRUE(ipv4->user.empty());

    auto ipv6 = parse_sip_uri("SIP:bob@[2001:db8::5]:5070");
    ASSERT_TRUE(ipv6.has_value());
    EXPECT_FALSE(ipv6->secure);
    EXPECT_TRUE(ipv6->host_is_ipv6);
    EXPECT_EQ(ipv6->host, "2001:db8::5");
    EXPECT_EQ(ipv6->host_port(), "[2001:db8::5]:5070");

    auto user_with_semicolon =
        parse_sip_uri("sip:+1-212-555-1212;phone-context=x@gw.example.com;user=phone");
    ASSERT_TRUE(user_with_semicolon.has_value()) << user_with_semicolon.error();
    EXPECT_EQ(user_with_semicolon->user, "+1-212-555-1212;phone-context=x");
    EXPECT_EQ(find_parameter(user_with_semicolon->parameters, "user")->value, "phone");
}

TEST(SipUri, PasswordIsDroppedNeverKept) {
    auto uri = parse_sip_uri("sip:alice:secretword@example.com");
    ASSERT_TRUE(uri.has_value());
    EXPECT_EQ(uri->user, "alice");
    EXPECT_EQ(format_sip_uri(*uri).find("secretword"), std::string::npos);
}

TEST(SipUri, RejectsMalformed) {
    for (const char* text : {
             "",
             "sip:",
             "http://example.com",
             "sip:@example.com",
             "sip:alice@",
             "sip:[::1",
             "sip:[::1]x",
             "sip:[not-v6]",
             "sip:host:0",
             "sip:host:65536",
             "sip:host:5o60",
             "sip:ho st",
             "sip:-bad.example.com",
             "sip:bad-.example.com",
             "sip:a..b",
             "sip:300.1.1.1",
             "sip:host;=x",
             "sip:host;a=",
             "sip:host;a=b c",
             "sip:host?x",
             "sip:host?=v",
             "sip:al%zzice@host",
             "sip:host;p=%4",
             "sip:al<ice@host",
         }) {
        EXPECT_FALSE(parse_sip_uri(text).has_value()) << text;
    }
}

TEST(SipUri, TooManyParameters) {
    std::string text = "sip:host";
    for (int i = 0; i < 40; ++i) text += ";p" + std::to_string(i);
    auto uri = parse_sip_uri(text, 32);
    ASSERT_FALSE(uri.has_value());
    EXPECT_NE(uri.error().find("more than 32"), std::string::npos);
}

TEST(SipUri, CheckUriAcceptsOtherSchemes) {
    EXPECT_TRUE(check_uri("tel:+1-201-555-0123").has_value());
    EXPECT_TRUE(check_uri("urn:service:sos").has_value());
    EXPECT_FALSE(check_uri("tel:").has_value());
    EXPECT_FALSE(check_uri("1tel:x").has_value());
    EXPECT_FALSE(check_uri("tel:+1 201").has_value());
    EXPECT_FALSE(check_uri("sip:bad host").has_value());
}

}  // namespace
}  // namespace agent::sip
