// What can be checked of the DHCPv6 socket without a namespace: interface
// look-up and the refusal to run without a link-local address. Sending and
// receiving are covered by integration.dhcpv6_client against dnsmasq.
#include "dhcp/dhcpv6_socket_transport.hpp"

#include <gtest/gtest.h>

namespace {

using agent::dhcp::Dhcpv6SocketTransport;

TEST(Dhcpv6SocketTransportTest, UnknownOrOverlongInterfaceIsRefusedByName) {
    boost::asio::io_context io;
    auto missing = Dhcpv6SocketTransport::create(io, "pcnosuchif0");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("pcnosuchif0"), std::string::npos);
    auto overlong = Dhcpv6SocketTransport::create(io, "an-interface-name-too-long");
    ASSERT_FALSE(overlong);
    EXPECT_NE(overlong.error().message.find("longer than"), std::string::npos);
    EXPECT_FALSE(Dhcpv6SocketTransport::create(io, ""));
}

TEST(Dhcpv6SocketTransportTest, LoopbackHasNoLinkLocalAddressSoOpenFails) {
    boost::asio::io_context io;
    auto transport = Dhcpv6SocketTransport::create(io, "lo");
    ASSERT_TRUE(transport) << transport.error().message;
    auto opened = (*transport)->open();
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("no IPv6 link-local address"), std::string::npos)
        << opened.error().message;
    const std::uint8_t payload[4] = {1, 0, 0, 1};
    auto sent = (*transport)->send_multicast(payload);
    ASSERT_FALSE(sent);
    EXPECT_NE(sent.error().message.find("not open"), std::string::npos);
}

}  // namespace
