#include "dhcp/ipv4_udp_datagram.hpp"

#include <fmt/format.h>

namespace agent::dhcp {
namespace {

constexpr std::size_t kMaxIpv4PacketSize = 0xffff;
constexpr std::uint8_t kDefaultTtl = 64;

void put_u16(Bytes& out, std::size_t offset, std::uint16_t value) {
    out[offset] = static_cast<std::uint8_t>(value >> 8);
    out[offset + 1] = static_cast<std::uint8_t>(value & 0xff);
}

void put_u32(Bytes& out, std::size_t offset, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        out[offset + static_cast<std::size_t>(i)] =
            static_cast<std::uint8_t>(value >> (24 - 8 * i));
    }
}

std::uint16_t get_u16(std::span<const std::uint8_t> data, std::size_t offset) {
    return static_cast<std::uint16_t>((data[offset] << 8) | data[offset + 1]);
}

std::uint32_t get_u32(std::span<const std::uint8_t> data, std::size_t offset) {
    return (std::uint32_t{data[offset]} << 24) | (std::uint32_t{data[offset + 1]} << 16) |
           (std::uint32_t{data[offset + 2]} << 8) | data[offset + 3];
}

// RFC 768: the pseudo-header of source, destination, protocol and UDP length.
std::uint32_t pseudo_header_sum(address_v4 source, address_v4 destination,
                                std::uint16_t udp_length) {
    std::uint32_t sum = 0;
    sum += source.to_uint() >> 16;
    sum += source.to_uint() & 0xffff;
    sum += destination.to_uint() >> 16;
    sum += destination.to_uint() & 0xffff;
    sum += kIpProtocolUdp;
    sum += udp_length;
    return sum;
}

}  // namespace

std::uint32_t internet_checksum_sum(std::span<const std::uint8_t> data, std::uint32_t initial) {
    std::uint64_t sum = initial;
    std::size_t i = 0;
    for (; i + 1 < data.size(); i += 2) sum += get_u16(data, i);
    if (i < data.size()) sum += std::uint32_t{data[i]} << 8;
    while (sum >> 32) sum = (sum & 0xffffffff) + (sum >> 32);
    return static_cast<std::uint32_t>(sum);
}

std::uint16_t fold_internet_checksum(std::uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

Result<Bytes> build_ipv4_udp_datagram(const UdpEndpoints& endpoints,
                                      std::span<const std::uint8_t> payload) {
    const std::size_t total = kIpv4HeaderSize + kUdpHeaderSize + payload.size();
    if (total > kMaxIpv4PacketSize) {
        return dhcp_error(
            DhcpErrorKind::TooLarge,
            fmt::format("UDP payload of {} bytes does not fit an IPv4 packet", payload.size()));
    }
    Bytes packet(total, 0);
    packet[0] = 0x45;  // version 4, 5 words of header
    put_u16(packet, 2, static_cast<std::uint16_t>(total));
    packet[8] = kDefaultTtl;
    packet[9] = kIpProtocolUdp;
    put_u32(packet, 12, endpoints.source.to_uint());
    put_u32(packet, 16, endpoints.destination.to_uint());
    put_u16(packet, 10,
            fold_internet_checksum(internet_checksum_sum(
                std::span<const std::uint8_t>(packet).first(kIpv4HeaderSize))));

    const auto udp_length = static_cast<std::uint16_t>(kUdpHeaderSize + payload.size());
    put_u16(packet, kIpv4HeaderSize, endpoints.source_port);
    put_u16(packet, kIpv4HeaderSize + 2, endpoints.destination_port);
    put_u16(packet, kIpv4HeaderSize + 4, udp_length);
    std::copy(payload.begin(), payload.end(),
              packet.begin() + static_cast<std::ptrdiff_t>(kIpv4HeaderSize + kUdpHeaderSize));
    std::uint16_t udp_checksum = fold_internet_checksum(internet_checksum_sum(
        std::span<const std::uint8_t>(packet).subspan(kIpv4HeaderSize),
        pseudo_header_sum(endpoints.source, endpoints.destination, udp_length)));
    // RFC 768: a computed 0 is sent as all ones; 0 means "no checksum".
    if (udp_checksum == 0) udp_checksum = 0xffff;
    put_u16(packet, kIpv4HeaderSize + 6, udp_checksum);
    return packet;
}

Result<ParsedUdpDatagram> parse_ipv4_udp_datagram(std::span<const std::uint8_t> packet,
                                                  UdpChecksumCheck check) {
    if (packet.size() < kIpv4HeaderSize) {
        return dhcp_error(
            DhcpErrorKind::Truncated,
            fmt::format("IPv4 packet of {} bytes is shorter than a header", packet.size()));
    }
    if ((packet[0] >> 4) != 4) {
        return dhcp_error(DhcpErrorKind::Malformed,
                          fmt::format("IP version {} is not 4", packet[0] >> 4));
    }
    const std::size_t header_length = std::size_t{packet[0] & 0x0fU} * 4;
    const std::size_t total_length = get_u16(packet, 2);
    if (header_length < kIpv4HeaderSize || total_length < header_length + kUdpHeaderSize ||
        total_length > packet.size()) {
        return dhcp_error(DhcpErrorKind::Malformed,
                          fmt::format("IPv4 header length {} / total length {} inconsistent with "
                                      "{} bytes received",
                                      header_length, total_length, packet.size()));
    }
    if (fold_internet_checksum(internet_checksum_sum(packet.first(header_length))) != 0) {
        return dhcp_error(DhcpErrorKind::Malformed, "IPv4 header checksum mismatch");
    }
    if ((get_u16(packet, 6) & 0x3fff) != 0) {
        // More-fragments flag or an offset: DHCP replies fit one frame.
        return dhcp_error(DhcpErrorKind::Unexpected, "IPv4 fragment");
    }
    if (packet[9] != kIpProtocolUdp) {
        return dhcp_error(DhcpErrorKind::Unexpected,
                          fmt::format("IP protocol {} is not UDP", packet[9]));
    }
    const auto ip_packet = packet.first(total_length);
    const auto udp = ip_packet.subspan(header_length);
    const std::size_t udp_length = get_u16(udp, 4);
    if (udp_length < kUdpHeaderSize || udp_length > udp.size()) {
        return dhcp_error(DhcpErrorKind::Malformed,
                          fmt::format("UDP length {} inconsistent with {} bytes after the IP "
                                      "header",
                                      udp_length, udp.size()));
    }
    ParsedUdpDatagram parsed;
    parsed.endpoints.source = address_v4(get_u32(ip_packet, 12));
    parsed.endpoints.destination = address_v4(get_u32(ip_packet, 16));
    parsed.endpoints.source_port = get_u16(udp, 0);
    parsed.endpoints.destination_port = get_u16(udp, 2);
    if (check == UdpChecksumCheck::Verify && get_u16(udp, 6) != 0) {
        const std::uint32_t sum = internet_checksum_sum(
            udp.first(udp_length),
            pseudo_header_sum(parsed.endpoints.source, parsed.endpoints.destination,
                              static_cast<std::uint16_t>(udp_length)));
        if (fold_internet_checksum(sum) != 0) {
            return dhcp_error(DhcpErrorKind::Malformed, "UDP checksum mismatch");
        }
    }
    parsed.payload = udp.subspan(kUdpHeaderSize, udp_length - kUdpHeaderSize);
    return parsed;
}

}  // namespace agent::dhcp
