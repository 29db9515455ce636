#include "dhcp/dhcpv6_codec.hpp"

#include <fmt/format.h>

#include "dhcp/byte_reader.hpp"
#include "dhcp/byte_writer.hpp"

namespace agent::dhcp {
namespace {

constexpr std::size_t kDhcpv6HeaderSize = 4;

bool client_or_server_type(std::uint8_t type) {
    return type >= static_cast<std::uint8_t>(Dhcpv6MessageType::Solicit) &&
           type <= static_cast<std::uint8_t>(Dhcpv6MessageType::InformationRequest);
}

}  // namespace

Result<std::vector<Dhcpv6Option>> decode_dhcpv6_options(std::span<const std::uint8_t> data,
                                                        std::string_view container) {
    std::vector<Dhcpv6Option> options;
    ByteReader reader(data);
    while (!reader.empty()) {
        const std::size_t offset = reader.position();
        auto code = reader.u16();
        auto length = reader.u16();
        if (!code || !length) {
            return dhcp_error(
                DhcpErrorKind::Truncated,
                fmt::format("{}: option header at offset {} is cut short", container, offset));
        }
        auto value = reader.bytes(*length);
        if (!value) {
            return dhcp_error(DhcpErrorKind::Truncated,
                              fmt::format("{}: option {} declares {} bytes but only {} remain",
                                          container, *code, *length, reader.remaining()));
        }
        if (options.size() == kDhcpv6MaxOptions) {
            return dhcp_error(DhcpErrorKind::TooLarge, fmt::format("{}: more than {} options",
                                                                   container, kDhcpv6MaxOptions));
        }
        options.push_back(Dhcpv6Option{*code, Bytes(value->begin(), value->end())});
    }
    return options;
}

Result<Bytes> encode_dhcpv6_options(const std::vector<Dhcpv6Option>& options) {
    ByteWriter writer;
    for (const auto& option : options) {
        if (option.data.size() > 0xffff) {
            return dhcp_error(DhcpErrorKind::TooLarge,
                              fmt::format("DHCPv6 option {} of {} bytes exceeds 65535", option.code,
                                          option.data.size()));
        }
        writer.u16(option.code);
        writer.u16(static_cast<std::uint16_t>(option.data.size()));
        writer.bytes(option.data);
    }
    return writer.take();
}

Result<Dhcpv6Message> decode_dhcpv6(std::span<const std::uint8_t> packet) {
    if (packet.size() > kDhcpv6MaxMessageSize) {
        return dhcp_error(DhcpErrorKind::TooLarge,
                          fmt::format("DHCPv6 message of {} bytes exceeds the {}-byte limit",
                                      packet.size(), kDhcpv6MaxMessageSize));
    }
    if (packet.size() < kDhcpv6HeaderSize) {
        return dhcp_error(DhcpErrorKind::Truncated,
                          fmt::format("DHCPv6 message of {} bytes is shorter than its 4-byte "
                                      "header",
                                      packet.size()));
    }
    const std::uint8_t type = packet[0];
    if (!client_or_server_type(type)) {
        return dhcp_error(
            DhcpErrorKind::Unexpected,
            fmt::format("DHCPv6 message type {} is not a client/server message", type));
    }
    Dhcpv6Message message;
    message.type = static_cast<Dhcpv6MessageType>(type);
    message.transaction_id = (std::uint32_t{packet[1]} << 16) | (std::uint32_t{packet[2]} << 8) |
                             std::uint32_t{packet[3]};
    auto options = decode_dhcpv6_options(packet.subspan(kDhcpv6HeaderSize),
                                         fmt::format("DHCPv6 {}", to_string(message.type)));
    if (!options) return phonecwmp::Unexpected(options.error());
    message.options = std::move(*options);
    return message;
}

Result<Bytes> encode_dhcpv6(const Dhcpv6Message& message) {
    if (!client_or_server_type(static_cast<std::uint8_t>(message.type))) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("DHCPv6 message type {} cannot be encoded",
                                      static_cast<unsigned>(message.type)));
    }
    if (message.transaction_id > 0xffffff) {
        return dhcp_error(
            DhcpErrorKind::Invalid,
            fmt::format("transaction id 0x{:x} does not fit 24 bits", message.transaction_id));
    }
    auto options = encode_dhcpv6_options(message.options);
    if (!options) return phonecwmp::Unexpected(options.error());
    if (kDhcpv6HeaderSize + options->size() > kDhcpv6MaxMessageSize) {
        return dhcp_error(DhcpErrorKind::TooLarge,
                          fmt::format("DHCPv6 message of {} bytes exceeds the {}-byte limit",
                                      kDhcpv6HeaderSize + options->size(), kDhcpv6MaxMessageSize));
    }
    ByteWriter writer;
    writer.u8(static_cast<std::uint8_t>(message.type));
    writer.u8(static_cast<std::uint8_t>(message.transaction_id >> 16));
    writer.u16(static_cast<std::uint16_t>(message.transaction_id));
    writer.bytes(*options);
    return writer.take();
}

}  // namespace agent::dhcp
