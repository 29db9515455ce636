// A DHCPOFFER and DHCPACK captured from dnsmasq 2.90 (an independent server)
// by tests/fuzz/dhcp_capture_dnsmasq.py, configured as DESIGN.md §6 says:
// option 43 sub-options 1-4 for vendor class dslforum.org, option 125
// enterprise 3561 sub-option 11, NTP, domain search and a classless route.
// dnsmasq sends the option 43 sub-options in reverse order, numbers as
// binary integers, ends option 43 with 0xff and compresses option 119.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "dhcp/acs_discovery.hpp"
#include "dhcp/dhcpv4_client_messages.hpp"
#include "dhcp/dhcpv4_codec.hpp"
#include "dhcp/dhcpv4_lease.hpp"
#include "dhcp/dhcpv4_option_definitions.hpp"

namespace agent::dhcp {
namespace {

Dhcpv4Message captured(const char* name) {
    const auto path = std::filesystem::path(DHCP_FUZZ_CORPUS_ROOT) / "dhcpv4" / name;
    std::ifstream file(path, std::ios::binary);
    EXPECT_TRUE(file) << "missing capture " << path;
    Bytes bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    auto message = decode_dhcpv4(bytes);
    EXPECT_TRUE(message) << name << ": " << message.error().message;
    return *message;
}

TEST(DnsmasqCapture, EveryOptionPassesItsDefinition) {
    for (const char* name : {"dnsmasq_offer.bin", "dnsmasq_ack.bin"}) {
        const auto message = captured(name);
        EXPECT_EQ(message.options.size(), 14u) << name;
        for (const auto& option : message.options) {
            auto valid = validate_dhcpv4_option(option.code, option.data);
            EXPECT_TRUE(valid) << name << ": " << valid.error().message;
        }
    }
}

TEST(DnsmasqCapture, OfferAndAckGiveTheConfiguredLease) {
    const auto offer = captured("dnsmasq_offer.bin");
    const auto ack = captured("dnsmasq_ack.bin");
    EXPECT_EQ(offer.message_type_code(), 2);
    EXPECT_EQ(ack.message_type_code(), 5);
    EXPECT_EQ(offer.xid, ack.xid);

    auto lease = lease_from_dhcpv4_reply(ack);
    ASSERT_TRUE(lease) << lease.error().message;
    const auto address = lease->address.to_uint();
    EXPECT_GE(address, boost::asio::ip::make_address_v4("10.231.0.100").to_uint());
    EXPECT_LE(address, boost::asio::ip::make_address_v4("10.231.0.150").to_uint());
    EXPECT_EQ(lease->address, offer.yiaddr);
    EXPECT_EQ(lease->subnet_mask.to_string(), "255.255.255.0");
    EXPECT_EQ(lease->server_identifier.to_string(), "10.231.0.1");
    ASSERT_EQ(lease->routers.size(), 1u);
    EXPECT_EQ(lease->routers[0].to_string(), "10.231.0.1");
    ASSERT_EQ(lease->ntp_servers.size(), 1u);
    EXPECT_EQ(lease->lease_time, 3600u);
    EXPECT_EQ(lease->renewal_time, 1800u);
    EXPECT_EQ(lease->rebinding_time, 3150u);
    EXPECT_EQ(lease->domain_search,
              (std::vector<std::string>{"example.test", "voice.example.test"}));
    ASSERT_EQ(lease->classless_routes.size(), 1u);
    EXPECT_EQ(lease->classless_routes[0].destination.to_string(), "10.0.0.0");
    EXPECT_EQ(lease->classless_routes[0].prefix_length, 8);
    EXPECT_EQ(lease->classless_routes[0].router.to_string(), "10.231.0.254");
    EXPECT_TRUE(lease->ignored.empty());
}

TEST(DnsmasqCapture, AcsDiscoveryFollowsThePreferenceRule) {
    const auto ack = captured("dnsmasq_ack.bin");
    auto from_43 = discover_acs(ack, kDefaultRequestedDhcpv4Options);
    ASSERT_TRUE(from_43) << from_43.error().message;
    ASSERT_TRUE(from_43->acs);
    EXPECT_EQ(from_43->acs->source, AcsDiscoverySource::Option43);
    EXPECT_EQ(from_43->acs->url, "http://10.231.0.1:7547/");
    EXPECT_EQ(from_43->acs->provisioning_code, "CAPTURED");
    EXPECT_EQ(from_43->acs->retry_minimum_wait_interval, 30u);
    EXPECT_EQ(from_43->acs->retry_interval_multiplier, 2500u);

    const std::vector<std::uint8_t> prefer_125{1, 3, 6, 125, 43};
    auto from_125 = discover_acs(ack, prefer_125);
    ASSERT_TRUE(from_125 && from_125->acs);
    EXPECT_EQ(from_125->acs->source, AcsDiscoverySource::Option125);
    EXPECT_EQ(from_125->acs->url, "http://10.231.0.1:7548/");
    EXPECT_FALSE(from_125->acs->provisioning_code);
}

TEST(DnsmasqCapture, ReEncodesToTheSameOptions) {
    const auto ack = captured("dnsmasq_ack.bin");
    auto wire = encode_dhcpv4(ack);
    ASSERT_TRUE(wire) << wire.error().message;
    auto again = decode_dhcpv4(*wire);
    ASSERT_TRUE(again);
    ASSERT_EQ(again->options.size(), ack.options.size());
    for (std::size_t i = 0; i < ack.options.size(); ++i) {
        EXPECT_EQ(again->options[i].code, ack.options[i].code);
        EXPECT_EQ(again->options[i].data, ack.options[i].data);
    }
}

}  // namespace
}  // namespace agent::dhcp
