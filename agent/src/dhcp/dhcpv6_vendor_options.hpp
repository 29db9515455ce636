// DHCPv6 vendor options (RFC 8415 §21.16, §21.17): option 16 Vendor Class
// (enterprise + length-prefixed class strings) and option 17 Vendor-specific
// Information (enterprise + 16-bit code/length sub-options).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv6_message.hpp"

namespace agent::dhcp {

struct Dhcpv6VendorOptions {
    std::uint32_t enterprise = 0;
    std::vector<Dhcpv6Option> suboptions;
    bool operator==(const Dhcpv6VendorOptions&) const = default;
};

Result<Dhcpv6VendorOptions> decode_dhcpv6_vendor_options(std::span<const std::uint8_t> data);
Result<Bytes> encode_dhcpv6_vendor_options(const Dhcpv6VendorOptions& options);

struct Dhcpv6VendorClass {
    std::uint32_t enterprise = 0;
    std::vector<std::string> classes;
    bool operator==(const Dhcpv6VendorClass&) const = default;
};

Result<Dhcpv6VendorClass> decode_dhcpv6_vendor_class(std::span<const std::uint8_t> data);
Result<Bytes> encode_dhcpv6_vendor_class(const Dhcpv6VendorClass& vendor_class);

}  // namespace agent::dhcp
