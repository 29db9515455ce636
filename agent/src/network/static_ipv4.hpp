// Checks of a statically configured IPv4 address, mask and gateway, shared
// by the SetParameterValues rule (fault 9007 before anything changes) and the
// controller that turns the values into a DesiredConfiguration.
#pragma once

#include <boost/asio/ip/address_v4.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "network/interface_configuration.hpp"
#include "phonecwmp/expected.hpp"

namespace agent::network {

// "255.255.255.0" → 24. Only contiguous masks of 1..32 bits are accepted.
phonecwmp::Expected<std::uint8_t, std::string> prefix_from_subnet_mask(std::string_view mask);

// 24 → "255.255.255.0".
std::string subnet_mask_from_prefix(std::uint8_t prefix_length);

// A host address usable on an interface: unicast, not 0.0.0.0, not loopback,
// and (for prefixes shorter than /31) neither the network nor the broadcast
// address of its subnet. Errors name the value and the reason.
phonecwmp::Expected<InterfaceAddress, std::string> parse_static_ipv4(std::string_view address,
                                                                     std::string_view mask);

// A gateway inside the subnet of `on`, not the address itself.
phonecwmp::Expected<boost::asio::ip::address_v4, std::string> parse_ipv4_gateway(
    std::string_view gateway, const InterfaceAddress& on);

}  // namespace agent::network
