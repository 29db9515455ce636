#include "dhcp/dhcpv4_lease.hpp"

#include <gtest/gtest.h>

#include "dhcp/dhcpv4_codec.hpp"
#include "packet_bytes.hpp"

namespace agent::dhcp {
namespace {

using dhcp_test::bootreply_header;
using dhcp_test::concat;
using dhcp_test::hex;

const std::array<std::uint8_t, 6> kHardwareAddress{0x02, 0, 0, 0, 0, 0x01};

// A DHCPACK as a server that knows every option of the phone's list sends it.
std::vector<std::uint8_t> full_ack() {
    return concat({
        bootreply_header("0badcafe", "c0a80132"),                     // yiaddr 192.168.1.50
        hex("35 01 05"),                                              // 53 DHCPACK
        hex("36 04 c0a80101"),                                        // 54 server 192.168.1.1
        hex("33 04 00015180"),                                        // 51 lease 86400 s
        hex("01 04 ffffff00"),                                        // 1 /24
        hex("03 08 c0a80101 c0a801fe"),                               // 3 two routers
        hex("06 04 c0a80102"),                                        // 6 DNS
        hex("2a 04 c0a80103"),                                        // 42 NTP
        hex("0f 0c 6578616d706c652e74657374"),                        // 15 "example.test"
        hex("77 13 07 6578616d706c65 04 74657374 00 02 6c61 c0 00"),  // 119 example.test,
                                                                      // la.example.test
        hex("79 0d 18 0a0000 c0a801fe 00 c0a80101"),  // 121 10.0.0.0/24 via .254, default via .1
        hex("ff"),
    });
}

TEST(Dhcpv4Lease, ExtractsEveryFieldOfAnAck) {
    auto message = decode_dhcpv4(full_ack());
    ASSERT_TRUE(message) << message.error().message;
    auto type = classify_dhcpv4_reply(*message, 0x0badcafe, kHardwareAddress);
    ASSERT_TRUE(type) << type.error().message;
    EXPECT_EQ(*type, Dhcpv4MessageType::Ack);

    auto lease = lease_from_dhcpv4_reply(*message);
    ASSERT_TRUE(lease) << lease.error().message;
    EXPECT_EQ(lease->address.to_string(), "192.168.1.50");
    EXPECT_EQ(lease->subnet_mask.to_string(), "255.255.255.0");
    EXPECT_EQ(lease->server_identifier.to_string(), "192.168.1.1");
    ASSERT_EQ(lease->routers.size(), 2u);
    EXPECT_EQ(lease->routers[1].to_string(), "192.168.1.254");
    ASSERT_EQ(lease->dns_servers.size(), 1u);
    ASSERT_EQ(lease->ntp_servers.size(), 1u);
    EXPECT_EQ(lease->ntp_servers[0].to_string(), "192.168.1.3");
    EXPECT_EQ(lease->domain_name, "example.test");
    EXPECT_EQ(lease->domain_search, (std::vector<std::string>{"example.test", "la.example.test"}));
    ASSERT_EQ(lease->classless_routes.size(), 2u);
    EXPECT_EQ(lease->classless_routes[0].destination.to_string(), "10.0.0.0");
    EXPECT_EQ(lease->classless_routes[1].prefix_length, 0);
    EXPECT_EQ(lease->lease_time, 86400u);
    EXPECT_EQ(lease->renewal_time, 43200u) << "T1 defaults to half the lease";
    EXPECT_EQ(lease->rebinding_time, 75600u) << "T2 defaults to 7/8 of the lease";
    EXPECT_TRUE(lease->ignored.empty()) << lease->ignored.front();
}

Dhcpv4Message ack(std::initializer_list<Dhcpv4Option> options, const char* yiaddr = "10.0.0.5") {
    Dhcpv4Message message;
    message.op = kBootReply;
    message.xid = 1;
    message.yiaddr = boost::asio::ip::make_address_v4(yiaddr);
    message.set(53, {5});
    message.set(54, hex("0a000001"));
    message.set(51, hex("00000e10"));
    for (const auto& option : options) message.set(option.code, option.data);
    return message;
}

TEST(Dhcpv4Lease, KeepsConsistentTimersAndReplacesInconsistentOnes) {
    auto kept = lease_from_dhcpv4_reply(ack({{58, hex("00000064")}, {59, hex("000000c8")}}));
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->renewal_time, 100u);
    EXPECT_EQ(kept->rebinding_time, 200u);

    auto swapped = lease_from_dhcpv4_reply(ack({{58, hex("000000c8")}, {59, hex("00000064")}}));
    ASSERT_TRUE(swapped);
    EXPECT_EQ(swapped->renewal_time, 1800u);
    EXPECT_EQ(swapped->rebinding_time, 3150u);
    EXPECT_EQ(swapped->ignored.size(), 1u);

    auto infinite = lease_from_dhcpv4_reply(ack({{51, hex("ffffffff")}}));
    ASSERT_TRUE(infinite);
    EXPECT_EQ(infinite->lease_time, kInfiniteLeaseTime);
    EXPECT_EQ(infinite->renewal_time, kInfiniteLeaseTime);
    EXPECT_EQ(infinite->rebinding_time, kInfiniteLeaseTime);
}

TEST(Dhcpv4Lease, DerivesAClassfulMaskWhenNoneIsSent) {
    EXPECT_EQ(lease_from_dhcpv4_reply(ack({}, "10.1.2.3"))->subnet_mask.to_string(), "255.0.0.0");
    EXPECT_EQ(lease_from_dhcpv4_reply(ack({}, "172.16.1.1"))->subnet_mask.to_string(),
              "255.255.0.0");
    EXPECT_EQ(lease_from_dhcpv4_reply(ack({}, "192.0.2.9"))->subnet_mask.to_string(),
              "255.255.255.0");
}

TEST(Dhcpv4Lease, RefusesWhatCannotBeConfigured) {
    auto expect_error = [](const Dhcpv4Message& message, DhcpErrorKind kind,
                           std::string_view text) {
        auto lease = lease_from_dhcpv4_reply(message);
        ASSERT_FALSE(lease) << text;
        EXPECT_EQ(lease.error().kind, kind) << lease.error().message;
        EXPECT_NE(lease.error().message.find(text), std::string::npos) << lease.error().message;
    };
    expect_error(ack({}, "0.0.0.0"), DhcpErrorKind::Invalid, "0.0.0.0");
    expect_error(ack({}, "255.255.255.255"), DhcpErrorKind::Invalid, "255.255.255.255");
    expect_error(ack({}, "224.0.0.1"), DhcpErrorKind::Invalid, "224.0.0.1");
    expect_error(ack({}, "127.0.0.1"), DhcpErrorKind::Invalid, "127.0.0.1");
    expect_error(ack({{1, hex("ff00ff00")}}), DhcpErrorKind::Invalid, "contiguous");
    expect_error(ack({{1, hex("ffff")}}), DhcpErrorKind::Malformed, "option 1");
    expect_error(ack({{51, hex("00000000")}}), DhcpErrorKind::Invalid, "lease time of 0");
    expect_error(ack({{54, hex("0a00")}}), DhcpErrorKind::Malformed, "option 54");

    auto no_server = ack({});
    no_server.options.erase(no_server.options.begin() + 1);
    expect_error(no_server, DhcpErrorKind::Missing, "option 54");
    auto no_lease = ack({});
    no_lease.options.erase(no_lease.options.begin() + 2);
    expect_error(no_lease, DhcpErrorKind::Missing, "option 51");
    auto nak = ack({{53, {6}}});
    expect_error(nak, DhcpErrorKind::Unexpected, "DHCPOFFER or DHCPACK");
}

TEST(Dhcpv4Lease, SkipsMalformedOptionalOptionsWithAReason) {
    auto lease = lease_from_dhcpv4_reply(
        ack({{3, hex("0a000001 0a")}, {119, hex("c0 00")}, {121, hex("21")}}));
    ASSERT_TRUE(lease) << lease.error().message;
    EXPECT_TRUE(lease->routers.empty());
    EXPECT_TRUE(lease->domain_search.empty());
    EXPECT_TRUE(lease->classless_routes.empty());
    EXPECT_EQ(lease->ignored.size(), 3u);
}

TEST(Dhcpv4Lease, ClassifiesOnlyRepliesForThisClient) {
    auto message = ack({});
    EXPECT_EQ(*classify_dhcpv4_reply(message, 1, {}), Dhcpv4MessageType::Ack) << "chaddr zero";
    EXPECT_EQ(classify_dhcpv4_reply(message, 2, {}).error().kind, DhcpErrorKind::Unexpected);
    EXPECT_EQ(classify_dhcpv4_reply(message, 1, kHardwareAddress).error().kind,
              DhcpErrorKind::Unexpected);
    auto request = message;
    request.op = kBootRequest;
    EXPECT_FALSE(classify_dhcpv4_reply(request, 1, {}));
    auto bootp = message;
    bootp.options.clear();
    EXPECT_EQ(classify_dhcpv4_reply(bootp, 1, {}).error().kind, DhcpErrorKind::Missing);
    auto discover = ack({{53, {1}}});
    EXPECT_FALSE(classify_dhcpv4_reply(discover, 1, {}));
    auto nak = ack({{53, {6}}});
    EXPECT_EQ(*classify_dhcpv4_reply(nak, 1, {}), Dhcpv4MessageType::Nak);
}

}  // namespace
}  // namespace agent::dhcp
