#include "connection_request/http_url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace acssim {

namespace {

constexpr std::size_t kMaxUrlLength = 2048;

bool iequals_prefix(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

}  // namespace

phonecwmp::Expected<HttpUrl, std::string> parse_http_url(std::string_view url) {
    using phonecwmp::Unexpected;
    if (url.size() > kMaxUrlLength) {
        return Unexpected(fmt::format("URL longer than {} characters", kMaxUrlLength));
    }
    if (std::any_of(url.begin(), url.end(),
                    [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
        return Unexpected(fmt::format("URL '{}' contains spaces or control characters", url));
    }
    constexpr std::string_view kScheme = "http://";
    if (!iequals_prefix(url, kScheme)) {
        return Unexpected(fmt::format("URL '{}' is not an http:// URL", url));
    }
    if (url.find('#') != std::string_view::npos) {
        return Unexpected(fmt::format("URL '{}' has a fragment", url));
    }
    std::string_view rest = url.substr(kScheme.size());
    const auto path_start = rest.find_first_of("/?");
    const std::string_view authority = rest.substr(0, path_start);
    HttpUrl parsed;
    parsed.authority = std::string{authority};
    if (path_start == std::string_view::npos) {
        parsed.target = "/";
    } else {
        const auto path = rest.substr(path_start);
        parsed.target = path.front() == '?' ? "/" + std::string{path} : std::string{path};
    }
    if (authority.find('@') != std::string_view::npos) {
        return Unexpected(fmt::format("URL '{}' has user information", url));
    }

    std::string_view host = authority;
    std::string_view port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return Unexpected(fmt::format("URL '{}' has an unclosed IPv6 address", url));
        }
        host = authority.substr(1, close - 1);
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return Unexpected(fmt::format("URL '{}' has text after its IPv6 address", url));
            }
            port = after.substr(1);
        }
    } else if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty()) return Unexpected(fmt::format("URL '{}' has no host", url));
    parsed.host = std::string{host};
    if (!port.empty()) {
        unsigned number = 0;
        const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (error != std::errc{} || end != port.data() + port.size() || number == 0 ||
            number > 65535) {
            return Unexpected(fmt::format("URL '{}' has an invalid port '{}'", url, port));
        }
        parsed.port = static_cast<std::uint16_t>(number);
    }
    return parsed;
}

}  // namespace acssim
