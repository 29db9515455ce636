#include "dhcp/dhcpv4_client_messages.hpp"

#include <gtest/gtest.h>

#include "dhcp/dhcpv4_codec.hpp"
#include "packet_bytes.hpp"

namespace agent::dhcp {
namespace {

using dhcp_test::hex;
using dhcp_test::text_bytes;

Dhcpv4ClientIdentity phone_identity() {
    Dhcpv4ClientIdentity identity;
    identity.hardware_address = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    identity.manufacturer_oui = "00256D";
    identity.serial_number = "SN123";
    identity.product_class = "IPPhone";
    identity.host_name = "phone-1";
    return identity;
}

const address_v4 kOffered = boost::asio::ip::make_address_v4("10.231.0.100");
const address_v4 kServer = boost::asio::ip::make_address_v4("10.231.0.1");

// Encodes and decodes, so that every check below is on what goes on the wire.
Dhcpv4Message on_the_wire(const Result<Dhcpv4Message>& built) {
    EXPECT_TRUE(built) << built.error().message;
    auto wire = encode_dhcpv4(*built);
    EXPECT_TRUE(wire) << wire.error().message;
    auto decoded = decode_dhcpv4(*wire);
    EXPECT_TRUE(decoded) << decoded.error().message;
    return *decoded;
}

TEST(Dhcpv4ClientMessages, DiscoverCarriesTheCwmpOptions) {
    auto message = on_the_wire(build_dhcpv4_discover(phone_identity(), {0x11223344, 3}));
    EXPECT_EQ(message.op, kBootRequest);
    EXPECT_EQ(message.xid, 0x11223344u);
    EXPECT_EQ(message.secs, 3);
    EXPECT_EQ(message.flags, 0);
    EXPECT_TRUE(message.ciaddr.is_unspecified());
    EXPECT_EQ(message.chaddr[5], 0x01);
    EXPECT_EQ(message.options.front().code, 53) << "message type first";
    EXPECT_EQ(message.message_type_code(), 1);
    EXPECT_EQ(*message.find(60), text_bytes("dslforum.org"));
    EXPECT_EQ(*message.find(61), hex("01 020000000001"));
    EXPECT_EQ(*message.find(12), text_bytes("phone-1"));
    EXPECT_EQ(*message.find(57), hex("05dc"));
    EXPECT_EQ(*message.find(55), hex("01 02 03 06 0f 2a 2b 42 7d 96 9f a0"));
    // Option 125: enterprise 3561, 24 bytes of sub-options 1 OUI, 2 serial, 3 product class.
    EXPECT_EQ(
        *message.find(125),
        dhcp_test::concat({hex("00000de9 18"), hex("01 06"), text_bytes("00256D"), hex("02 05"),
                           text_bytes("SN123"), hex("03 07"), text_bytes("IPPhone")}));
    EXPECT_EQ(message.find(50), nullptr);
    EXPECT_EQ(message.find(54), nullptr);
}

TEST(Dhcpv4ClientMessages, DiscoverMayAskForAnAddressAndBroadcastReplies) {
    auto identity = phone_identity();
    identity.broadcast_replies = true;
    identity.manufacturer_oui.clear();
    identity.serial_number.clear();
    identity.product_class.clear();
    auto message = on_the_wire(build_dhcpv4_discover(identity, {1, 0}, kOffered));
    EXPECT_EQ(message.flags, kBroadcastFlag);
    EXPECT_EQ(*message.find(50), hex("0ae70064"));
    EXPECT_EQ(message.find(125), nullptr) << "no identity, no option 125";
}

// RFC 2131 §4.3.2 / table 5: ciaddr, 50 and 54 in each REQUEST form.
TEST(Dhcpv4ClientMessages, RequestFormsFollowTable5) {
    auto identity = phone_identity();
    identity.broadcast_replies = true;

    auto selecting =
        on_the_wire(build_dhcpv4_request_selecting(identity, {2, 1}, kOffered, kServer));
    EXPECT_EQ(selecting.message_type_code(), 3);
    EXPECT_TRUE(selecting.ciaddr.is_unspecified());
    EXPECT_EQ(*selecting.find(50), hex("0ae70064"));
    EXPECT_EQ(*selecting.find(54), hex("0ae70001"));
    EXPECT_EQ(selecting.flags, kBroadcastFlag);
    EXPECT_NE(selecting.find(55), nullptr);
    EXPECT_NE(selecting.find(60), nullptr);

    auto init_reboot = on_the_wire(build_dhcpv4_request_init_reboot(identity, {3, 0}, kOffered));
    EXPECT_TRUE(init_reboot.ciaddr.is_unspecified());
    EXPECT_EQ(*init_reboot.find(50), hex("0ae70064"));
    EXPECT_EQ(init_reboot.find(54), nullptr);

    for (const auto& built : {build_dhcpv4_request_renewing(identity, {4, 0}, kOffered),
                              build_dhcpv4_request_rebinding(identity, {4, 0}, kOffered)}) {
        auto message = on_the_wire(built);
        EXPECT_EQ(message.ciaddr, kOffered);
        EXPECT_EQ(message.find(50), nullptr);
        EXPECT_EQ(message.find(54), nullptr);
        EXPECT_EQ(message.flags, 0) << "the client can receive unicast at ciaddr";
        EXPECT_NE(message.find(55), nullptr);
    }
}

TEST(Dhcpv4ClientMessages, DeclineAndReleaseCarryNoParameters) {
    auto decline = on_the_wire(build_dhcpv4_decline(phone_identity(), {5, 9}, kOffered, kServer));
    EXPECT_EQ(decline.message_type_code(), 4);
    EXPECT_EQ(decline.secs, 0);
    EXPECT_TRUE(decline.ciaddr.is_unspecified());
    EXPECT_EQ(*decline.find(50), hex("0ae70064"));
    EXPECT_EQ(*decline.find(54), hex("0ae70001"));

    auto release = on_the_wire(build_dhcpv4_release(phone_identity(), {6, 9}, kOffered, kServer));
    EXPECT_EQ(release.message_type_code(), 7);
    EXPECT_EQ(release.ciaddr, kOffered);
    EXPECT_EQ(release.find(50), nullptr);
    EXPECT_EQ(*release.find(54), hex("0ae70001"));

    for (const auto& message : {decline, release}) {
        for (std::uint8_t forbidden : {55, 57, 60, 125, 12}) {
            EXPECT_EQ(message.find(forbidden), nullptr) << int(forbidden);
        }
        EXPECT_NE(message.find(61), nullptr);
    }
}

TEST(Dhcpv4ClientMessages, InformNamesTheConfiguredAddress) {
    auto inform = on_the_wire(build_dhcpv4_inform(phone_identity(), {7, 0}, kOffered));
    EXPECT_EQ(inform.message_type_code(), 8);
    EXPECT_EQ(inform.ciaddr, kOffered);
    EXPECT_EQ(inform.find(50), nullptr);
    EXPECT_EQ(inform.find(54), nullptr);
    EXPECT_EQ(inform.find(51), nullptr);
    EXPECT_NE(inform.find(55), nullptr);
    EXPECT_NE(inform.find(60), nullptr);
}

TEST(Dhcpv4ClientMessages, UsesTheConfiguredClientIdentifier) {
    auto identity = phone_identity();
    identity.client_identifier = hex("ff 00000001 000300010200000000 01");
    auto message = on_the_wire(build_dhcpv4_discover(identity, {8, 0}));
    EXPECT_EQ(*message.find(61), identity.client_identifier);
}

TEST(Dhcpv4ClientMessages, RefusesABadIdentity) {
    auto check = [](auto change, std::string_view expected) {
        auto identity = phone_identity();
        change(identity);
        auto built = build_dhcpv4_discover(identity, {9, 0});
        ASSERT_FALSE(built) << expected;
        EXPECT_NE(built.error().message.find(expected), std::string::npos) << built.error().message;
    };
    check([](auto& id) { id.client_identifier = {1}; }, "client identifier");
    check([](auto& id) { id.requested_options = {1, 0}; }, "cannot request option 0");
    check([](auto& id) { id.requested_options = {1, 255}; }, "cannot request option 255");
    check([](auto& id) { id.requested_options = {43, 3, 43}; }, "requests option 43 twice");
    check([](auto& id) { id.max_message_size = 575; }, "575");
    check([](auto& id) { id.host_name = std::string(256, 'h'); }, "255-byte");
    check([](auto& id) { id.serial_number = std::string(250, 's'); }, "option 125");
}

}  // namespace
}  // namespace agent::dhcp
