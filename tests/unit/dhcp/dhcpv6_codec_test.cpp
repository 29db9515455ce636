#include "dhcp/dhcpv6_codec.hpp"

#include <gtest/gtest.h>

#include "dhcp/dhcpv6_duid.hpp"
#include "dhcp/dhcpv6_vendor_options.hpp"
#include "packet_bytes.hpp"

namespace agent::dhcp {
namespace {

using dhcp_test::hex;
using dhcp_test::text_bytes;

TEST(Dhcpv6Codec, DecodesHeaderAndOptions) {
    auto packet =
        hex("07 a1b2c3"                         // REPLY, transaction 0xa1b2c3
            " 0001 000a 00030001 020000000001"  // client id DUID-LL
            " 0002 000a 00030001 020000000099"  // server id
            " 000d 0004 0000 6f6b");            // status Success "ok"
    auto message = decode_dhcpv6(packet);
    ASSERT_TRUE(message) << message.error().message;
    EXPECT_EQ(message->type, Dhcpv6MessageType::Reply);
    EXPECT_EQ(message->transaction_id, 0xa1b2c3u);
    ASSERT_EQ(message->options.size(), 3u);
    EXPECT_EQ(*message->find(1), hex("00030001 020000000001"));
    EXPECT_EQ(message->find(23), nullptr);

    auto wire = encode_dhcpv6(*message);
    ASSERT_TRUE(wire);
    EXPECT_EQ(*wire, packet);
}

TEST(Dhcpv6Codec, RefusesTruncatedOversizedAndRelayMessages) {
    EXPECT_EQ(decode_dhcpv6(hex("07 0000")).error().kind, DhcpErrorKind::Truncated);
    EXPECT_EQ(decode_dhcpv6(hex("07 000001 0001")).error().kind, DhcpErrorKind::Truncated);
    auto lying = decode_dhcpv6(hex("07 000001 0017 0020 2001"));
    ASSERT_FALSE(lying);
    EXPECT_NE(lying.error().message.find("option 23 declares 32 bytes"), std::string::npos)
        << lying.error().message;
    EXPECT_EQ(decode_dhcpv6(hex("0c 000001")).error().kind, DhcpErrorKind::Unexpected);
    EXPECT_EQ(decode_dhcpv6(hex("00 000001")).error().kind, DhcpErrorKind::Unexpected);
    std::vector<std::uint8_t> huge(kDhcpv6MaxMessageSize + 1, 0);
    huge[0] = 7;
    EXPECT_EQ(decode_dhcpv6(huge).error().kind, DhcpErrorKind::TooLarge);

    std::vector<std::uint8_t> many = hex("07 000001");
    for (std::size_t i = 0; i <= kDhcpv6MaxOptions; ++i) {
        for (auto byte : hex("00ff 0000")) many.push_back(byte);
    }
    EXPECT_EQ(decode_dhcpv6(many).error().kind, DhcpErrorKind::TooLarge);
}

TEST(Dhcpv6Codec, EncoderRefusesWhatTheWireCannotCarry) {
    Dhcpv6Message message;
    message.transaction_id = 0x1000000;
    EXPECT_FALSE(encode_dhcpv6(message));
    message.transaction_id = 1;
    message.type = static_cast<Dhcpv6MessageType>(12);
    EXPECT_FALSE(encode_dhcpv6(message));
    message.type = Dhcpv6MessageType::Solicit;
    message.options.push_back(Dhcpv6Option{1, Bytes(2000, 0)});
    EXPECT_EQ(encode_dhcpv6(message).error().kind, DhcpErrorKind::TooLarge);
}

TEST(Dhcpv6Duid, BuildsLinkLayerDuids) {
    const std::array<std::uint8_t, 6> mac{0x02, 0, 0, 0, 0, 0x01};
    EXPECT_EQ(make_duid_ll(mac), hex("0003 0001 020000000001"));
    EXPECT_EQ(make_duid_llt(mac, 0x01020304), hex("0001 0001 01020304 020000000001"));
    EXPECT_TRUE(validate_duid(make_duid_ll(mac), "client"));
    EXPECT_FALSE(validate_duid(hex("0003"), "client"));
    EXPECT_FALSE(validate_duid(Bytes(131, 1), "server"));
}

TEST(Dhcpv6VendorOptions, RoundTripOptions16And17) {
    auto vendor_class = encode_dhcpv6_vendor_class(Dhcpv6VendorClass{3561, {"dslforum.org"}});
    ASSERT_TRUE(vendor_class);
    EXPECT_EQ(*vendor_class, dhcp_test::concat({hex("00000de9 000c"), text_bytes("dslforum.org")}));
    EXPECT_EQ(decode_dhcpv6_vendor_class(*vendor_class)->classes,
              std::vector<std::string>{"dslforum.org"});

    Dhcpv6VendorOptions options{3561, {Dhcpv6Option{1, text_bytes("http://a/")}}};
    auto wire = encode_dhcpv6_vendor_options(options);
    ASSERT_TRUE(wire);
    EXPECT_EQ(*wire, dhcp_test::concat({hex("00000de9 0001 0009"), text_bytes("http://a/")}));
    EXPECT_EQ(*decode_dhcpv6_vendor_options(*wire), options);

    EXPECT_EQ(decode_dhcpv6_vendor_options(hex("0000")).error().kind, DhcpErrorKind::Truncated);
    EXPECT_EQ(decode_dhcpv6_vendor_class(hex("00000de9 0005 61")).error().kind,
              DhcpErrorKind::Truncated);
}

}  // namespace
}  // namespace agent::dhcp
