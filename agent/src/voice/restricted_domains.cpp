#include "voice/restricted_domains.hpp"

#include <algorithm>
#include <cctype>

namespace agent::voice {

namespace {
std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

std::string normalized(std::string_view name) {
    name = trim(name);
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

bool is_ip_literal(std::string_view host) {
    if (host.find(':') != std::string_view::npos) return true;  // IPv6
    return !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
        return std::isdigit(c) || c == '.';
    });
}
}  // namespace

std::vector<std::string> parse_domain_list(std::string_view list) {
    std::vector<std::string> domains;
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        std::string domain = normalized(list.substr(0, comma));
        if (!domain.empty()) domains.push_back(std::move(domain));
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return domains;
}

std::string_view host_of(std::string_view server) {
    server = trim(server);
    if (!server.empty() && server.front() == '[') {
        const std::size_t close = server.find(']');
        return close == std::string_view::npos ? server.substr(1) : server.substr(1, close - 1);
    }
    // One colon: host:port. Several: a bare IPv6 address.
    const std::size_t colon = server.find(':');
    if (colon != std::string_view::npos && server.find(':', colon + 1) == std::string_view::npos) {
        return server.substr(0, colon);
    }
    return server;
}

bool host_within_domains(std::string_view host, const std::vector<std::string>& domains) {
    if (domains.empty()) return true;
    const std::string name = normalized(host_of(host));
    if (name.empty() || is_ip_literal(name)) return false;
    return std::any_of(domains.begin(), domains.end(), [&name](const std::string& domain) {
        return name == domain || (name.size() > domain.size() && name.ends_with(domain) &&
                                  name[name.size() - domain.size() - 1] == '.');
    });
}

}  // namespace agent::voice
