// The address the connection-request server listens on (--cr-listen).
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"

namespace agent::connection_request {

struct ListenAddress {
    boost::asio::ip::address address;
    std::uint16_t port = 0;  // 0: any free port (tests)
};

// "HOST:PORT" with HOST an IPv4 literal or a bracketed IPv6 literal:
// "0.0.0.0:7547", "127.0.0.1:0", "[::]:7547", "[::1]:0". Host names are
// refused: the listener must not depend on DNS at start-up.
phonecwmp::Expected<ListenAddress, std::string> parse_listen_address(std::string_view text);

// The host part of a URL: IPv6 in brackets.
std::string url_host(const boost::asio::ip::address& address);

}  // namespace agent::connection_request
