#include "dhcp/dhcpv4_socket_transport.hpp"

#include <gtest/gtest.h>

namespace {

using agent::dhcp::Dhcpv4SocketTransport;

TEST(Dhcpv4SocketTransport, NamesAnInterfaceThatDoesNotExist) {
    boost::asio::io_context io;
    auto transport = Dhcpv4SocketTransport::create(io, "nosuchif0");
    ASSERT_FALSE(transport);
    EXPECT_NE(transport.error().message.find("nosuchif0"), std::string::npos);
}

TEST(Dhcpv4SocketTransport, RefusesANonEthernetInterface) {
    boost::asio::io_context io;
    auto transport = Dhcpv4SocketTransport::create(io, "lo");
    ASSERT_FALSE(transport);
    EXPECT_NE(transport.error().message.find("not Ethernet"), std::string::npos)
        << transport.error().message;
}

TEST(Dhcpv4SocketTransport, RefusesAnOverlongName) {
    boost::asio::io_context io;
    EXPECT_FALSE(Dhcpv4SocketTransport::create(io, std::string(16, 'e')));
    EXPECT_FALSE(Dhcpv4SocketTransport::create(io, ""));
}

}  // namespace
