// Name-addr, Via, CSeq, header parameters and the text helpers under them.
#include <gtest/gtest.h>

#include "sip/cseq.hpp"
#include "sip/header_names.hpp"
#include "sip/header_parameters.hpp"
#include "sip/name_address.hpp"
#include "sip/sip_text.hpp"
#include "sip/via.hpp"

namespace agent::sip {
namespace {

TEST(NameAddress, QuotedDisplayNameWithEscapes) {
    auto address = parse_name_address(
        R"("Alice \"Al\" O'Neil, Esq." <sip:alice@example.com;transport=tcp>;tag=88sja8x;q=0.7)");
    ASSERT_TRUE(address.has_value()) << address.error();
    EXPECT_EQ(address->display_name, "Alice \"Al\" O'Neil, Esq.");
    EXPECT_EQ(address->uri, "sip:alice@example.com;transport=tcp");
    EXPECT_EQ(address->tag(), "88sja8x");
    EXPECT_EQ(find_parameter(address->parameters, "Q")->value, "0.7");
    // The formatter re-quotes and keeps URI parameters inside the brackets.
    EXPECT_EQ(
        format_name_address(*address),
        R"("Alice \"Al\" O'Neil, Esq." <sip:alice@example.com;transport=tcp>;tag=88sja8x;q=0.7)");
}

TEST(NameAddress, TokenDisplayNameAndAddrSpec) {
    auto tokens = parse_name_address("Bob  Smith <sips:bob@biloxi.example.com>");
    ASSERT_TRUE(tokens.has_value());
    EXPECT_EQ(tokens->display_name, "Bob  Smith");
    // addr-spec: the first ';' starts the header parameters.
    auto bare = parse_name_address("sip:carol@chicago.example.com;tag=xyz");
    ASSERT_TRUE(bare.has_value());
    EXPECT_EQ(bare->uri, "sip:carol@chicago.example.com");
    EXPECT_EQ(bare->tag(), "xyz");
    auto tel = parse_name_address("<tel:+12015550123>;tag=t");
    ASSERT_TRUE(tel.has_value());
    EXPECT_EQ(tel->uri, "tel:+12015550123");
    // UTF-8 display names are kept as bytes.
    auto utf8 = parse_name_address("J\xC3\xBCrgen <sip:j@example.com>");
    ASSERT_TRUE(utf8.has_value());
    EXPECT_EQ(utf8->display_name, "J\xC3\xBCrgen");
}

TEST(NameAddress, RejectsMalformed) {
    for (const char* text : {"", "<>", "<sip:a@example.com", "\"open <sip:a@example.com>",
                             "\"name\" sip:a@example.com", "Bad@Name <sip:a@example.com>",
                             "\"n\" junk <sip:a@example.com>", "<sip:a@example.com>;tag=",
                             "<sip:a@example.com> tag=1", "<sip:a@bad_host>", "<nourischeme>"}) {
        EXPECT_FALSE(parse_name_address(text).has_value()) << text;
    }
}

TEST(Via, ParsesTransportSentByAndParameters) {
    auto via = parse_via(
        "SIP / 2.0 / tcp Client.Example.COM:5090 ;branch=z9hG4bK87asdks7 ;received=192.0.2.1;"
        "rport=7070;maddr=224.2.0.1;ttl=16;alias");
    ASSERT_TRUE(via.has_value()) << via.error();
    EXPECT_EQ(via->transport, "TCP");
    EXPECT_EQ(via->host, "Client.Example.COM");
    EXPECT_EQ(via->port, 5090);
    EXPECT_EQ(via->branch(), "z9hG4bK87asdks7");
    EXPECT_TRUE(via->has_rfc3261_branch());
    EXPECT_EQ(via->sent_by(), "client.example.com:5090");
    EXPECT_TRUE(via->has_rport());
    EXPECT_EQ(find_parameter(via->parameters, "alias")->value, std::nullopt);
    EXPECT_EQ(format_via(*via),
              "SIP/2.0/TCP Client.Example.COM:5090;branch=z9hG4bK87asdks7;received=192.0.2.1;"
              "rport=7070;maddr=224.2.0.1;ttl=16;alias");
}

TEST(Via, Rfc2543BranchAndIpv6) {
    auto old = parse_via("SIP/2.0/UDP 192.0.2.7;branch=1234");
    ASSERT_TRUE(old.has_value());
    EXPECT_FALSE(old->has_rfc3261_branch());
    auto cookie_only = parse_via("SIP/2.0/UDP 192.0.2.7;branch=z9hG4bK");
    ASSERT_TRUE(cookie_only.has_value());
    EXPECT_FALSE(cookie_only->has_rfc3261_branch());
    auto v6 = parse_via("SIP/2.0/UDP [2001:DB8::1];received=[2001:db8::2];branch=z9hG4bKa");
    ASSERT_TRUE(v6.has_value()) << v6.error();
    EXPECT_EQ(v6->sent_by(), "[2001:db8::1]");
    EXPECT_FALSE(v6->port.has_value());
}

TEST(Via, RejectsMalformed) {
    for (const char* text : {
             "",
             "SIP/2.0/UDP",
             "SIP/2.0/UDP ",
             "SIPS/2.0/UDP host",
             "SIP/2.0 host",
             "SIP/2.0/UDPhost",
             "SIP/2.0/UDP host:",
             "SIP/2.0/UDP host:70000",
             "SIP/2.0/UDP [::1",
             "SIP/2.0/UDP [zz::1]",
             "SIP/2.0/UDP host;branch",
             "SIP/2.0/UDP host;branch=a\"b",
             "SIP/2.0/UDP host;received",
             "SIP/2.0/UDP host;rport=x",
             "SIP/2.0/UDP host;ttl=300",
             "SIP/2.0/UDP host;maddr=a_b",
             "SIP/2.0/UDP host junk",
             "SIP/2.0/UDP 1.2.3.4.5",
         }) {
        EXPECT_FALSE(parse_via(text).has_value()) << text;
    }
}

TEST(CSeq, ParsesAndFormats) {
    auto cseq = parse_cseq("  4711   INVITE ");
    ASSERT_TRUE(cseq.has_value());
    EXPECT_EQ(cseq->number, 4711u);
    EXPECT_EQ(cseq->method, "INVITE");
    EXPECT_EQ(format_cseq(*cseq), "4711 INVITE");
    EXPECT_TRUE(parse_cseq("2147483647 BYE").has_value());
    for (const char* text : {"", "INVITE", "1", "1INVITE", "-1 INVITE", "2147483648 INVITE",
                             "1 INV ITE", "99999999999999999999 INVITE"}) {
        EXPECT_FALSE(parse_cseq(text).has_value()) << text;
    }
}

TEST(HeaderParameters, ParsesFlagsTokensAndQuotedValues) {
    auto parameters = parse_header_parameters(" ; a = 1 ;B;c=\"x;y,z\";d=[::1]", 8);
    ASSERT_TRUE(parameters.has_value()) << parameters.error();
    ASSERT_EQ(parameters->size(), 4u);
    EXPECT_EQ(find_parameter(*parameters, "A")->value, "1");
    EXPECT_EQ(find_parameter(*parameters, "b")->value, std::nullopt);
    EXPECT_EQ(find_parameter(*parameters, "c")->value, "\"x;y,z\"");
    EXPECT_EQ(format_header_parameters(*parameters), ";a=1;B;c=\"x;y,z\";d=[::1]");
    set_parameter(*parameters, "b", "2");
    set_parameter(*parameters, "tag", "t");
    EXPECT_EQ(format_header_parameters(*parameters), ";a=1;B=2;c=\"x;y,z\";d=[::1];tag=t");
    for (const char* text : {"a", ";", ";=1", ";a=", ";a=\"open", ";a=1 b"}) {
        EXPECT_FALSE(parse_header_parameters(text, 8).has_value()) << text;
    }
    EXPECT_FALSE(parse_header_parameters(";a;b;c", 2).has_value());
}

TEST(HeaderNames, CompactAndCanonicalForms) {
    EXPECT_EQ(canonical_header_name("v"), "Via");
    EXPECT_EQ(canonical_header_name("I"), "Call-ID");
    EXPECT_EQ(canonical_header_name("l"), "Content-Length");
    EXPECT_EQ(canonical_header_name("x"), "Session-Expires");
    EXPECT_EQ(canonical_header_name("www-authenticate"), "WWW-Authenticate");
    EXPECT_EQ(canonical_header_name("cseq"), "CSeq");
    EXPECT_EQ(canonical_header_name("X-Custom-Thing"), "X-Custom-Thing");
    EXPECT_EQ(canonical_header_name("q"), "q");  // no compact form
    EXPECT_TRUE(is_list_header("Record-Route"));
    EXPECT_TRUE(is_list_header("via"));
    EXPECT_FALSE(is_list_header("Authorization"));
    EXPECT_FALSE(is_list_header("WWW-Authenticate"));
    EXPECT_FALSE(is_list_header("From"));
}

TEST(SipText, SplitHeaderList) {
    auto items = split_header_list(
        R"("Doe, John" <sip:j@example.com;x=a,b>, <sip:k@example.com> , sip:l@example.com)", 8);
    ASSERT_TRUE(items.has_value()) << items.error();
    ASSERT_EQ(items->size(), 3u);
    EXPECT_EQ((*items)[0], R"("Doe, John" <sip:j@example.com;x=a,b>)");
    EXPECT_EQ((*items)[2], "sip:l@example.com");
    EXPECT_FALSE(split_header_list("a, \"open", 8).has_value());
    EXPECT_FALSE(split_header_list("<a, b", 8).has_value());
    EXPECT_FALSE(split_header_list("a>, b", 8).has_value());
    EXPECT_FALSE(split_header_list("a,", 8).has_value());
    EXPECT_FALSE(split_header_list("a,b,c", 2).has_value());
    auto escaped = split_header_list(R"("a\", b" <sip:x@y>)", 8);
    ASSERT_TRUE(escaped.has_value());
    EXPECT_EQ(escaped->size(), 1u);
}

TEST(SipText, DecimalAndAddresses) {
    EXPECT_EQ(parse_decimal("0", 10), 0u);
    EXPECT_EQ(parse_decimal("10", 10), 10u);
    EXPECT_FALSE(parse_decimal("11", 10).has_value());
    EXPECT_FALSE(parse_decimal("", 10).has_value());
    EXPECT_FALSE(parse_decimal("+1", 10).has_value());
    EXPECT_FALSE(parse_decimal("18446744073709551616", UINT64_MAX).has_value());
    EXPECT_TRUE(is_ipv4_address("192.0.2.1"));
    EXPECT_FALSE(is_ipv4_address("192.0.2"));
    EXPECT_TRUE(is_ipv6_address("::ffff:192.0.2.1"));
    EXPECT_FALSE(is_ipv6_address(std::string(100, ':')));
    EXPECT_TRUE(is_hostname("pbx.example.com."));
    EXPECT_FALSE(is_hostname(std::string(64, 'a') + ".com"));
    EXPECT_TRUE(escapes_are_valid("a%20b"));
    EXPECT_FALSE(escapes_are_valid("a%2"));
    EXPECT_FALSE(escapes_are_valid("a%"));
}

}  // namespace
}  // namespace agent::sip
