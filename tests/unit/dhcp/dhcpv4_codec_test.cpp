#include "dhcp/dhcpv4_codec.hpp"

#include <gtest/gtest.h>

#include "packet_bytes.hpp"

namespace agent::dhcp {
namespace {

using dhcp_test::bootreply_header;
using dhcp_test::concat;
using dhcp_test::hex;

// A DHCPOFFER as RFC 2131 lays it out, with the options a dnsmasq server
// configured for CWMP sends (option 43 sub-options in reverse order, ended
// with 0xff).
std::vector<std::uint8_t> sample_offer() {
    return concat({
        bootreply_header("5a3c0f21", "0ae70064"),          // xid, yiaddr 10.231.0.100
        hex("35 01 02"),                                   // 53 DHCPOFFER
        hex("36 04 0ae70001"),                             // 54 server 10.231.0.1
        hex("33 04 00000e10"),                             // 51 lease 3600 s
        hex("3a 04 00000708"),                             // 58 T1 1800 s
        hex("3b 04 00000c4e"),                             // 59 T2 3150 s
        hex("01 04 ffffff00"),                             // 1 mask /24
        hex("03 04 0ae70001"),                             // 3 router
        hex("06 08 0ae70001 08080808"),                    // 6 two DNS servers
        hex("2b 1b"                                        // 43, 27 bytes:
            " 02 04 434f4445"                              //   2 "CODE"
            " 01 12 687474703a2f2f61637365733a373534372f"  // 1 "http://acses:7547/"
            " ff"),                                        //   end
        hex("ff"),                                         // end
        hex("00000000"),                                   // pad
    });
}

TEST(Dhcpv4Codec, DecodesEveryHeaderFieldAndOption) {
    auto message = decode_dhcpv4(sample_offer());
    ASSERT_TRUE(message) << message.error().message;
    EXPECT_EQ(message->op, kBootReply);
    EXPECT_EQ(message->htype, 1);
    EXPECT_EQ(message->hlen, 6);
    EXPECT_EQ(message->xid, 0x5a3c0f21u);
    EXPECT_EQ(message->yiaddr.to_string(), "10.231.0.100");
    EXPECT_EQ(message->chaddr[0], 0x02);
    EXPECT_EQ(message->chaddr[5], 0x01);
    EXPECT_EQ(message->message_type_code(), 2);
    ASSERT_EQ(message->options.size(), 9u);
    const Bytes* vendor = message->find(43);
    ASSERT_NE(vendor, nullptr);
    EXPECT_EQ(vendor->size(), 27u);
    EXPECT_EQ(message->server_name, "");
}

TEST(Dhcpv4Codec, RoundTripsThroughTheEncoder) {
    auto message = decode_dhcpv4(sample_offer());
    ASSERT_TRUE(message);
    message->server_name = "dhcp.example.test";
    message->boot_file = "phone.cfg";
    auto wire = encode_dhcpv4(*message);
    ASSERT_TRUE(wire) << wire.error().message;
    EXPECT_GE(wire->size(), kDhcpv4MinimumEncodedSize);
    auto again = decode_dhcpv4(*wire);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->xid, message->xid);
    EXPECT_EQ(again->server_name, "dhcp.example.test");
    EXPECT_EQ(again->boot_file, "phone.cfg");
    ASSERT_EQ(again->options.size(), message->options.size());
    for (std::size_t i = 0; i < message->options.size(); ++i) {
        EXPECT_EQ(again->options[i].code, message->options[i].code);
        EXPECT_EQ(again->options[i].data, message->options[i].data);
    }
}

TEST(Dhcpv4Codec, ConcatenatesSplitInstancesOfOneOption) {
    // RFC 3396 §3: option 15 sent as two instances, another option between.
    auto packet = concat({bootreply_header("00000001", "00000000"),
                          hex("0f 04 6578616d"),  // 15 "exam"
                          hex("35 01 05"),        // 53 ACK
                          hex("0f 03 706c65"),    // 15 "ple"
                          hex("ff")});
    auto message = decode_dhcpv4(packet);
    ASSERT_TRUE(message) << message.error().message;
    ASSERT_EQ(message->options.size(), 2u);
    EXPECT_EQ(message->options[0].code, 15);
    EXPECT_EQ(message->options[0].data, dhcp_test::text_bytes("example"));
}

TEST(Dhcpv4Codec, ReadsOptionsOverloadedIntoFileAndServerName) {
    auto packet = bootreply_header("00000002", "0a000002");
    // file (offset 108) carries option 15 "file", sname (offset 44) option 12 "sn".
    const std::size_t sname = 44;
    const std::size_t file = 108;
    auto file_options = hex("0f 04 66696c65 ff");
    auto sname_options = hex("0c 02 736e ff");
    std::copy(file_options.begin(), file_options.end(), packet.begin() + file);
    std::copy(sname_options.begin(), sname_options.end(), packet.begin() + sname);
    auto full = concat({packet, hex("34 01 03"),  // 52 overload: both
                        hex("35 01 05 ff")});
    auto message = decode_dhcpv4(full);
    ASSERT_TRUE(message) << message.error().message;
    EXPECT_EQ(message->find(52), nullptr) << "option 52 is framing, consumed by the decoder";
    ASSERT_NE(message->find(15), nullptr);
    EXPECT_EQ(*message->find(15), dhcp_test::text_bytes("file"));
    ASSERT_NE(message->find(12), nullptr);
    EXPECT_EQ(*message->find(12), dhcp_test::text_bytes("sn"));
    EXPECT_EQ(message->server_name, "");
    EXPECT_EQ(message->boot_file, "");
    // Options field first, then file, then sname (RFC 2131 §4.1).
    EXPECT_EQ(message->options[0].code, 53);
    EXPECT_EQ(message->options[1].code, 15);
    EXPECT_EQ(message->options[2].code, 12);
}

TEST(Dhcpv4Codec, EncoderSplitsOptionsLongerThan255Bytes) {
    Dhcpv4Message message;
    message.xid = 7;
    message.set(53, {1});
    message.set(43, Bytes(300, 0x41));
    auto wire = encode_dhcpv4(message);
    ASSERT_TRUE(wire) << wire.error().message;
    // First instance: code 43, length 255, right after 53 (3 bytes).
    EXPECT_EQ((*wire)[kDhcpv4HeaderSize + 3], 43);
    EXPECT_EQ((*wire)[kDhcpv4HeaderSize + 4], 255);
    EXPECT_EQ((*wire)[kDhcpv4HeaderSize + 5 + 255], 43);
    EXPECT_EQ((*wire)[kDhcpv4HeaderSize + 6 + 255], 45);
    auto again = decode_dhcpv4(*wire);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again->find(43), Bytes(300, 0x41));
}

TEST(Dhcpv4Codec, EncoderOverloadsFileAndServerNameWhenOptionsFieldIsFull) {
    Dhcpv4Message message;
    message.set(53, {1});
    message.set(43, Bytes(250, 0x42));
    message.set(60, Bytes(150, 0x43));
    // 548 - 240 = 308 bytes of options field cannot hold 3 + 252 + 152.
    auto wire = encode_dhcpv4(message);
    ASSERT_TRUE(wire) << wire.error().message;
    EXPECT_LE(wire->size(), kDhcpv4DefaultMaxMessageSize);
    EXPECT_EQ((*wire)[kDhcpv4HeaderSize], 52) << "option 52 leads the options field";
    auto again = decode_dhcpv4(*wire);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again->find(43), Bytes(250, 0x42));
    EXPECT_EQ(*again->find(60), Bytes(150, 0x43));

    auto no_overload = encode_dhcpv4(message, {kDhcpv4DefaultMaxMessageSize, false});
    ASSERT_FALSE(no_overload);
    EXPECT_EQ(no_overload.error().kind, DhcpErrorKind::TooLarge);
    auto bigger = encode_dhcpv4(message, {1500, false});
    EXPECT_TRUE(bigger);
}

TEST(Dhcpv4Codec, EncoderRefusesWhatCannotFitOrIsFraming) {
    Dhcpv4Message message;
    message.set(43, Bytes(1200, 1));
    auto wire = encode_dhcpv4(message);
    ASSERT_FALSE(wire);
    EXPECT_EQ(wire.error().kind, DhcpErrorKind::TooLarge);

    Dhcpv4Message framing;
    framing.set(255, {});
    EXPECT_FALSE(encode_dhcpv4(framing));
    Dhcpv4Message long_name;
    long_name.server_name = std::string(64, 'x');
    EXPECT_FALSE(encode_dhcpv4(long_name));
    EXPECT_FALSE(encode_dhcpv4(Dhcpv4Message{}, {200, true}));
}

TEST(Dhcpv4Codec, RefusesPacketsThatAreNotDhcp) {
    auto packet = sample_offer();
    EXPECT_EQ(decode_dhcpv4(std::span(packet).first(239)).error().kind, DhcpErrorKind::Truncated);

    auto bad_cookie = packet;
    bad_cookie[236] = 0;
    auto decoded = decode_dhcpv4(bad_cookie);
    ASSERT_FALSE(decoded);
    EXPECT_NE(decoded.error().message.find("magic cookie"), std::string::npos);

    auto bad_op = packet;
    bad_op[0] = 3;
    EXPECT_EQ(decode_dhcpv4(bad_op).error().kind, DhcpErrorKind::Malformed);

    auto bad_hlen = packet;
    bad_hlen[2] = 17;
    EXPECT_EQ(decode_dhcpv4(bad_hlen).error().kind, DhcpErrorKind::Malformed);

    std::vector<std::uint8_t> huge(kDhcpv4MaxMessageSize + 1, 0);
    EXPECT_EQ(decode_dhcpv4(huge).error().kind, DhcpErrorKind::TooLarge);
}

TEST(Dhcpv4Codec, ReportsAnOptionThatRunsPastTheEnd) {
    auto packet = concat({bootreply_header("00000003", "00000000"), hex("35 01 05 2b 10 0102")});
    auto decoded = decode_dhcpv4(packet);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().kind, DhcpErrorKind::Truncated);
    EXPECT_NE(decoded.error().message.find("option 43"), std::string::npos)
        << decoded.error().message;

    auto no_length = concat({bootreply_header("00000003", "00000000"), hex("35")});
    EXPECT_EQ(decode_dhcpv4(no_length).error().kind, DhcpErrorKind::Truncated);
}

TEST(Dhcpv4Codec, AcceptsAnOptionsFieldWithoutEnd) {
    auto packet = concat({bootreply_header("00000004", "00000000"), hex("35 01 05")});
    auto decoded = decode_dhcpv4(packet);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->message_type_code(), 5);
}

TEST(Dhcpv4Codec, BoundsTheNumberOfOptionInstances) {
    auto packet = bootreply_header("00000005", "00000000");
    for (int i = 0; i < 300; ++i) {
        packet.push_back(200);
        packet.push_back(0);
    }
    auto decoded = decode_dhcpv4(packet);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().kind, DhcpErrorKind::TooLarge);
}

TEST(Dhcpv4Codec, RefusesAMalformedOverloadOption) {
    auto bad_value = concat({bootreply_header("00000006", "00000000"), hex("34 01 04 ff")});
    EXPECT_EQ(decode_dhcpv4(bad_value).error().kind, DhcpErrorKind::Malformed);

    // Option 52 inside the overloaded file field.
    auto packet = bootreply_header("00000006", "00000000");
    auto nested = hex("34 01 01 ff");
    std::copy(nested.begin(), nested.end(), packet.begin() + 108);
    auto full = concat({packet, hex("34 01 01 ff")});
    auto decoded = decode_dhcpv4(full);
    ASSERT_FALSE(decoded);
    EXPECT_NE(decoded.error().message.find("overload"), std::string::npos);

    // An overloaded field whose option runs past its 128 bytes.
    auto cut = bootreply_header("00000006", "00000000");
    cut[108 + 126] = 15;
    cut[108 + 127] = 10;
    auto cut_full = concat({cut, hex("34 01 01 ff")});
    EXPECT_EQ(decode_dhcpv4(cut_full).error().kind, DhcpErrorKind::Truncated);
}

}  // namespace
}  // namespace agent::dhcp
