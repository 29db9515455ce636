#include "network/static_ipv4.hpp"

#include <boost/system/error_code.hpp>

namespace agent::network {
namespace {

using boost::asio::ip::address_v4;

std::uint32_t mask_bits(std::uint8_t prefix_length) {
    return prefix_length == 0 ? 0U : ~std::uint32_t{0} << (32U - prefix_length);
}

phonecwmp::Expected<address_v4, std::string> parse_v4(std::string_view text, const char* what) {
    boost::system::error_code ec;
    auto parsed = boost::asio::ip::make_address_v4(std::string(text), ec);
    if (ec) {
        return phonecwmp::Unexpected<std::string>(std::string(what) + " \"" + std::string(text) +
                                                  "\" is not an IPv4 address");
    }
    return parsed;
}

}  // namespace

phonecwmp::Expected<std::uint8_t, std::string> prefix_from_subnet_mask(std::string_view mask) {
    auto parsed = parse_v4(mask, "subnet mask");
    if (!parsed) {
        return phonecwmp::Unexpected<std::string>(parsed.error());
    }
    const std::uint32_t bits = parsed->to_uint();
    // Contiguous: the inverted mask plus one is a power of two.
    const std::uint32_t inverted = ~bits;
    if (bits == 0 || (inverted & (inverted + 1U)) != 0) {
        return phonecwmp::Unexpected<std::string>("subnet mask " + std::string(mask) +
                                                  " is not a contiguous mask of 1 to 32 bits");
    }
    std::uint8_t prefix = 0;
    for (std::uint32_t rest = bits; rest != 0; rest <<= 1U) {
        ++prefix;
    }
    return prefix;
}

std::string subnet_mask_from_prefix(std::uint8_t prefix_length) {
    return address_v4(mask_bits(prefix_length)).to_string();
}

phonecwmp::Expected<InterfaceAddress, std::string> parse_static_ipv4(std::string_view address,
                                                                     std::string_view mask) {
    auto host = parse_v4(address, "IP address");
    if (!host) {
        return phonecwmp::Unexpected<std::string>(host.error());
    }
    auto prefix = prefix_from_subnet_mask(mask);
    if (!prefix) {
        return phonecwmp::Unexpected<std::string>(prefix.error());
    }
    const std::string named = "IP address " + std::string(address);
    if (host->is_unspecified() || host->is_loopback() || host->is_multicast() ||
        host->to_uint() == 0xffffffffU) {
        return phonecwmp::Unexpected<std::string>(named + " is not a unicast host address");
    }
    if (*prefix < 31) {
        const std::uint32_t host_bits = host->to_uint() & ~mask_bits(*prefix);
        if (host_bits == 0) {
            return phonecwmp::Unexpected<std::string>(named + " is the network address of its /" +
                                                      std::to_string(*prefix) + " subnet");
        }
        if (host_bits == ~mask_bits(*prefix)) {
            return phonecwmp::Unexpected<std::string>(named + " is the broadcast address of its /" +
                                                      std::to_string(*prefix) + " subnet");
        }
    }
    return InterfaceAddress{*host, *prefix};
}

phonecwmp::Expected<address_v4, std::string> parse_ipv4_gateway(std::string_view gateway,
                                                                const InterfaceAddress& on) {
    auto parsed = parse_v4(gateway, "gateway");
    if (!parsed) {
        return phonecwmp::Unexpected<std::string>(parsed.error());
    }
    const std::uint32_t mask = mask_bits(on.prefix_length);
    const std::uint32_t own = on.address.to_v4().to_uint();
    if ((parsed->to_uint() & mask) != (own & mask) || parsed->to_uint() == own) {
        return phonecwmp::Unexpected<std::string>("gateway " + std::string(gateway) +
                                                  " is not another host of the subnet " +
                                                  to_string(on));
    }
    return *parsed;
}

}  // namespace agent::network
