// A DHCPv4 message (RFC 2131 §2): the BOOTP fixed header and the options,
// with every instance of one option code already concatenated (RFC 3396) and
// overloaded sname/file fields already folded into the options (RFC 2131
// option 52). Encoders and decoders translate between this and the wire.
#pragma once

#include <array>
#include <boost/asio/ip/address_v4.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agent::dhcp {

using Bytes = std::vector<std::uint8_t>;
using boost::asio::ip::address_v4;

// Option codes used by the agent (RFC 2132 and the RFCs named beside them).
namespace dhcpv4_option {
inline constexpr std::uint8_t kPad = 0;
inline constexpr std::uint8_t kSubnetMask = 1;
inline constexpr std::uint8_t kTimeOffset = 2;
inline constexpr std::uint8_t kRouters = 3;
inline constexpr std::uint8_t kDomainNameServers = 6;
inline constexpr std::uint8_t kHostName = 12;
inline constexpr std::uint8_t kDomainName = 15;
inline constexpr std::uint8_t kNtpServers = 42;
inline constexpr std::uint8_t kVendorSpecific = 43;
inline constexpr std::uint8_t kRequestedAddress = 50;
inline constexpr std::uint8_t kLeaseTime = 51;
inline constexpr std::uint8_t kOverload = 52;
inline constexpr std::uint8_t kMessageType = 53;
inline constexpr std::uint8_t kServerIdentifier = 54;
inline constexpr std::uint8_t kParameterRequestList = 55;
inline constexpr std::uint8_t kMessage = 56;
inline constexpr std::uint8_t kMaxMessageSize = 57;
inline constexpr std::uint8_t kRenewalTime = 58;
inline constexpr std::uint8_t kRebindingTime = 59;
inline constexpr std::uint8_t kVendorClassIdentifier = 60;
inline constexpr std::uint8_t kClientIdentifier = 61;
inline constexpr std::uint8_t kTftpServerName = 66;
inline constexpr std::uint8_t kBootFileName = 67;
inline constexpr std::uint8_t kDomainSearch = 119;               // RFC 3397
inline constexpr std::uint8_t kClasslessRoutes = 121;            // RFC 3442
inline constexpr std::uint8_t kVendorIdentifyingClass = 124;     // RFC 3925
inline constexpr std::uint8_t kVendorIdentifyingSpecific = 125;  // RFC 3925
inline constexpr std::uint8_t kTftpServerAddresses = 150;        // RFC 5859
inline constexpr std::uint8_t kConfigurationFile = 159;          // Cisco/Polycom provisioning
inline constexpr std::uint8_t kProvisioningServer = 160;         // Polycom-style provisioning URL
inline constexpr std::uint8_t kEnd = 255;
}  // namespace dhcpv4_option

enum class Dhcpv4MessageType : std::uint8_t {
    Discover = 1,
    Offer = 2,
    Request = 3,
    Decline = 4,
    Ack = 5,
    Nak = 6,
    Release = 7,
    Inform = 8,
};

const char* to_string(Dhcpv4MessageType type);

inline constexpr std::uint8_t kBootRequest = 1;
inline constexpr std::uint8_t kBootReply = 2;
inline constexpr std::uint16_t kBroadcastFlag = 0x8000;

struct Dhcpv4Option {
    std::uint8_t code = 0;
    Bytes data;
};

struct Dhcpv4Message {
    std::uint8_t op = kBootRequest;
    std::uint8_t htype = 1;  // Ethernet
    std::uint8_t hlen = 6;
    std::uint8_t hops = 0;
    std::uint32_t xid = 0;
    std::uint16_t secs = 0;
    std::uint16_t flags = 0;
    address_v4 ciaddr;
    address_v4 yiaddr;
    address_v4 siaddr;
    address_v4 giaddr;
    std::array<std::uint8_t, 16> chaddr{};
    std::string server_name;  // sname, when it is not overloaded with options
    std::string boot_file;    // file, when it is not overloaded with options
    // One entry per code in order of first appearance, data of all instances
    // concatenated.
    std::vector<Dhcpv4Option> options;

    const Bytes* find(std::uint8_t code) const;
    // Replaces the option's data, or appends the option when absent.
    void set(std::uint8_t code, Bytes data);
    // The value of option 53 when it is present and one byte long.
    std::optional<std::uint8_t> message_type_code() const;
};

}  // namespace agent::dhcp
