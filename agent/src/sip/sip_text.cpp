#include "sip/sip_text.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace agent::sip {

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alphanumeric(char c) {
    return is_alpha(c) || is_digit(c);
}
bool is_hex_digit(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_token_char(char c) {
    if (is_alphanumeric(c)) return true;
    switch (c) {
        case '-':
        case '.':
        case '!':
        case '%':
        case '*':
        case '_':
        case '+':
        case '`':
        case '\'':
        case '~':
            return true;
        default:
            return false;
    }
}

bool is_token(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text) {
        if (!is_token_char(c)) return false;
    }
    return true;
}

bool is_whitespace(char c) {
    return c == ' ' || c == '\t';
}

namespace {
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = lower(c);
    return out;
}

std::string to_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = upper(c);
    return out;
}

std::string_view trim_whitespace(std::string_view text) {
    while (!text.empty() &&
           (is_whitespace(text.front()) || text.front() == '\r' || text.front() == '\n')) {
        text.remove_prefix(1);
    }
    while (!text.empty() &&
           (is_whitespace(text.back()) || text.back() == '\r' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return text;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max) {
    // 19 digits always fit in 64 bits; more is an overflow attempt whatever max is.
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        if (!is_digit(c)) return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value > max) return std::nullopt;
    return value;
}

std::optional<std::size_t> quoted_string_length(std::string_view text) {
    if (text.empty() || text.front() != '"') return std::nullopt;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;  // quoted-pair: the next character is literal
            continue;
        }
        if (text[i] == '"') return i + 1;
    }
    return std::nullopt;
}

phonecwmp::Expected<std::vector<std::string_view>, std::string> split_header_list(
    std::string_view value, std::size_t max_items) {
    std::vector<std::string_view> items;
    std::size_t start = 0;
    int angle_depth = 0;
    auto push = [&](std::size_t end) -> bool {
        std::string_view item = trim_whitespace(value.substr(start, end - start));
        if (item.empty()) return false;
        items.push_back(item);
        return true;
    };
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '"') {
            const auto length = quoted_string_length(value.substr(i));
            if (!length) return phonecwmp::Unexpected(std::string("unterminated quoted string"));
            i += *length - 1;
        } else if (c == '<') {
            if (angle_depth > 0) return phonecwmp::Unexpected(std::string("nested '<'"));
            ++angle_depth;
        } else if (c == '>') {
            if (angle_depth == 0) return phonecwmp::Unexpected(std::string("'>' without '<'"));
            --angle_depth;
        } else if (c == ',' && angle_depth == 0) {
            if (!push(i)) return phonecwmp::Unexpected(std::string("empty list element"));
            if (items.size() > max_items) {
                return phonecwmp::Unexpected(std::string("more than ") + std::to_string(max_items) +
                                             " list elements");
            }
            start = i + 1;
        }
    }
    if (angle_depth != 0) return phonecwmp::Unexpected(std::string("'<' without '>'"));
    if (!push(value.size())) return phonecwmp::Unexpected(std::string("empty list element"));
    if (items.size() > max_items) {
        return phonecwmp::Unexpected(std::string("more than ") + std::to_string(max_items) +
                                     " list elements");
    }
    return items;
}

bool escapes_are_valid(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') continue;
        if (i + 2 >= text.size()) return false;
        if (!is_hex_digit(text[i + 1]) || !is_hex_digit(text[i + 2])) return false;
        i += 2;
    }
    return true;
}

namespace {
template <int Family, std::size_t Size>
bool inet_parses(std::string_view text) {
    // inet_pton wants a NUL-terminated string; the longest valid IPv6 text is 45.
    std::array<char, 64> buffer{};
    if (text.empty() || text.size() >= buffer.size()) return false;
    std::memcpy(buffer.data(), text.data(), text.size());
    std::array<unsigned char, Size> address{};
    return inet_pton(Family, buffer.data(), address.data()) == 1;
}
}  // namespace

bool is_ipv4_address(std::string_view text) {
    return inet_parses<AF_INET, 4>(text);
}
bool is_ipv6_address(std::string_view text) {
    return inet_parses<AF_INET6, 16>(text);
}

bool is_hostname(std::string_view text) {
    if (text.empty() || text.size() > 255) return false;
    if (text.back() == '.') text.remove_suffix(1);
    if (text.empty()) return false;
    std::size_t label_start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '.') {
            const std::string_view label = text.substr(label_start, i - label_start);
            if (label.empty() || label.size() > 63) return false;
            if (label.front() == '-' || label.back() == '-') return false;
            label_start = i + 1;
            continue;
        }
        if (!is_alphanumeric(text[i]) && text[i] != '-') return false;
    }
    return true;
}

}  // namespace agent::sip
