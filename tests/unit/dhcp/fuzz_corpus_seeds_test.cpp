// The fuzz seeds are written by tests/fuzz/dhcp_corpus_seeds.py, an encoder
// independent of the C++ one: decoding them checks the decoders against a
// second reading of the RFCs, and keeps the seeds meaningful.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "dhcp/acs_discovery.hpp"
#include "dhcp/dhcpv4_client_messages.hpp"
#include "dhcp/dhcpv4_codec.hpp"
#include "dhcp/dhcpv4_lease.hpp"
#include "dhcp/dhcpv6_codec.hpp"
#include "dhcp/dhcpv6_lease.hpp"

namespace agent::dhcp {
namespace {

Bytes seed(const char* family, const char* name) {
    const auto path = std::filesystem::path(DHCP_FUZZ_CORPUS_ROOT) / family / name;
    std::ifstream file(path, std::ios::binary);
    EXPECT_TRUE(file) << "missing seed " << path;
    return Bytes(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

Result<DhcpAcsInformation> acs_of(const char* name) {
    auto message = decode_dhcpv4(seed("dhcpv4", name));
    EXPECT_TRUE(message) << name << ": " << message.error().message;
    return discover_acs(*message, kDefaultRequestedDhcpv4Options);
}

TEST(FuzzCorpusSeeds, Dhcpv4SeedsSayWhatTheirNamesSay) {
    EXPECT_EQ(acs_of("offer_option43.bin")->acs->url, "http://10.231.0.1:7547/");
    EXPECT_EQ(acs_of("offer_option43.bin")->acs->provisioning_code, "CODE");
    EXPECT_EQ(acs_of("ack_option43_all.bin")->acs->retry_interval_multiplier, 2500u);
    auto from_125 = acs_of("ack_option125.bin");
    EXPECT_EQ(from_125->acs->url, "http://acs125/");
    EXPECT_EQ(from_125->gateway->product_class, "Gateway");
    auto both = acs_of("ack_both_43_125.bin");
    EXPECT_EQ(both->acs->source, AcsDiscoverySource::Option43);
    EXPECT_EQ(both->gateway->manufacturer_oui, "00256D");
    EXPECT_EQ(acs_of("ack_bare_url_43.bin")->acs->url, "http://bare.example.test/");
    // A 304-byte URL split over two option 43 instances: joined, then too long.
    auto split = acs_of("ack_split_rfc3396.bin");
    ASSERT_FALSE(split);
    EXPECT_NE(split.error().message.find("304 bytes"), std::string::npos) << split.error().message;

    auto overload = decode_dhcpv4(seed("dhcpv4", "ack_overload.bin"));
    ASSERT_TRUE(overload);
    EXPECT_NE(overload->find(15), nullptr);
    EXPECT_NE(overload->find(12), nullptr);

    auto routes = decode_dhcpv4(seed("dhcpv4", "ack_search_routes.bin"));
    ASSERT_TRUE(routes);
    auto lease = lease_from_dhcpv4_reply(*routes);
    ASSERT_TRUE(lease) << lease.error().message;
    EXPECT_EQ(lease->domain_search.size(), 2u);
    EXPECT_EQ(lease->classless_routes.size(), 2u);
    EXPECT_EQ(lease->renewal_time, 1800u);
    EXPECT_TRUE(lease->ignored.empty());
}

TEST(FuzzCorpusSeeds, Dhcpv6SeedsSayWhatTheirNamesSay) {
    const Bytes client = {0, 3, 0, 1, 2, 0, 0, 0, 0, 1};
    auto reply = decode_dhcpv6(seed("dhcpv6", "reply_full.bin"));
    ASSERT_TRUE(reply) << reply.error().message;
    auto lease = lease_from_dhcpv6_reply(*reply, 0xabce, client, 0x0a0b0c0d);
    ASSERT_TRUE(lease) << lease.error().message;
    EXPECT_EQ(lease->addresses.size(), 1u);
    EXPECT_EQ(lease->domain_search.size(), 2u);
    EXPECT_EQ(lease->ntp_server_names.size(), 1u);
    auto acs = parse_acs_dhcpv6(*reply);
    ASSERT_TRUE(acs && *acs);
    EXPECT_EQ((*acs)->url, "http://[2001:db8::1]:7547/");
    EXPECT_EQ((*acs)->provisioning_code, "V6CODE");

    auto no_addresses = decode_dhcpv6(seed("dhcpv6", "reply_no_addrs.bin"));
    ASSERT_TRUE(no_addresses);
    EXPECT_EQ(lease_from_dhcpv6_reply(*no_addresses, 0xabcf, client, 0x0a0b0c0d)->ia_status.code,
              2);
    auto solicit = decode_dhcpv6(seed("dhcpv6", "solicit.bin"));
    ASSERT_TRUE(solicit);
    EXPECT_EQ(solicit->type, Dhcpv6MessageType::Solicit);
}

}  // namespace
}  // namespace agent::dhcp
