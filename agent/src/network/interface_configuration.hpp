// What the network subsystem wants on its one interface, and what the kernel
// reports back. Plain values: the controller builds them from the data model
// or a DHCP lease, a configurator applies them.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agent::network {

// One address with its prefix length ("192.0.2.10/24").
struct InterfaceAddress {
    boost::asio::ip::address address;
    std::uint8_t prefix_length = 0;
    friend bool operator==(const InterfaceAddress&, const InterfaceAddress&) = default;
    // Boost 1.74's addresses have operator< but no operator<=>.
    friend bool operator<(const InterfaceAddress& a, const InterfaceAddress& b) {
        if (a.address != b.address) {
            return a.address < b.address;
        }
        return a.prefix_length < b.prefix_length;
    }
};

std::string to_string(const InterfaceAddress& address);

// The complete wanted state of the agent's part of the interface: anything
// the agent added earlier and is not listed here is removed.
struct DesiredConfiguration {
    bool link_up = false;
    std::vector<InterfaceAddress> addresses;
    // Default routes: at most one IPv4 and one IPv6 gateway.
    std::optional<boost::asio::ip::address_v4> ipv4_gateway;
    std::optional<boost::asio::ip::address_v6> ipv6_gateway;
    friend bool operator==(const DesiredConfiguration&, const DesiredConfiguration&) = default;
};

// The interface as the kernel sees it now (all addresses, not only ours).
struct InterfaceState {
    bool link_up = false;  // administratively up (IFF_UP)
    bool carrier = false;  // lower layer up (IFF_LOWER_UP)
    std::vector<InterfaceAddress> addresses;
};

}  // namespace agent::network
