#include "dhcp/ipv4_udp_datagram.hpp"

#include <gtest/gtest.h>

#include "packet_bytes.hpp"

namespace {

using namespace agent::dhcp;
using dhcp_test::hex;

const UdpEndpoints kEndpoints{address_v4::any(), 68, address_v4::broadcast(), 67};

TEST(Ipv4UdpDatagram, BuildsHeadersWithValidChecksums) {
    const Bytes payload = hex("01 02 03 04 05");
    auto packet = build_ipv4_udp_datagram(kEndpoints, payload);
    ASSERT_TRUE(packet);
    ASSERT_EQ(packet->size(), 20u + 8u + 5u);
    EXPECT_EQ((*packet)[0], 0x45);
    EXPECT_EQ((*packet)[9], 17);
    EXPECT_EQ(fold_internet_checksum(internet_checksum_sum(std::span(*packet).first(20))), 0);
    auto parsed = parse_ipv4_udp_datagram(*packet, UdpChecksumCheck::Verify);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->endpoints.source_port, 68);
    EXPECT_EQ(parsed->endpoints.destination_port, 67);
    EXPECT_EQ(parsed->endpoints.destination, address_v4::broadcast());
    EXPECT_EQ(Bytes(parsed->payload.begin(), parsed->payload.end()), payload);
}

TEST(Ipv4UdpDatagram, MatchesAKnownChecksum) {
    // RFC 1071 §3 example words: 0001 f203 f4f5 f6f7 sum to ddf2, complement 220d.
    EXPECT_EQ(fold_internet_checksum(internet_checksum_sum(hex("0001 f203 f4f5 f6f7"))), 0x220d);
    // An odd length pads with a zero byte.
    EXPECT_EQ(internet_checksum_sum(hex("01")), 0x0100u);
}

TEST(Ipv4UdpDatagram, IgnoresLinkPaddingAfterTheTotalLength) {
    auto packet = *build_ipv4_udp_datagram(kEndpoints, hex("aa"));
    packet.insert(packet.end(), 17, 0);
    auto parsed = parse_ipv4_udp_datagram(packet, UdpChecksumCheck::Verify);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->payload.size(), 1u);
}

TEST(Ipv4UdpDatagram, RefusesDamagedPackets) {
    const auto good = *build_ipv4_udp_datagram(kEndpoints, hex("aabbcc"));
    auto check = [](Bytes packet, UdpChecksumCheck mode = UdpChecksumCheck::Verify) {
        return static_cast<bool>(parse_ipv4_udp_datagram(packet, mode));
    };
    EXPECT_FALSE(check(Bytes(good.begin(), good.begin() + 19)));  // short header
    auto bad = good;
    bad[0] = 0x65;  // IPv6 version
    EXPECT_FALSE(check(bad));
    bad = good;
    bad[3] += 1;  // total length beyond the bytes
    EXPECT_FALSE(check(bad));
    bad = good;
    bad[8] = 1;  // TTL changed: header checksum wrong
    EXPECT_FALSE(check(bad));
    bad = good;
    bad[20 + 8] ^= 0xff;  // payload changed: UDP checksum wrong
    EXPECT_FALSE(check(bad));
    EXPECT_TRUE(check(bad, UdpChecksumCheck::Skip));
    bad = good;
    bad[20 + 5] = 200;  // UDP length beyond the IP packet
    EXPECT_FALSE(check(bad, UdpChecksumCheck::Skip));
    bad = good;
    bad[20 + 6] = 0;
    bad[20 + 7] = 0;  // no UDP checksum: allowed
    EXPECT_TRUE(check(bad));
}

TEST(Ipv4UdpDatagram, RefusesFragmentsAndOtherProtocols) {
    auto fragment = *build_ipv4_udp_datagram(kEndpoints, hex("aa"));
    fragment[6] = 0x20;  // more fragments
    fragment[10] = fragment[11] = 0;
    const auto sum = fold_internet_checksum(internet_checksum_sum(std::span(fragment).first(20)));
    fragment[10] = static_cast<std::uint8_t>(sum >> 8);
    fragment[11] = static_cast<std::uint8_t>(sum & 0xff);
    auto parsed = parse_ipv4_udp_datagram(fragment, UdpChecksumCheck::Verify);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "IPv4 fragment");

    auto tcp = *build_ipv4_udp_datagram(kEndpoints, hex("aa"));
    tcp[9] = 6;
    tcp[10] = tcp[11] = 0;
    const auto tcp_sum = fold_internet_checksum(internet_checksum_sum(std::span(tcp).first(20)));
    tcp[10] = static_cast<std::uint8_t>(tcp_sum >> 8);
    tcp[11] = static_cast<std::uint8_t>(tcp_sum & 0xff);
    EXPECT_FALSE(parse_ipv4_udp_datagram(tcp, UdpChecksumCheck::Verify));
}

}  // namespace
