#include "network/static_ipv4.hpp"

#include <gtest/gtest.h>

namespace agent::network {
namespace {

TEST(StaticIpv4, ContiguousMasksGiveTheirPrefix) {
    EXPECT_EQ(prefix_from_subnet_mask("255.255.255.0").value(), 24);
    EXPECT_EQ(prefix_from_subnet_mask("255.255.255.255").value(), 32);
    EXPECT_EQ(prefix_from_subnet_mask("128.0.0.0").value(), 1);
    EXPECT_EQ(prefix_from_subnet_mask("255.255.240.0").value(), 20);
    EXPECT_EQ(subnet_mask_from_prefix(20), "255.255.240.0");
    EXPECT_EQ(subnet_mask_from_prefix(32), "255.255.255.255");
}

TEST(StaticIpv4, NonContiguousOrEmptyMasksAreRefusedWithTheirValue) {
    for (const char* bad : {"255.0.255.0", "0.0.0.0", "255.255.255.1", "", "255.255.255"}) {
        auto prefix = prefix_from_subnet_mask(bad);
        ASSERT_FALSE(prefix) << bad;
        EXPECT_NE(prefix.error().find("subnet mask"), std::string::npos) << prefix.error();
    }
}

TEST(StaticIpv4, HostAddressesAreAccepted) {
    auto parsed = parse_static_ipv4("192.0.2.10", "255.255.255.0");
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(to_string(*parsed), "192.0.2.10/24");
    EXPECT_TRUE(parse_static_ipv4("10.0.0.0", "255.255.255.254"));  // /31: both usable
}

TEST(StaticIpv4, NetworkBroadcastAndSpecialAddressesAreRefused) {
    EXPECT_NE(parse_static_ipv4("192.0.2.0", "255.255.255.0").error().find("network address"),
              std::string::npos);
    EXPECT_NE(parse_static_ipv4("192.0.2.255", "255.255.255.0").error().find("broadcast"),
              std::string::npos);
    for (const char* bad : {"0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255", "192.0.2.300",
                            "host.example", ""}) {
        auto parsed = parse_static_ipv4(bad, "255.0.0.0");
        ASSERT_FALSE(parsed) << bad;
        EXPECT_NE(parsed.error().find("IP address"), std::string::npos) << parsed.error();
    }
}

TEST(StaticIpv4, GatewayMustBeAnotherHostOfTheSubnet) {
    const auto on = parse_static_ipv4("192.0.2.10", "255.255.255.0").value();
    EXPECT_EQ(parse_ipv4_gateway("192.0.2.1", on).value().to_string(), "192.0.2.1");
    EXPECT_FALSE(parse_ipv4_gateway("198.51.100.1", on));
    EXPECT_FALSE(parse_ipv4_gateway("192.0.2.10", on));
    EXPECT_FALSE(parse_ipv4_gateway("gateway", on));
}

}  // namespace
}  // namespace agent::network
