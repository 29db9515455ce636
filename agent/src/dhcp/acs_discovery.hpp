// What a DHCP server says about the ACS (TR-069 §3.1, DESIGN.md §2):
// DHCPv4 option 43 sub-options 1-4 (or a bare URL filling the option),
// option 125 enterprise 3561 sub-options 11-14 (same four values) and 4-6
// (the gateway's identity, TR-069 Annex F), DHCPv6 option 17 enterprise 3561
// sub-options 1-4. Every value is validated against the range of the
// parameter it is destined for.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"
#include "dhcp/dhcpv6_message.hpp"
#include "dhcp/vendor_options.hpp"

namespace agent::dhcp {

enum class AcsDiscoverySource { Option43, Option125, Dhcpv6Option17 };

const char* to_string(AcsDiscoverySource source);

// Sub-option codes.
namespace acs_suboption {
inline constexpr std::uint8_t kOption43Url = 1;
inline constexpr std::uint8_t kOption43ProvisioningCode = 2;
inline constexpr std::uint8_t kOption43RetryMinimumWait = 3;
inline constexpr std::uint8_t kOption43RetryMultiplier = 4;
// Option 125 / 3561, Annex F: 1-3 are what a device sends about itself,
// 4-6 what the gateway's server answers about the gateway.
inline constexpr std::uint8_t kDeviceManufacturerOui = 1;
inline constexpr std::uint8_t kDeviceSerialNumber = 2;
inline constexpr std::uint8_t kDeviceProductClass = 3;
inline constexpr std::uint8_t kGatewayManufacturerOui = 4;
inline constexpr std::uint8_t kGatewaySerialNumber = 5;
inline constexpr std::uint8_t kGatewayProductClass = 6;
inline constexpr std::uint8_t kOption125Url = 11;
inline constexpr std::uint8_t kOption125ProvisioningCode = 12;
inline constexpr std::uint8_t kOption125RetryMinimumWait = 13;
inline constexpr std::uint8_t kOption125RetryMultiplier = 14;
inline constexpr std::uint16_t kDhcpv6Url = 1;
inline constexpr std::uint16_t kDhcpv6ProvisioningCode = 2;
inline constexpr std::uint16_t kDhcpv6RetryMinimumWait = 3;
inline constexpr std::uint16_t kDhcpv6RetryMultiplier = 4;
}  // namespace acs_suboption

// Limits of the destination parameters (TR-181 Device:2).
inline constexpr std::size_t kMaxAcsUrlLength = 256;           // ManagementServer.URL
inline constexpr std::size_t kMaxProvisioningCodeLength = 64;  // DeviceInfo.ProvisioningCode
inline constexpr std::uint32_t kMinRetryMinimumWait = 1;       // CWMPRetryMinimumWaitInterval
inline constexpr std::uint32_t kMaxRetryMinimumWait = 65535;
inline constexpr std::uint32_t kMinRetryMultiplier = 1000;  // CWMPRetryIntervalMultiplier
inline constexpr std::uint32_t kMaxRetryMultiplier = 65535;
inline constexpr std::size_t kMaxGatewayFieldLength = 64;  // GatewayInfo.SerialNumber etc.

struct AcsDiscovery {
    AcsDiscoverySource source = AcsDiscoverySource::Option43;
    std::string url;
    std::optional<std::string> provisioning_code;
    std::optional<std::uint32_t> retry_minimum_wait_interval;
    std::optional<std::uint32_t> retry_interval_multiplier;
    bool operator==(const AcsDiscovery&) const = default;
};

// → Device.GatewayInfo.ManufacturerOUI / SerialNumber / ProductClass.
struct GatewayIdentity {
    std::string manufacturer_oui;  // 6 upper-case hex digits
    std::string serial_number;
    std::string product_class;
    bool operator==(const GatewayIdentity&) const = default;
};

struct DhcpAcsInformation {
    std::optional<AcsDiscovery> acs;
    std::optional<GatewayIdentity> gateway;
    // ACS options that were present but not used, each with the reason; for
    // the log.
    std::vector<std::string> ignored;
};

Result<AcsDiscovery> parse_acs_option43(std::span<const std::uint8_t> data);

struct Option125Information {
    std::optional<AcsDiscovery> acs;
    std::optional<GatewayIdentity> gateway;
};

// The enterprise-3561 block of option 125 (other enterprises are ignored).
Result<Option125Information> parse_acs_option125(std::span<const std::uint8_t> data);

// Option 17 instances of other enterprises are skipped; no 3561 instance
// yields an empty result.
Result<std::optional<AcsDiscovery>> parse_acs_dhcpv6(const Dhcpv6Message& message);

// The preference rule of TR-069 §3.1: when both 43 and 125 carry an ACS URL,
// the one listed first in `requested_options` (the option 55 the client
// sent) wins, and 43 when neither was listed. When the preferred option is
// unusable the other is taken and the reason recorded in `ignored`. Fails
// only when an ACS option was present and none was usable.
Result<DhcpAcsInformation> discover_acs(const Dhcpv4Message& message,
                                        std::span<const std::uint8_t> requested_options);

}  // namespace agent::dhcp
