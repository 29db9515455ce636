#include <gtest/gtest.h>

#include "http/request_target.hpp"

namespace agent::http {
namespace {

using boost::asio::ip::make_address;

TEST(RequestTarget, HostNameWithDefaultPort) {
    const auto target = parse_request_target("http://acs.example.com/cwmp");
    ASSERT_TRUE(target) << target.error();
    EXPECT_EQ(target->scheme, "http");
    EXPECT_EQ(target->host, "acs.example.com");
    EXPECT_EQ(target->port, 80u);
    EXPECT_FALSE(target->ip_literal);
}

TEST(RequestTarget, HttpsWithExplicitPort) {
    const auto target = parse_request_target("https://acs.example.com:8443/cwmp");
    ASSERT_TRUE(target) << target.error();
    EXPECT_EQ(target->scheme, "https");
    EXPECT_EQ(target->port, 8443u);

    const auto default_port = parse_request_target("https://acs.example.com/");
    ASSERT_TRUE(default_port);
    EXPECT_EQ(default_port->port, 443u);
}

TEST(RequestTarget, IpLiterals) {
    const auto v4 = parse_request_target("http://192.0.2.10:7547/acs");
    ASSERT_TRUE(v4) << v4.error();
    EXPECT_TRUE(v4->ip_literal);
    EXPECT_EQ(v4->host, "192.0.2.10");

    const auto v6 = parse_request_target("http://[2001:db8::10]:7547/acs");
    ASSERT_TRUE(v6) << v6.error();
    EXPECT_TRUE(v6->ip_literal);
    EXPECT_EQ(v6->host, "2001:db8::10");
    EXPECT_EQ(v6->port, 7547u);
}

TEST(RequestTarget, RejectsWhatIsNotHttp) {
    for (const char* url : {"ftp://acs.example.com/", "acs.example.com/cwmp", "http://",
                            "http://[2001:db8::10/acs", ""}) {
        const auto target = parse_request_target(url);
        ASSERT_FALSE(target) << url;
        EXPECT_NE(target.error().find(std::string("\"") + url + "\""), std::string::npos)
            << target.error();
    }
}

TEST(RequestTarget, ResolveEntryListsAddressesWithIpv6InBrackets) {
    const auto target = parse_request_target("http://acs.example.com:7547/acs");
    ASSERT_TRUE(target);
    EXPECT_EQ(resolve_entry(*target, {make_address("192.0.2.1"), make_address("2001:db8::1")}),
              "acs.example.com:7547:192.0.2.1,[2001:db8::1]");
}

TEST(RequestTarget, ResolveEntrySkipsScopedAddresses) {
    const auto target = parse_request_target("http://acs.example.com/acs");
    ASSERT_TRUE(target);
    auto scoped = make_address("fe80::1").to_v6();
    scoped.scope_id(2);
    EXPECT_EQ(resolve_entry(*target, {boost::asio::ip::address(scoped), make_address("192.0.2.1")}),
              "acs.example.com:80:192.0.2.1");
    EXPECT_EQ(resolve_entry(*target, {boost::asio::ip::address(scoped)}), "");
    EXPECT_EQ(resolve_entry(*target, {}), "");
}

}  // namespace
}  // namespace agent::http
