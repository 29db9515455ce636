#include "dhcp/dhcpv6_client_messages.hpp"

#include <gtest/gtest.h>

#include "dhcp/dhcpv6_codec.hpp"
#include "dhcp/dhcpv6_duid.hpp"
#include "packet_bytes.hpp"

namespace agent::dhcp {
namespace {

using dhcp_test::hex;

Dhcpv6ClientIdentity phone_identity() {
    Dhcpv6ClientIdentity identity;
    identity.duid = make_duid_ll({0x02, 0, 0, 0, 0, 0x01});
    identity.iaid = 0x0a0b0c0d;
    return identity;
}

const Bytes kServerDuid = hex("0003 0001 020000000099");
const address_v6 kAddress = boost::asio::ip::make_address_v6("2001:db8::100");

Dhcpv6Message on_the_wire(const Result<Dhcpv6Message>& built) {
    EXPECT_TRUE(built) << built.error().message;
    auto wire = encode_dhcpv6(*built);
    EXPECT_TRUE(wire) << wire.error().message;
    auto decoded = decode_dhcpv6(*wire);
    EXPECT_TRUE(decoded) << decoded.error().message;
    return *decoded;
}

TEST(Dhcpv6ClientMessages, SolicitSpellsOutEveryOption) {
    auto built = build_dhcpv6_solicit(phone_identity(), {0x123456, 150});
    ASSERT_TRUE(built);
    auto wire = encode_dhcpv6(*built);
    ASSERT_TRUE(wire);
    EXPECT_EQ(*wire,
              hex("01 123456"                              // SOLICIT, transaction
                  " 0001 000a 0003 0001 020000000001"      // client id DUID-LL
                  " 0008 0002 0096"                        // elapsed 1.5 s
                  " 0003 000c 0a0b0c0d 00000000 00000000"  // IA_NA, T1 = T2 = 0
                  " 0006 0006 0011 0017 0038"              // ORO 17, 23, 56
                  " 0010 0012 00000de9 000c 6473 6c66 6f72 756d 2e6f 7267"));  // vendor class
}

TEST(Dhcpv6ClientMessages, SolicitMayAskForRapidCommit) {
    auto identity = phone_identity();
    identity.rapid_commit = true;
    auto message = on_the_wire(build_dhcpv6_solicit(identity, {1, 0}));
    EXPECT_NE(message.find(dhcpv6_option::kRapidCommit), nullptr);
}

TEST(Dhcpv6ClientMessages, RequestRenewRebindReleaseFollowRfc8415) {
    const std::vector<address_v6> addresses{kAddress};
    const Bytes expected_ia =
        hex("0a0b0c0d 00000000 00000000"
            " 0005 0018 20010db8000000000000000000000100 00000000 00000000");

    auto request =
        on_the_wire(build_dhcpv6_request(phone_identity(), {2, 0}, kServerDuid, addresses));
    EXPECT_EQ(request.type, Dhcpv6MessageType::Request);
    EXPECT_EQ(*request.find(2), kServerDuid);
    EXPECT_EQ(*request.find(3), expected_ia);
    EXPECT_NE(request.find(6), nullptr);
    EXPECT_NE(request.find(16), nullptr);

    auto renew = on_the_wire(build_dhcpv6_renew(phone_identity(), {3, 0}, kServerDuid, addresses));
    EXPECT_EQ(renew.type, Dhcpv6MessageType::Renew);
    EXPECT_EQ(*renew.find(2), kServerDuid);

    auto rebind = on_the_wire(build_dhcpv6_rebind(phone_identity(), {4, 0}, addresses));
    EXPECT_EQ(rebind.type, Dhcpv6MessageType::Rebind);
    EXPECT_EQ(rebind.find(2), nullptr) << "REBIND goes to any server";
    EXPECT_EQ(*rebind.find(3), expected_ia);

    auto release =
        on_the_wire(build_dhcpv6_release(phone_identity(), {5, 0}, kServerDuid, addresses));
    EXPECT_EQ(release.type, Dhcpv6MessageType::Release);
    EXPECT_EQ(*release.find(2), kServerDuid);
    EXPECT_EQ(release.find(6), nullptr);
    EXPECT_EQ(release.find(16), nullptr);
    EXPECT_NE(release.find(8), nullptr) << "elapsed time in every client message";
}

TEST(Dhcpv6ClientMessages, RefusesABadIdentityOrServer) {
    auto identity = phone_identity();
    identity.duid = hex("00");
    EXPECT_FALSE(build_dhcpv6_solicit(identity, {1, 0}));
    identity = phone_identity();
    identity.requested_options = {17, 1};
    auto oro = build_dhcpv6_solicit(identity, {1, 0});
    ASSERT_FALSE(oro);
    EXPECT_NE(oro.error().message.find("option 1 cannot be requested"), std::string::npos);
    EXPECT_FALSE(build_dhcpv6_solicit(phone_identity(), {0x1000000, 0}));
    EXPECT_FALSE(build_dhcpv6_request(phone_identity(), {1, 0}, hex("00"), {kAddress}));
    EXPECT_FALSE(build_dhcpv6_request(phone_identity(), {1, 0}, kServerDuid,
                                      std::vector<address_v6>(17, kAddress)));
}

}  // namespace
}  // namespace agent::dhcp
