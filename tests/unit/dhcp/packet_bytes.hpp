// Spells packets in tests as hex text ("01 02 0a", whitespace ignored) so
// that each field can sit on its own commented line.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dhcp_test {

inline std::vector<std::uint8_t> hex(std::string_view text) {
    std::vector<std::uint8_t> bytes;
    int high = -1;
    for (char c : text) {
        int value;
        if (c >= '0' && c <= '9') {
            value = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            value = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            value = c - 'A' + 10;
        } else if (c == ' ' || c == '\n' || c == '\t') {
            continue;
        } else {
            throw std::invalid_argument("not a hex digit in test bytes");
        }
        if (high < 0) {
            high = value;
        } else {
            bytes.push_back(static_cast<std::uint8_t>(high * 16 + value));
            high = -1;
        }
    }
    if (high >= 0) throw std::invalid_argument("odd number of hex digits in test bytes");
    return bytes;
}

inline std::vector<std::uint8_t> text_bytes(std::string_view text) {
    return std::vector<std::uint8_t>(text.begin(), text.end());
}

inline std::vector<std::uint8_t> concat(std::initializer_list<std::vector<std::uint8_t>> parts) {
    std::vector<std::uint8_t> joined;
    for (const auto& part : parts) joined.insert(joined.end(), part.begin(), part.end());
    return joined;
}

// A DHCPv4 BOOTREPLY header (236 bytes) + magic cookie, with the given xid,
// yiaddr and chaddr 02:00:00:00:00:01; options are appended by the caller.
inline std::vector<std::uint8_t> bootreply_header(std::string_view xid_hex,
                                                  std::string_view yiaddr_hex) {
    auto header = concat({
        hex("02 01 06 00"),                        // op BOOTREPLY, htype Ethernet, hlen 6, hops 0
        hex(xid_hex),                              // xid
        hex("0000 0000"),                          // secs, flags
        hex("00000000"),                           // ciaddr
        hex(yiaddr_hex),                           // yiaddr
        hex("00000000"),                           // siaddr
        hex("00000000"),                           // giaddr
        hex("020000000001 00000000000000000000"),  // chaddr (16)
    });
    header.resize(header.size() + 64 + 128, 0);  // sname, file
    auto cookie = hex("63825363");
    header.insert(header.end(), cookie.begin(), cookie.end());
    return header;
}

}  // namespace dhcp_test
