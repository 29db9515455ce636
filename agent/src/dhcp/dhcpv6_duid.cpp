#include "dhcp/dhcpv6_duid.hpp"

#include <fmt/format.h>

#include "dhcp/byte_writer.hpp"

namespace agent::dhcp {
namespace {

constexpr std::uint16_t kHardwareTypeEthernet = 1;

}  // namespace

Bytes make_duid_ll(const std::array<std::uint8_t, 6>& hardware_address) {
    ByteWriter writer;
    writer.u16(kDuidLinkLayer);
    writer.u16(kHardwareTypeEthernet);
    writer.bytes(hardware_address);
    return writer.take();
}

Bytes make_duid_llt(const std::array<std::uint8_t, 6>& hardware_address,
                    std::uint32_t seconds_since_2000) {
    ByteWriter writer;
    writer.u16(kDuidLinkLayerPlusTime);
    writer.u16(kHardwareTypeEthernet);
    writer.u32(seconds_since_2000);
    writer.bytes(hardware_address);
    return writer.take();
}

Result<void> validate_duid(std::span<const std::uint8_t> duid, const char* which) {
    if (duid.size() < 3 || duid.size() > kMaxDuidLength) {
        return dhcp_error(DhcpErrorKind::Malformed,
                          fmt::format("{} DUID of {} bytes is not 3 to {} bytes", which,
                                      duid.size(), kMaxDuidLength));
    }
    return {};
}

}  // namespace agent::dhcp
