// IPv4 + UDP headers for the link-level path of the DHCPv4 client (RFC 791,
// RFC 768): a host without an address sends and receives whole IP packets
// through an AF_PACKET socket, so it builds and checks them itself.
#pragma once

#include <cstdint>
#include <span>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

inline constexpr std::size_t kIpv4HeaderSize = 20;
inline constexpr std::size_t kUdpHeaderSize = 8;
inline constexpr std::uint8_t kIpProtocolUdp = 17;

struct UdpEndpoints {
    address_v4 source;
    std::uint16_t source_port = 0;
    address_v4 destination;
    std::uint16_t destination_port = 0;
};

// An IPv4 header without options (TTL 64, not fragmented) and a UDP header,
// both checksums filled in, followed by `payload`. Fails when the result
// would exceed 65535 bytes.
Result<Bytes> build_ipv4_udp_datagram(const UdpEndpoints& endpoints,
                                      std::span<const std::uint8_t> payload);

struct ParsedUdpDatagram {
    UdpEndpoints endpoints;
    std::span<const std::uint8_t> payload;  // into the parsed packet
};

enum class UdpChecksumCheck {
    Verify,
    // The kernel reported the checksum as not yet computed (a packet from
    // this host's stack seen on a veth or loopback with offload): skip it.
    Skip,
};

// Parses an IPv4 packet carrying UDP: version, header length and checksum,
// total length within `packet` (link padding after it is ignored), no
// fragment, protocol 17, UDP length and (unless skipped, or zero as RFC 768
// allows) the UDP checksum.
Result<ParsedUdpDatagram> parse_ipv4_udp_datagram(std::span<const std::uint8_t> packet,
                                                  UdpChecksumCheck check);

// RFC 1071 ones' complement sum of `data`, added to `initial`, not folded.
std::uint32_t internet_checksum_sum(std::span<const std::uint8_t> data, std::uint32_t initial = 0);
std::uint16_t fold_internet_checksum(std::uint32_t sum);

}  // namespace agent::dhcp
