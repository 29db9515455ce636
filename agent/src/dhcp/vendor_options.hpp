// DHCPv4 vendor option containers: the code/length/value sub-option chain of
// option 43 (RFC 2132 §8.4) and the enterprise blocks of option 125
// (RFC 3925 §4), whose data is the same kind of chain.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

// Broadband Forum's IANA enterprise number (TR-069 §3.1, Annex F).
inline constexpr std::uint32_t kBroadbandForumEnterprise = 3561;
inline constexpr std::size_t kMaxVendorSubOptions = 64;

struct VendorSubOption {
    std::uint8_t code = 0;
    Bytes data;
    bool operator==(const VendorSubOption&) const = default;
};

// One entry per code in order of first appearance; repeated codes are
// concatenated (RFC 3396 §7 applies to encapsulated options too). Pad (0) is
// skipped and End (255) ends the chain: servers such as dnsmasq close option
// 43 with it.
Result<std::vector<VendorSubOption>> decode_vendor_suboptions(std::span<const std::uint8_t> data,
                                                              std::string_view container);

// Sub-options longer than 255 bytes are split into several instances.
Bytes encode_vendor_suboptions(const std::vector<VendorSubOption>& suboptions);

const VendorSubOption* find_vendor_suboption(const std::vector<VendorSubOption>& suboptions,
                                             std::uint8_t code);

struct VendorIdentifyingBlock {
    std::uint32_t enterprise = 0;
    std::vector<VendorSubOption> suboptions;
    bool operator==(const VendorIdentifyingBlock&) const = default;
};

// Option 125: blocks of the same enterprise are merged.
Result<std::vector<VendorIdentifyingBlock>> decode_vendor_identifying_option(
    std::span<const std::uint8_t> data);

// Fails when one enterprise's sub-options exceed the 255 bytes of data-len.
Result<Bytes> encode_vendor_identifying_option(const std::vector<VendorIdentifyingBlock>& blocks);

}  // namespace agent::dhcp
