#include "dhcp/classless_static_routes.hpp"

#include <fmt/format.h>

#include "dhcp/byte_reader.hpp"

namespace agent::dhcp {
namespace {

std::uint32_t prefix_mask(std::uint8_t prefix_length) {
    return prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix_length);
}

}  // namespace

Result<std::vector<ClasslessStaticRoute>> decode_classless_static_routes(
    std::span<const std::uint8_t> data) {
    std::vector<ClasslessStaticRoute> routes;
    ByteReader reader(data);
    while (!reader.empty()) {
        const std::size_t offset = reader.position();
        const std::uint8_t width = *reader.u8();
        if (width > 32) {
            return dhcp_error(
                DhcpErrorKind::Malformed,
                fmt::format("option 121 route at offset {} has prefix length {}", offset, width));
        }
        const std::size_t significant = (width + 7u) / 8u;
        auto destination = reader.bytes(significant);
        auto router = reader.u32();
        if (!destination || !router) {
            return dhcp_error(DhcpErrorKind::Truncated,
                              fmt::format("option 121 route at offset {} is cut short", offset));
        }
        std::uint32_t prefix = 0;
        for (std::size_t i = 0; i < significant; ++i) {
            prefix |= std::uint32_t{(*destination)[i]} << (24 - 8 * i);
        }
        // RFC 3442 §2: bits past the prefix length are not significant.
        prefix &= prefix_mask(width);
        routes.push_back(ClasslessStaticRoute{address_v4(prefix), width, address_v4(*router)});
    }
    return routes;
}

Result<Bytes> encode_classless_static_routes(const std::vector<ClasslessStaticRoute>& routes) {
    Bytes wire;
    for (const auto& route : routes) {
        if (route.prefix_length > 32) {
            return dhcp_error(DhcpErrorKind::Invalid,
                              fmt::format("prefix length {} exceeds 32", route.prefix_length));
        }
        wire.push_back(route.prefix_length);
        const std::uint32_t prefix = route.destination.to_uint() & prefix_mask(route.prefix_length);
        const std::size_t significant = (route.prefix_length + 7u) / 8u;
        for (std::size_t i = 0; i < significant; ++i) {
            wire.push_back(static_cast<std::uint8_t>(prefix >> (24 - 8 * i)));
        }
        const std::uint32_t router = route.router.to_uint();
        for (int shift = 24; shift >= 0; shift -= 8) {
            wire.push_back(static_cast<std::uint8_t>(router >> shift));
        }
    }
    return wire;
}

}  // namespace agent::dhcp
