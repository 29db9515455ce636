#include "dhcp/dns_name_list.hpp"

#include <fmt/format.h>

namespace agent::dhcp {
namespace {

constexpr std::size_t kMaxLabelLength = 63;
constexpr std::size_t kMaxWireNameLength = 255;

bool acceptable_label_byte(std::uint8_t byte) {
    return byte > 0x20 && byte < 0x7f && byte != '.';
}

// Reads the name starting at `start`; returns it and the offset just after
// it in the list (after the first pointer when the name is compressed).
// Pointers must point strictly before the label that holds them, so every
// jump goes backwards and the walk always ends.
Result<std::pair<std::string, std::size_t>> read_name(std::span<const std::uint8_t> data,
                                                      std::size_t start,
                                                      DnsNameCompression compression) {
    std::string name;
    std::size_t wire_length = 1;  // the root label
    std::size_t position = start;
    std::optional<std::size_t> resume;
    while (true) {
        if (position >= data.size()) {
            return dhcp_error(
                DhcpErrorKind::Truncated,
                fmt::format("DNS name at offset {} runs past the end of the list", start));
        }
        const std::uint8_t length = data[position];
        if (length == 0) {
            if (!resume) resume = position + 1;
            break;
        }
        if ((length & 0xc0) == 0xc0) {
            if (compression == DnsNameCompression::Forbidden) {
                return dhcp_error(DhcpErrorKind::Malformed,
                                  fmt::format("compression pointer at offset {} where RFC 8415 "
                                              "forbids compression",
                                              position));
            }
            if (position + 1 >= data.size()) {
                return dhcp_error(
                    DhcpErrorKind::Truncated,
                    fmt::format("compression pointer at offset {} cut short", position));
            }
            const std::size_t target =
                static_cast<std::size_t>(((length & 0x3f) << 8) | data[position + 1]);
            if (target >= position) {
                return dhcp_error(DhcpErrorKind::Malformed,
                                  fmt::format("compression pointer at offset {} points forward "
                                              "to {}",
                                              position, target));
            }
            if (!resume) resume = position + 2;
            position = target;
            continue;
        }
        if ((length & 0xc0) != 0) {
            return dhcp_error(DhcpErrorKind::Malformed,
                              fmt::format("label type 0x{:02x} at offset {} is not a length or "
                                          "pointer",
                                          length & 0xc0, position));
        }
        if (position + 1 + length > data.size()) {
            return dhcp_error(
                DhcpErrorKind::Truncated,
                fmt::format("label of {} bytes at offset {} runs past the end", length, position));
        }
        wire_length += 1 + length;
        if (wire_length > kMaxWireNameLength) {
            return dhcp_error(DhcpErrorKind::TooLarge,
                              fmt::format("DNS name at offset {} is longer than 255 bytes", start));
        }
        if (!name.empty()) name += '.';
        for (std::size_t i = 0; i < length; ++i) {
            const std::uint8_t byte = data[position + 1 + i];
            if (!acceptable_label_byte(byte)) {
                return dhcp_error(
                    DhcpErrorKind::Malformed,
                    fmt::format("DNS label at offset {} contains byte 0x{:02x}", position, byte));
            }
            name += static_cast<char>(byte);
        }
        position += 1 + length;
    }
    if (name.empty()) {
        return dhcp_error(DhcpErrorKind::Malformed,
                          fmt::format("empty DNS name (root) at offset {}", start));
    }
    return std::pair{std::move(name), *resume};
}

}  // namespace

Result<std::vector<std::string>> decode_dns_name_list(std::span<const std::uint8_t> data,
                                                      DnsNameCompression compression) {
    std::vector<std::string> names;
    std::size_t position = 0;
    while (position < data.size()) {
        if (names.size() == kMaxDnsNamesInList) {
            return dhcp_error(
                DhcpErrorKind::TooLarge,
                fmt::format("more than {} DNS names in one list", kMaxDnsNamesInList));
        }
        auto name = read_name(data, position, compression);
        if (!name) return phonecwmp::Unexpected(name.error());
        names.push_back(std::move(name->first));
        position = name->second;
    }
    if (names.empty()) {
        return dhcp_error(DhcpErrorKind::Malformed, "empty DNS name list");
    }
    return names;
}

Result<Bytes> encode_dns_name_list(const std::vector<std::string>& names) {
    Bytes wire;
    for (const auto& name : names) {
        std::size_t name_length = 1;
        std::size_t label_start = 0;
        if (name.empty()) return dhcp_error(DhcpErrorKind::Invalid, "empty DNS name");
        while (label_start <= name.size()) {
            auto dot = name.find('.', label_start);
            if (dot == std::string::npos) dot = name.size();
            const std::size_t length = dot - label_start;
            if (length == 0 || length > kMaxLabelLength) {
                return dhcp_error(
                    DhcpErrorKind::Invalid,
                    fmt::format("DNS name \"{}\" has a label of {} bytes", name, length));
            }
            name_length += 1 + length;
            if (name_length > kMaxWireNameLength) {
                return dhcp_error(DhcpErrorKind::Invalid,
                                  fmt::format("DNS name \"{}\" is longer than 255 bytes", name));
            }
            wire.push_back(static_cast<std::uint8_t>(length));
            wire.insert(wire.end(), name.begin() + static_cast<std::ptrdiff_t>(label_start),
                        name.begin() + static_cast<std::ptrdiff_t>(dot));
            label_start = dot + 1;
        }
        wire.push_back(0);
    }
    return wire;
}

}  // namespace agent::dhcp
