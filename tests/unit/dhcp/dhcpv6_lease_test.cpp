#include "dhcp/dhcpv6_lease.hpp"

#include <gtest/gtest.h>

#include "dhcp/dhcpv6_codec.hpp"
#include "packet_bytes.hpp"

namespace agent::dhcp {
namespace {

using dhcp_test::concat;
using dhcp_test::hex;

const Bytes kClientDuid = hex("0003 0001 020000000001");
constexpr std::uint32_t kIaid = 0x0a0b0c0d;

// A REPLY to a REQUEST, laid out per RFC 8415 §21.
std::vector<std::uint8_t> reply_packet() {
    return hex(
        "07 00abcd"                                                        // REPLY
        " 0001 000a 0003 0001 020000000001"                                // client id (ours)
        " 0002 000e 0001 0001 5f5e1000 020000000099"                       // server id DUID-LLT
        " 0003 0028 0a0b0c0d 00000e10 00001c20"                            // IA_NA T1 3600, T2 7200
        "   0005 0018 20010db8000000000000000000000100 00001c20 00003840"  // IAADDR 7200/14400
        " 0017 0020 20010db8000000000000000000000053 20010db8000000000000000000000054"  // DNS
        " 0018 000e 07 6578616d706c65 04 74657374 00"            // domain list example.test
        " 0038 002a 0001 0010 20010db800000000000000000000007b"  // NTP address
        "          0003 0012 03 6e7470 07 6578616d706c65 04 74657374 00");  // NTP ntp.example.test
}

TEST(Dhcpv6Lease, ExtractsAddressesTimersAndServers) {
    auto message = decode_dhcpv6(reply_packet());
    ASSERT_TRUE(message) << message.error().message;
    auto lease = lease_from_dhcpv6_reply(*message, 0x00abcd, kClientDuid, kIaid);
    ASSERT_TRUE(lease) << lease.error().message;
    EXPECT_EQ(lease->type, Dhcpv6MessageType::Reply);
    EXPECT_EQ(lease->server_duid, hex("0001 0001 5f5e1000 020000000099"));
    EXPECT_TRUE(lease->status.success());
    EXPECT_TRUE(lease->has_ia);
    EXPECT_TRUE(lease->ia_status.success());
    EXPECT_EQ(lease->renewal_time, 3600u);
    EXPECT_EQ(lease->rebinding_time, 7200u);
    ASSERT_EQ(lease->addresses.size(), 1u);
    EXPECT_EQ(lease->addresses[0].address.to_string(), "2001:db8::100");
    EXPECT_EQ(lease->addresses[0].preferred_lifetime, 7200u);
    EXPECT_EQ(lease->addresses[0].valid_lifetime, 14400u);
    ASSERT_EQ(lease->dns_servers.size(), 2u);
    EXPECT_EQ(lease->dns_servers[1].to_string(), "2001:db8::54");
    EXPECT_EQ(lease->domain_search, std::vector<std::string>{"example.test"});
    ASSERT_EQ(lease->ntp_servers.size(), 1u);
    EXPECT_EQ(lease->ntp_servers[0].to_string(), "2001:db8::7b");
    EXPECT_EQ(lease->ntp_server_names, std::vector<std::string>{"ntp.example.test"});
    EXPECT_TRUE(lease->ignored.empty());
}

Dhcpv6Message reply(std::vector<Dhcpv6Option> extra) {
    Dhcpv6Message message;
    message.type = Dhcpv6MessageType::Reply;
    message.transaction_id = 1;
    message.options = {Dhcpv6Option{1, kClientDuid},
                       Dhcpv6Option{2, hex("0003 0001 020000000099")}};
    for (auto& option : extra) message.options.push_back(std::move(option));
    return message;
}

Dhcpv6Option ia_na(std::uint32_t t1, std::uint32_t t2, const Bytes& nested) {
    Bytes data = hex("0a0b0c0d");
    for (std::uint32_t value : {t1, t2}) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            data.push_back(static_cast<std::uint8_t>(value >> shift));
        }
    }
    data.insert(data.end(), nested.begin(), nested.end());
    return Dhcpv6Option{3, data};
}

TEST(Dhcpv6Lease, ComputesTimersTheServerLeftToTheClient) {
    auto lease = lease_from_dhcpv6_reply(
        reply({ia_na(0, 0, hex("0005 0018 20010db8000000000000000000000100 000003e8 000007d0"))}),
        1, kClientDuid, kIaid);
    ASSERT_TRUE(lease) << lease.error().message;
    EXPECT_EQ(lease->renewal_time, 500u);
    EXPECT_EQ(lease->rebinding_time, 800u);
}

TEST(Dhcpv6Lease, DiscardsWhatRfc8415SaysToDiscard) {
    // Preferred lifetime > valid lifetime: the address is dropped.
    auto bad_lifetimes = lease_from_dhcpv6_reply(
        reply({ia_na(0, 0, hex("0005 0018 20010db8000000000000000000000100 00000100 00000010"))}),
        1, kClientDuid, kIaid);
    ASSERT_TRUE(bad_lifetimes);
    EXPECT_TRUE(bad_lifetimes->addresses.empty());
    EXPECT_EQ(bad_lifetimes->ignored.size(), 1u);

    // T1 > T2: the whole IA is dropped.
    auto bad_timers = lease_from_dhcpv6_reply(
        reply(
            {ia_na(200, 100, hex("0005 0018 20010db8000000000000000000000100 00000100 00000200"))}),
        1, kClientDuid, kIaid);
    ASSERT_TRUE(bad_timers);
    EXPECT_FALSE(bad_timers->has_ia);
    EXPECT_TRUE(bad_timers->addresses.empty());

    // An IA_NA of another IAID is not ours.
    auto other = reply({ia_na(0, 0, {})});
    other.options.back().data[3] = 0x0e;
    auto not_ours = lease_from_dhcpv6_reply(other, 1, kClientDuid, kIaid);
    ASSERT_TRUE(not_ours);
    EXPECT_FALSE(not_ours->has_ia);

    // Malformed DNS / domain list are skipped with a reason.
    auto skipped = lease_from_dhcpv6_reply(
        reply({Dhcpv6Option{23, hex("2001")}, Dhcpv6Option{24, hex("01 61 c0 00")}}), 1,
        kClientDuid, kIaid);
    ASSERT_TRUE(skipped);
    EXPECT_EQ(skipped->ignored.size(), 2u);
}

TEST(Dhcpv6Lease, ReportsServerStatusCodes) {
    auto no_addresses = lease_from_dhcpv6_reply(
        reply(
            {ia_na(0, 0, concat({hex("000d 000e 0002"), dhcp_test::text_bytes("no addresses")}))}),
        1, kClientDuid, kIaid);
    ASSERT_TRUE(no_addresses);
    EXPECT_EQ(no_addresses->ia_status.code, static_cast<std::uint16_t>(Dhcpv6Status::NoAddrsAvail));
    EXPECT_EQ(no_addresses->ia_status.message, "no addresses");

    auto top =
        lease_from_dhcpv6_reply(reply({Dhcpv6Option{13, hex("0005")}}), 1, kClientDuid, kIaid);
    ASSERT_TRUE(top);
    EXPECT_EQ(top->status.code, static_cast<std::uint16_t>(Dhcpv6Status::UseMulticast));
    EXPECT_FALSE(top->status.success());
}

TEST(Dhcpv6Lease, RefusesRepliesForSomeoneElseOrWithoutServer) {
    auto message = reply({});
    EXPECT_EQ(lease_from_dhcpv6_reply(message, 2, kClientDuid, kIaid).error().kind,
              DhcpErrorKind::Unexpected);
    EXPECT_EQ(
        lease_from_dhcpv6_reply(message, 1, hex("0003 0001 020000000002"), kIaid).error().kind,
        DhcpErrorKind::Unexpected);
    auto no_server = message;
    no_server.options.pop_back();
    EXPECT_EQ(lease_from_dhcpv6_reply(no_server, 1, kClientDuid, kIaid).error().kind,
              DhcpErrorKind::Missing);
    auto solicit = message;
    solicit.type = Dhcpv6MessageType::Solicit;
    EXPECT_FALSE(lease_from_dhcpv6_reply(solicit, 1, kClientDuid, kIaid));
    EXPECT_FALSE(lease_from_dhcpv6_reply(reply({ia_na(0, 0, hex("0005 0010 2001"))}), 1,
                                         kClientDuid, kIaid));
    EXPECT_FALSE(
        lease_from_dhcpv6_reply(reply({Dhcpv6Option{7, hex("0102")}}), 1, kClientDuid, kIaid));
}

}  // namespace
}  // namespace agent::dhcp
