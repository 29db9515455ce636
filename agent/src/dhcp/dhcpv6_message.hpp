// A DHCPv6 client/server message (RFC 8415 §8): type, 24-bit transaction id
// and options. Options keep their wire order and may repeat (several IA_NA,
// several option 17 for different enterprises).
#pragma once

#include <boost/asio/ip/address_v6.hpp>
#include <cstdint>
#include <vector>

#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

using boost::asio::ip::address_v6;

namespace dhcpv6_option {
inline constexpr std::uint16_t kClientId = 1;
inline constexpr std::uint16_t kServerId = 2;
inline constexpr std::uint16_t kIaNa = 3;
inline constexpr std::uint16_t kIaAddress = 5;
inline constexpr std::uint16_t kOptionRequest = 6;
inline constexpr std::uint16_t kPreference = 7;
inline constexpr std::uint16_t kElapsedTime = 8;
inline constexpr std::uint16_t kStatusCode = 13;
inline constexpr std::uint16_t kRapidCommit = 14;
inline constexpr std::uint16_t kVendorClass = 16;
inline constexpr std::uint16_t kVendorOptions = 17;
inline constexpr std::uint16_t kDnsServers = 23;  // RFC 3646
inline constexpr std::uint16_t kDomainList = 24;  // RFC 3646
inline constexpr std::uint16_t kNtpServer = 56;   // RFC 5908
}  // namespace dhcpv6_option

enum class Dhcpv6MessageType : std::uint8_t {
    Solicit = 1,
    Advertise = 2,
    Request = 3,
    Confirm = 4,
    Renew = 5,
    Rebind = 6,
    Reply = 7,
    Release = 8,
    Decline = 9,
    Reconfigure = 10,
    InformationRequest = 11,
};

const char* to_string(Dhcpv6MessageType type);

struct Dhcpv6Option {
    std::uint16_t code = 0;
    Bytes data;
    bool operator==(const Dhcpv6Option&) const = default;
};

struct Dhcpv6Message {
    Dhcpv6MessageType type = Dhcpv6MessageType::Solicit;
    std::uint32_t transaction_id = 0;  // 24 bits on the wire
    std::vector<Dhcpv6Option> options;

    // The first option with `code`, or nullptr.
    const Bytes* find(std::uint16_t code) const;
};

}  // namespace agent::dhcp
