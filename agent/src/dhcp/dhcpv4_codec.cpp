#include "dhcp/dhcpv4_codec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "dhcp/byte_reader.hpp"
#include "dhcp/byte_writer.hpp"

namespace agent::dhcp {
namespace {

constexpr std::array<std::uint8_t, 4> kMagicCookie{99, 130, 83, 99};
constexpr std::size_t kServerNameSize = 64;
constexpr std::size_t kBootFileSize = 128;
constexpr std::uint8_t kOverloadFile = 1;
constexpr std::uint8_t kOverloadServerName = 2;

struct OptionInstance {
    std::uint8_t code;
    std::span<const std::uint8_t> data;
};

// Reads one option area (the options field, or an overloaded file/sname).
// Stops at End; an area that simply runs out without End is accepted as long
// as no option is cut.
Result<void> read_option_area(std::span<const std::uint8_t> area, const char* area_name,
                              std::vector<OptionInstance>& instances) {
    ByteReader reader(area);
    while (!reader.empty()) {
        const std::size_t offset = reader.position();
        const std::uint8_t code = *reader.u8();
        if (code == dhcpv4_option::kPad) continue;
        if (code == dhcpv4_option::kEnd) return {};
        auto length = reader.u8();
        if (!length) {
            return dhcp_error(
                DhcpErrorKind::Truncated,
                fmt::format("option {} at offset {} of the {} field has no length byte", code,
                            offset, area_name));
        }
        auto data = reader.bytes(*length);
        if (!data) {
            return dhcp_error(DhcpErrorKind::Truncated,
                              fmt::format("option {} in the {} field declares {} bytes but only {} "
                                          "remain",
                                          code, area_name, *length, reader.remaining()));
        }
        if (instances.size() == kDhcpv4MaxOptionInstances) {
            return dhcp_error(DhcpErrorKind::TooLarge, fmt::format("more than {} option instances",
                                                                   kDhcpv4MaxOptionInstances));
        }
        instances.push_back(OptionInstance{code, *data});
    }
    return {};
}

std::string text_field(std::span<const std::uint8_t> field) {
    auto end = std::find(field.begin(), field.end(), std::uint8_t{0});
    return std::string(field.begin(), end);
}

address_v4 read_address(ByteReader& reader) {
    return address_v4(*reader.u32());
}

void write_address(ByteWriter& writer, const address_v4& address) {
    writer.u32(address.to_uint());
}

// Packs option instances into one area, splitting an option across
// instances (RFC 3396) when it is longer than 255 bytes or the area fills.
class AreaPacker {
public:
    explicit AreaPacker(std::size_t capacity) : capacity_(capacity) {}

    // Writes as much of `data` as fits; returns how many bytes were written.
    // A zero-length option is written whole or not at all.
    std::optional<std::size_t> put(std::uint8_t code, std::span<const std::uint8_t> data) {
        const std::size_t space = capacity_ - std::min(capacity_, bytes_.size());
        if (data.empty()) {
            if (space < 2) return std::nullopt;
            bytes_.u8(code);
            bytes_.u8(0);
            return 0;
        }
        if (space < 3) return std::nullopt;
        const std::size_t chunk = std::min({data.size(), std::size_t{255}, space - 2});
        bytes_.u8(code);
        bytes_.u8(static_cast<std::uint8_t>(chunk));
        bytes_.bytes(data.first(chunk));
        return chunk;
    }
    const std::vector<std::uint8_t>& bytes() const { return bytes_.view(); }

private:
    std::size_t capacity_;
    ByteWriter bytes_;
};

}  // namespace

Result<Dhcpv4Message> decode_dhcpv4(std::span<const std::uint8_t> packet) {
    if (packet.size() > kDhcpv4MaxMessageSize) {
        return dhcp_error(DhcpErrorKind::TooLarge,
                          fmt::format("DHCPv4 message of {} bytes exceeds the {}-byte limit",
                                      packet.size(), kDhcpv4MaxMessageSize));
    }
    if (packet.size() < kDhcpv4HeaderSize) {
        return dhcp_error(DhcpErrorKind::Truncated,
                          fmt::format("DHCPv4 message of {} bytes is shorter than the {}-byte "
                                      "header and magic cookie",
                                      packet.size(), kDhcpv4HeaderSize));
    }
    ByteReader reader(packet);
    Dhcpv4Message message;
    message.op = *reader.u8();
    if (message.op != kBootRequest && message.op != kBootReply) {
        return dhcp_error(
            DhcpErrorKind::Malformed,
            fmt::format("BOOTP op {} is neither BOOTREQUEST (1) nor BOOTREPLY (2)", message.op));
    }
    message.htype = *reader.u8();
    message.hlen = *reader.u8();
    if (message.hlen > message.chaddr.size()) {
        return dhcp_error(DhcpErrorKind::Malformed,
                          fmt::format("hardware address length {} exceeds the 16-byte chaddr "
                                      "field",
                                      message.hlen));
    }
    message.hops = *reader.u8();
    message.xid = *reader.u32();
    message.secs = *reader.u16();
    message.flags = *reader.u16();
    message.ciaddr = read_address(reader);
    message.yiaddr = read_address(reader);
    message.siaddr = read_address(reader);
    message.giaddr = read_address(reader);
    auto chaddr = *reader.bytes(message.chaddr.size());
    std::copy(chaddr.begin(), chaddr.end(), message.chaddr.begin());
    auto server_name = *reader.bytes(kServerNameSize);
    auto boot_file = *reader.bytes(kBootFileSize);
    auto cookie = *reader.bytes(kMagicCookie.size());
    if (!std::equal(cookie.begin(), cookie.end(), kMagicCookie.begin())) {
        return dhcp_error(DhcpErrorKind::Malformed,
                          fmt::format("magic cookie {}.{}.{}.{} is not 99.130.83.99: a BOOTP "
                                      "message, not DHCP",
                                      cookie[0], cookie[1], cookie[2], cookie[3]));
    }

    std::vector<OptionInstance> instances;
    if (auto read = read_option_area(reader.rest(), "options", instances); !read) {
        return phonecwmp::Unexpected(read.error());
    }

    std::uint8_t overload = 0;
    for (const auto& instance : instances) {
        if (instance.code != dhcpv4_option::kOverload) continue;
        if (instance.data.size() != 1 || instance.data[0] < 1 || instance.data[0] > 3) {
            return dhcp_error(DhcpErrorKind::Malformed,
                              "option 52 (overload) must be one byte of value 1, 2 or 3");
        }
        overload = instance.data[0];
    }
    const std::size_t options_field_instances = instances.size();
    // RFC 2131 §4.1: the options field first, then file, then sname.
    if (overload & kOverloadFile) {
        if (auto read = read_option_area(boot_file, "file", instances); !read) {
            return phonecwmp::Unexpected(read.error());
        }
    } else {
        message.boot_file = text_field(boot_file);
    }
    if (overload & kOverloadServerName) {
        if (auto read = read_option_area(server_name, "sname", instances); !read) {
            return phonecwmp::Unexpected(read.error());
        }
    } else {
        message.server_name = text_field(server_name);
    }

    for (std::size_t i = 0; i < instances.size(); ++i) {
        const auto& instance = instances[i];
        if (instance.code == dhcpv4_option::kOverload) {
            if (i >= options_field_instances) {
                return dhcp_error(DhcpErrorKind::Malformed,
                                  "option 52 (overload) inside an overloaded sname/file field");
            }
            continue;  // consumed above; not an option the caller sees
        }
        auto found =
            std::find_if(message.options.begin(), message.options.end(),
                         [&](const Dhcpv4Option& option) { return option.code == instance.code; });
        if (found == message.options.end()) {
            message.options.push_back(
                Dhcpv4Option{instance.code, Bytes(instance.data.begin(), instance.data.end())});
        } else {
            found->data.insert(found->data.end(), instance.data.begin(), instance.data.end());
        }
    }
    return message;
}

Result<Bytes> encode_dhcpv4(const Dhcpv4Message& message, Dhcpv4EncodeLimits limits) {
    if (limits.max_message_size < kDhcpv4MinimumEncodedSize ||
        limits.max_message_size > kDhcpv4MaxMessageSize) {
        return dhcp_error(
            DhcpErrorKind::Invalid,
            fmt::format("maximum message size {} is outside {}..{}", limits.max_message_size,
                        kDhcpv4MinimumEncodedSize, kDhcpv4MaxMessageSize));
    }
    if (message.hlen > message.chaddr.size()) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("hardware address length {} exceeds 16", message.hlen));
    }
    if (message.server_name.size() >= kServerNameSize) {
        return dhcp_error(DhcpErrorKind::TooLarge,
                          fmt::format("server name of {} bytes does not fit the 64-byte sname "
                                      "field with its terminating NUL",
                                      message.server_name.size()));
    }
    if (message.boot_file.size() >= kBootFileSize) {
        return dhcp_error(DhcpErrorKind::TooLarge,
                          fmt::format("boot file name of {} bytes does not fit the 128-byte file "
                                      "field with its terminating NUL",
                                      message.boot_file.size()));
    }
    for (const auto& option : message.options) {
        if (option.code == dhcpv4_option::kPad || option.code == dhcpv4_option::kEnd ||
            option.code == dhcpv4_option::kOverload) {
            return dhcp_error(
                DhcpErrorKind::Invalid,
                fmt::format("option {} is framing, not an option with a value", option.code));
        }
    }

    // The options field without overload: every option, then End.
    const std::size_t options_capacity = limits.max_message_size - kDhcpv4HeaderSize;
    std::vector<AreaPacker> areas;
    std::uint8_t overload = 0;
    auto pack = [&](std::vector<AreaPacker>& packers) -> bool {
        std::size_t area = 0;
        for (const auto& option : message.options) {
            std::span<const std::uint8_t> rest(option.data);
            bool written = false;
            while (!written || !rest.empty()) {
                if (area == packers.size()) return false;
                auto put = packers[area].put(option.code, rest);
                if (!put) {
                    ++area;
                    continue;
                }
                rest = rest.subspan(*put);
                written = true;
            }
        }
        return true;
    };
    // One byte of each area is kept for End.
    areas.emplace_back(options_capacity - 1);
    if (!pack(areas)) {
        const bool file_free = message.boot_file.empty();
        const bool sname_free = message.server_name.empty();
        if (!limits.allow_overload || (!file_free && !sname_free)) {
            return dhcp_error(
                DhcpErrorKind::TooLarge,
                fmt::format("options do not fit a {}-byte message", limits.max_message_size));
        }
        areas.clear();
        // 3 bytes of the options field for option 52 itself.
        areas.emplace_back(options_capacity - 1 - 3);
        if (file_free) {
            areas.emplace_back(kBootFileSize - 1);
            overload |= kOverloadFile;
        }
        if (sname_free) {
            areas.emplace_back(kServerNameSize - 1);
            overload |= kOverloadServerName;
        }
        if (!pack(areas)) {
            return dhcp_error(DhcpErrorKind::TooLarge,
                              fmt::format("options do not fit a {}-byte message even with sname "
                                          "and file overloaded",
                                          limits.max_message_size));
        }
    }

    ByteWriter writer;
    writer.u8(message.op);
    writer.u8(message.htype);
    writer.u8(message.hlen);
    writer.u8(message.hops);
    writer.u32(message.xid);
    writer.u16(message.secs);
    writer.u16(message.flags);
    write_address(writer, message.ciaddr);
    write_address(writer, message.yiaddr);
    write_address(writer, message.siaddr);
    write_address(writer, message.giaddr);
    writer.bytes(message.chaddr);

    auto write_area = [&writer](const AreaPacker& area, std::size_t field_size) {
        writer.bytes(area.bytes());
        writer.u8(dhcpv4_option::kEnd);
        writer.zeros(field_size - area.bytes().size() - 1);
    };
    std::size_t next_area = 1;
    const AreaPacker* file_area = (overload & kOverloadFile) ? &areas[next_area++] : nullptr;
    const AreaPacker* sname_area = (overload & kOverloadServerName) ? &areas[next_area++] : nullptr;
    if (sname_area != nullptr) {
        write_area(*sname_area, kServerNameSize);
    } else {
        writer.text(message.server_name);
        writer.zeros(kServerNameSize - message.server_name.size());
    }
    if (file_area != nullptr) {
        write_area(*file_area, kBootFileSize);
    } else {
        writer.text(message.boot_file);
        writer.zeros(kBootFileSize - message.boot_file.size());
    }
    writer.bytes(kMagicCookie);
    if (overload != 0) {
        writer.u8(dhcpv4_option::kOverload);
        writer.u8(1);
        writer.u8(overload);
    }
    writer.bytes(areas.front().bytes());
    writer.u8(dhcpv4_option::kEnd);
    if (writer.size() < kDhcpv4MinimumEncodedSize) {
        writer.zeros(kDhcpv4MinimumEncodedSize - writer.size());
    }
    return writer.take();
}

}  // namespace agent::dhcp
