#include "util/url.hpp"

namespace acssim {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;  // fewer than two digits follow
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string percent_encode_except(std::string_view text, bool (*keep)(unsigned char)) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (keep(byte)) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0f]);
        }
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    return percent_encode_except(text, is_unreserved);
}

std::optional<RequestTarget> parse_request_target(std::string_view target) {
    if (target.empty() || target.front() != '/') return std::nullopt;
    RequestTarget result;
    const auto question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

    std::size_t start = 0;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        const auto raw = path.substr(start, slash - start);
        if (!raw.empty()) {
            auto decoded = percent_decode(raw, false);
            if (!decoded) return std::nullopt;
            result.segments.push_back(std::move(*decoded));
        }
        start = slash + 1;
    }

    start = 0;
    while (start < query.size()) {
        auto amp = query.find('&', start);
        if (amp == std::string_view::npos) amp = query.size();
        const auto pair = query.substr(start, amp - start);
        if (!pair.empty()) {
            const auto equals = pair.find('=');
            auto name = percent_decode(pair.substr(0, equals), true);
            auto value = equals == std::string_view::npos
                             ? std::optional<std::string>{std::string{}}
                             : percent_decode(pair.substr(equals + 1), true);
            if (!name || !value) return std::nullopt;
            result.query.emplace(std::move(*name), std::move(*value));
        }
        start = amp + 1;
    }
    return result;
}

}  // namespace acssim
