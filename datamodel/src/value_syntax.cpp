#include "datamodel/value_syntax.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>

#include "pattern_cache.hpp"

namespace datamodel {

namespace {

using Result = phonecwmp::Expected<std::string, std::string>;

Result fail(std::string message) {
    return phonecwmp::Unexpected(std::move(message));
}

// Matching costs CPU in proportion to the value (more for patterns with
// repeated groups, up to CompiledPattern's limits), and a controller chooses
// the value: longer ones are refused for patterned parameters without being
// matched. Every pattern in the BBF models belongs to a type of at most 2048
// characters.
constexpr std::size_t kMaxPatternInput = 4096;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_hex_digit(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

// An integer of any of the four integer types, kept as sign and magnitude so
// that unsignedLong values above INT64_MAX compare correctly with int64 bounds.
struct Integer {
    bool negative = false;
    std::uint64_t magnitude = 0;
};

Integer from_int64(std::int64_t value) {
    if (value >= 0) return {false, static_cast<std::uint64_t>(value)};
    // -(value + 1) + 1 avoids overflow for INT64_MIN.
    return {true, static_cast<std::uint64_t>(-(value + 1)) + 1};
}

bool less(const Integer& a, const Integer& b) {
    if (a.negative != b.negative) return a.negative;
    return a.negative ? a.magnitude > b.magnitude : a.magnitude < b.magnitude;
}

// value mod step, in [0, step).
std::uint64_t remainder(const Integer& value, std::uint64_t step) {
    const std::uint64_t r = value.magnitude % step;
    return value.negative && r != 0 ? step - r : r;
}

std::string to_string(const Integer& value) {
    std::string digits = std::to_string(value.magnitude);
    return value.negative && value.magnitude != 0 ? "-" + digits : digits;
}

struct IntegerBounds {
    Integer min;
    Integer max;
};

IntegerBounds bounds_of(BaseType type) {
    switch (type) {
        case BaseType::UnsignedInt:
            return {{false, 0}, {false, std::numeric_limits<std::uint32_t>::max()}};
        case BaseType::Int:
            return {from_int64(std::numeric_limits<std::int32_t>::min()),
                    from_int64(std::numeric_limits<std::int32_t>::max())};
        case BaseType::UnsignedLong:
            return {{false, 0}, {false, std::numeric_limits<std::uint64_t>::max()}};
        default:
            return {from_int64(std::numeric_limits<std::int64_t>::min()),
                    from_int64(std::numeric_limits<std::int64_t>::max())};
    }
}

bool is_signed(BaseType type) {
    return type == BaseType::Int || type == BaseType::Long;
}

Result check_integer(const Syntax& syntax, std::string_view text) {
    const BaseType type = syntax.type;
    Integer value;
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '-' && is_signed(type)) {
        value.negative = true;
        digits.remove_prefix(1);
    }
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit)) {
        return fail("'" + std::string(text) + "' is not a valid " + std::string(to_string(type)));
    }
    for (const char c : digits) {
        const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
        if (value.magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
            return fail("'" + std::string(text) + "' is out of range for " +
                        std::string(to_string(type)));
        }
        value.magnitude = value.magnitude * 10 + digit;
    }
    const IntegerBounds bounds = bounds_of(type);
    if (less(value, bounds.min) || less(bounds.max, value)) {
        return fail("'" + std::string(text) + "' is out of range for " +
                    std::string(to_string(type)));
    }
    if (!syntax.ranges.empty()) {
        const bool inside =
            std::any_of(syntax.ranges.begin(), syntax.ranges.end(), [&value](const Range& range) {
                if (range.min && less(value, from_int64(*range.min))) return false;
                if (range.max && less(from_int64(*range.max), value)) return false;
                if (range.step > 1) {
                    const Integer base = from_int64(range.min.value_or(0));
                    return remainder(value, range.step) == remainder(base, range.step);
                }
                return true;
            });
        if (!inside) return fail("'" + std::string(text) + "' is outside the allowed range");
    }
    return to_string(value);
}

Result check_boolean(std::string_view text) {
    if (text == "true" || text == "1") return std::string("true");
    if (text == "false" || text == "0") return std::string("false");
    return fail("'" + std::string(text) + "' is not a boolean (true, false, 1 or 0)");
}

bool leap_year(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap_year(year) ? 29 : kDays[month - 1];
}

// Reads exactly `count` digits at `pos`.
bool read_number(std::string_view text, std::size_t& pos, std::size_t count, int& out) {
    if (pos + count > text.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (!is_digit(c)) return false;
        out = out * 10 + (c - '0');
    }
    pos += count;
    return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

bool valid_date_time(std::string_view text) {
    return parse_date_time(text).has_value();
}

// The number of bytes a base64 text decodes to, or nothing if it is not base64.
// Whitespace between characters is allowed, as in xsd:base64Binary.
std::optional<std::size_t> base64_length(std::string_view text) {
    std::size_t chars = 0;
    std::size_t padding = 0;
    for (const char c : text) {
        if (is_space(c)) continue;
        if (c == '=') {
            ++padding;
        } else if (padding > 0) {
            return std::nullopt;  // data after padding
        } else if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) {
            return std::nullopt;
        }
        ++chars;
    }
    if (chars % 4 != 0 || padding > 2) return std::nullopt;
    return chars / 4 * 3 - padding;
}

std::optional<std::size_t> hex_binary_length(std::string_view text) {
    if (text.size() % 2 != 0 || !std::all_of(text.begin(), text.end(), is_hex_digit)) {
        return std::nullopt;
    }
    return text.size() / 2;
}

// The number of characters of a UTF-8 string, or nothing if it is not UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        std::uint32_t code_point = 0;
        if (lead < 0x80) {
            code_point = lead;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1;
            code_point = lead & 0x1Fu;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2;
            code_point = lead & 0x0Fu;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3;
            code_point = lead & 0x07u;
        } else {
            return std::nullopt;
        }
        if (i + extra >= text.size()) return std::nullopt;  // truncated sequence
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0u) != 0x80u) return std::nullopt;
            code_point = (code_point << 6) | (next & 0x3Fu);
        }
        // Overlong forms, surrogates and values beyond U+10FFFF.
        if ((extra == 2 && code_point < 0x800) || (extra == 3 && code_point < 0x10000) ||
            (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
            return std::nullopt;
        }
        i += extra + 1;
        ++count;
    }
    return count;
}

bool length_fits(const Syntax& syntax, std::size_t length) {
    if (syntax.min_length && length < *syntax.min_length) return false;
    if (syntax.max_length && length > *syntax.max_length) return false;
    if (syntax.lengths.empty()) return true;
    return std::any_of(syntax.lengths.begin(), syntax.lengths.end(),
                       [length](const LengthRange& range) {
                           return length >= range.min && (!range.max || length <= *range.max);
                       });
}

std::string describe_lengths(const Syntax& syntax) {
    if (!syntax.lengths.empty()) {
        std::string text;
        for (const LengthRange& range : syntax.lengths) {
            if (!text.empty()) text += " or ";
            text += std::to_string(range.min) + ".." +
                    (range.max ? std::to_string(*range.max) : std::string());
        }
        return text;
    }
    return std::to_string(syntax.min_length.value_or(0)) + ".." +
           (syntax.max_length ? std::to_string(*syntax.max_length) : std::string());
}

Result check_string(const Syntax& syntax, std::string_view text, WriteOrigin origin) {
    const std::optional<std::size_t> length = utf8_length(text);
    if (!length) return fail("value is not valid UTF-8");
    if (!length_fits(syntax, *length)) {
        return fail("length " + std::to_string(*length) + " is outside " +
                    describe_lengths(syntax));
    }
    if (!syntax.enumeration.empty()) {
        if (std::find(syntax.enumeration.begin(), syntax.enumeration.end(), text) ==
            syntax.enumeration.end()) {
            return fail("'" + std::string(text) + "' is not one of the allowed values");
        }
        if (origin == WriteOrigin::Controller &&
            std::find(syntax.read_only_enumeration.begin(), syntax.read_only_enumeration.end(),
                      text) != syntax.read_only_enumeration.end()) {
            return fail("'" + std::string(text) + "' may be reported but not set");
        }
    }
    if (!syntax.patterns.empty()) {
        if (text.size() > kMaxPatternInput) {
            return fail("value is too long to check against its pattern");
        }
        const bool matched = std::any_of(
            syntax.patterns.begin(), syntax.patterns.end(), [text](const std::string& pattern) {
                // A value that hits a match limit is refused like one that does
                // not match: whether it would have matched is unknown.
                const CompiledPattern* compiled = compiled_pattern(pattern);
                return compiled && compiled->matches(text);
            });
        if (!matched) return fail("'" + std::string(text) + "' does not match the pattern");
    }
    return std::string(text);
}

Result check_binary(const Syntax& syntax, std::string_view text) {
    const std::optional<std::size_t> length =
        syntax.type == BaseType::Base64 ? base64_length(text) : hex_binary_length(text);
    if (!length) return fail("value is not valid " + std::string(to_string(syntax.type)));
    if (!length_fits(syntax, *length)) {
        return fail("decoded length " + std::to_string(*length) + " is outside " +
                    describe_lengths(syntax));
    }
    return std::string(text);
}

Result check_scalar(const Syntax& syntax, std::string_view text, WriteOrigin origin) {
    switch (syntax.type) {
        case BaseType::String:
            return check_string(syntax, text, origin);
        case BaseType::UnsignedInt:
        case BaseType::Int:
        case BaseType::UnsignedLong:
        case BaseType::Long:
            return check_integer(syntax, text);
        case BaseType::Boolean:
            return check_boolean(text);
        case BaseType::DateTime:
            if (!valid_date_time(text)) {
                return fail("'" + std::string(text) + "' is not an xsd:dateTime");
            }
            return std::string(text);
        case BaseType::Base64:
        case BaseType::HexBinary:
            return check_binary(syntax, text);
    }
    return fail("unknown type");
}

}  // namespace

std::string_view null_value(BaseType type) {
    switch (type) {
        case BaseType::UnsignedInt:
        case BaseType::Int:
        case BaseType::UnsignedLong:
        case BaseType::Long:
            return "0";
        case BaseType::Boolean:
            return "false";
        case BaseType::DateTime:
            return "0001-01-01T00:00:00Z";
        case BaseType::String:
        case BaseType::Base64:
        case BaseType::HexBinary:
            break;
    }
    return "";
}

std::string_view null_value(const Syntax& syntax) {
    return syntax.list ? std::string_view() : null_value(syntax.type);
}

BaseType value_type(const Syntax& syntax) {
    return syntax.list ? BaseType::String : syntax.type;
}

std::vector<std::string_view> list_items(std::string_view value) {
    std::vector<std::string_view> items;
    if (trim(value).empty()) return items;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = value.find(',', start);
        const std::size_t end = comma == std::string_view::npos ? value.size() : comma;
        items.push_back(trim(value.substr(start, end - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return items;
}

phonecwmp::Expected<std::string, std::string> check_value(const Syntax& syntax,
                                                          std::string_view value,
                                                          WriteOrigin origin) {
    if (!syntax.list) return check_scalar(syntax, value, origin);

    const std::optional<std::size_t> length = utf8_length(value);
    if (!length) return fail("value is not valid UTF-8");
    if ((syntax.list_min_length && *length < *syntax.list_min_length) ||
        (syntax.list_max_length && *length > *syntax.list_max_length)) {
        return fail("list length " + std::to_string(*length) + " is outside " +
                    std::to_string(syntax.list_min_length.value_or(0)) + ".." +
                    (syntax.list_max_length ? std::to_string(*syntax.list_max_length) : ""));
    }
    const std::vector<std::string_view> items = list_items(value);
    if (items.size() < syntax.list_min_items ||
        (syntax.list_max_items && items.size() > *syntax.list_max_items)) {
        return fail("list has " + std::to_string(items.size()) + " items, allowed " +
                    std::to_string(syntax.list_min_items) + ".." +
                    (syntax.list_max_items ? std::to_string(*syntax.list_max_items) : ""));
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Result item = check_scalar(syntax, items[i], origin);
        if (!item) return fail("item " + std::to_string(i + 1) + ": " + item.error());
    }
    // Lists keep the text they were given: items are checked, not rewritten,
    // so a controller reads back exactly what it set.
    return std::string(value);
}

std::optional<std::string> check_pattern(const std::string& pattern) {
    std::string error;
    if (compiled_pattern(pattern, &error)) return std::nullopt;
    return error;
}

// xsd:dateTime: YYYY-MM-DDThh:mm:ss[.fraction][Z|(+|-)hh:mm]. Years have four
// digits (TR-106 values never need more) and start at 0001. No zone means UTC
// (TR-106 asks for UTC when the zone is absent).
std::optional<std::chrono::sys_seconds> parse_date_time(std::string_view text) {
    std::size_t pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_number(text, pos, 4, year) || !expect(text, pos, '-') ||
        !read_number(text, pos, 2, month) || !expect(text, pos, '-') ||
        !read_number(text, pos, 2, day) || !expect(text, pos, 'T') ||
        !read_number(text, pos, 2, hour) || !expect(text, pos, ':') ||
        !read_number(text, pos, 2, minute) || !expect(text, pos, ':') ||
        !read_number(text, pos, 2, second)) {
        return std::nullopt;
    }
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
        hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && is_digit(text[pos])) ++pos;
        if (pos == start) return std::nullopt;
    }
    int offset_seconds = 0;
    if (pos < text.size()) {
        if (text[pos] == 'Z') {
            if (pos + 1 != text.size()) return std::nullopt;
        } else {
            if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
            const int sign = text[pos] == '-' ? -1 : 1;
            ++pos;
            int offset_hours = 0, offset_minutes = 0;
            if (!read_number(text, pos, 2, offset_hours) || !expect(text, pos, ':') ||
                !read_number(text, pos, 2, offset_minutes) || pos != text.size()) {
                return std::nullopt;
            }
            if (offset_minutes > 59 || offset_hours > 14 ||
                (offset_hours == 14 && offset_minutes != 0)) {
                return std::nullopt;
            }
            offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
        }
    }
    using namespace std::chrono;
    const sys_days date{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                        std::chrono::day{static_cast<unsigned>(day)}};
    return sys_seconds{date} + hours{hour} + minutes{minute} + seconds{second - offset_seconds};
}

}  // namespace datamodel
