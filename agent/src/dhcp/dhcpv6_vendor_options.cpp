#include "dhcp/dhcpv6_vendor_options.hpp"

#include <fmt/format.h>

#include "dhcp/byte_reader.hpp"
#include "dhcp/byte_writer.hpp"
#include "dhcp/dhcpv6_codec.hpp"

namespace agent::dhcp {
namespace {

constexpr std::size_t kMaxVendorClasses = 16;

}  // namespace

Result<Dhcpv6VendorOptions> decode_dhcpv6_vendor_options(std::span<const std::uint8_t> data) {
    ByteReader reader(data);
    auto enterprise = reader.u32();
    if (!enterprise) {
        return dhcp_error(
            DhcpErrorKind::Truncated,
            fmt::format("DHCPv6 option 17 of {} bytes has no enterprise number", data.size()));
    }
    auto suboptions = decode_dhcpv6_options(
        reader.rest(), fmt::format("DHCPv6 option 17 enterprise {}", *enterprise));
    if (!suboptions) return phonecwmp::Unexpected(suboptions.error());
    return Dhcpv6VendorOptions{*enterprise, std::move(*suboptions)};
}

Result<Bytes> encode_dhcpv6_vendor_options(const Dhcpv6VendorOptions& options) {
    auto suboptions = encode_dhcpv6_options(options.suboptions);
    if (!suboptions) return phonecwmp::Unexpected(suboptions.error());
    ByteWriter writer;
    writer.u32(options.enterprise);
    writer.bytes(*suboptions);
    return writer.take();
}

Result<Dhcpv6VendorClass> decode_dhcpv6_vendor_class(std::span<const std::uint8_t> data) {
    ByteReader reader(data);
    auto enterprise = reader.u32();
    if (!enterprise) {
        return dhcp_error(DhcpErrorKind::Truncated, "DHCPv6 option 16 has no enterprise number");
    }
    Dhcpv6VendorClass vendor_class{*enterprise, {}};
    while (!reader.empty()) {
        auto length = reader.u16();
        auto text = length ? reader.bytes(*length) : std::nullopt;
        if (!text) {
            return dhcp_error(DhcpErrorKind::Truncated,
                              "DHCPv6 option 16 vendor-class-data is cut short");
        }
        if (vendor_class.classes.size() == kMaxVendorClasses) {
            return dhcp_error(
                DhcpErrorKind::TooLarge,
                fmt::format("DHCPv6 option 16 holds more than {} classes", kMaxVendorClasses));
        }
        vendor_class.classes.emplace_back(text->begin(), text->end());
    }
    return vendor_class;
}

Result<Bytes> encode_dhcpv6_vendor_class(const Dhcpv6VendorClass& vendor_class) {
    ByteWriter writer;
    writer.u32(vendor_class.enterprise);
    for (const auto& text : vendor_class.classes) {
        if (text.size() > 0xffff) {
            return dhcp_error(DhcpErrorKind::TooLarge, "DHCPv6 vendor class longer than 65535");
        }
        writer.u16(static_cast<std::uint16_t>(text.size()));
        writer.text(text);
    }
    return writer.take();
}

}  // namespace agent::dhcp
