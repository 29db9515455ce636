#include "sip/via.hpp"

#include "sip/sip_text.hpp"

namespace agent::sip {

namespace {

using Failure = phonecwmp::Unexpected<std::string>;

std::string_view skip_whitespace(std::string_view text) {
    while (!text.empty() && is_whitespace(text.front())) text.remove_prefix(1);
    return text;
}

// Reads a token and the optional "/" (with surrounding LWS) after it.
std::string_view take_token(std::string_view& text) {
    text = skip_whitespace(text);
    std::size_t length = 0;
    while (length < text.size() && is_token_char(text[length])) ++length;
    const std::string_view token = text.substr(0, length);
    text = text.substr(length);
    return token;
}

bool take_slash(std::string_view& text) {
    text = skip_whitespace(text);
    if (text.empty() || text.front() != '/') return false;
    text.remove_prefix(1);
    return true;
}

bool is_host(std::string_view host) {
    if (!host.empty() && host.front() == '[' && host.back() == ']') {
        return is_ipv6_address(host.substr(1, host.size() - 2));
    }
    return is_ipv4_address(host) || is_ipv6_address(host) || is_hostname(host);
}

phonecwmp::Expected<void, std::string> check_known_parameters(const Via& via) {
    for (const HeaderParameter& parameter : via.parameters) {
        const std::string& name = parameter.name;
        const std::optional<std::string>& value = parameter.value;
        if (iequals(name, "branch")) {
            if (!value || !is_token(*value)) return Failure(std::string("branch is not a token"));
        } else if (iequals(name, "received")) {
            // RFC 3261 says IPv4 or IPv6address (no brackets); accept brackets too.
            std::string_view address = value ? std::string_view(*value) : std::string_view{};
            if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
                address = address.substr(1, address.size() - 2);
            }
            if (!is_ipv4_address(address) && !is_ipv6_address(address)) {
                return Failure("received '" + value.value_or("") + "' is not an IP address");
            }
        } else if (iequals(name, "rport")) {
            if (value) {
                const auto port = parse_decimal(*value, 65535);
                if (!port || *port == 0) {
                    return Failure("rport '" + *value + "' is not in 1..65535");
                }
            }
        } else if (iequals(name, "ttl")) {
            if (!value || !parse_decimal(*value, 255)) {
                return Failure(std::string("ttl is not in 0..255"));
            }
        } else if (iequals(name, "maddr")) {
            if (!value || !is_host(*value)) return Failure(std::string("maddr is not a host"));
        }
    }
    return {};
}

}  // namespace

std::string Via::branch() const {
    const HeaderParameter* parameter = find_parameter(parameters, "branch");
    return parameter && parameter->value ? *parameter->value : std::string();
}

bool Via::has_rfc3261_branch() const {
    const std::string value = branch();
    return value.size() > kBranchMagicCookie.size() && value.starts_with(kBranchMagicCookie);
}

std::string Via::sent_by() const {
    std::string out = host_is_ipv6 ? "[" + to_lower(host) + "]" : to_lower(host);
    if (port) out += ":" + std::to_string(*port);
    return out;
}

bool Via::has_rport() const {
    return find_parameter(parameters, "rport") != nullptr;
}

phonecwmp::Expected<Via, std::string> parse_via(std::string_view text, std::size_t max_parameters) {
    Via via;
    const std::string_view protocol = take_token(text);
    if (!iequals(protocol, "SIP")) return Failure(std::string("protocol is not SIP"));
    if (!take_slash(text)) return Failure(std::string("expected '/' after SIP"));
    const std::string_view version = take_token(text);
    if (version != "2.0")
        return Failure("protocol version '" + std::string(version) + "' is not 2.0");
    if (!take_slash(text)) return Failure(std::string("expected '/' after the version"));
    const std::string_view transport = take_token(text);
    if (transport.empty()) return Failure(std::string("empty transport"));
    via.transport = to_upper(transport);

    if (text.empty() || !is_whitespace(text.front())) {
        return Failure(std::string("expected whitespace before sent-by"));
    }
    text = skip_whitespace(text);
    const std::size_t sent_by_end = text.find_first_of("; \t");
    std::string_view sent_by = text.substr(0, sent_by_end);
    text = sent_by_end == std::string_view::npos ? std::string_view{} : text.substr(sent_by_end);

    std::string_view port_text;
    bool has_port = false;
    if (!sent_by.empty() && sent_by.front() == '[') {
        const std::size_t close = sent_by.find(']');
        if (close == std::string_view::npos) return Failure(std::string("IPv6 sent-by has no ']'"));
        const std::string_view address = sent_by.substr(1, close - 1);
        if (!is_ipv6_address(address)) {
            return Failure("'" + std::string(address) + "' is not an IPv6 address");
        }
        via.host = std::string(address);
        via.host_is_ipv6 = true;
        const std::string_view rest = sent_by.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return Failure(std::string("junk after IPv6 sent-by"));
            has_port = true;
            port_text = rest.substr(1);
        }
    } else {
        const std::size_t colon = sent_by.find(':');
        const std::string_view host = sent_by.substr(0, colon);
        if (host.empty()) return Failure(std::string("empty sent-by host"));
        const bool looks_numeric = [&] {
            for (char c : host) {
                if (!is_digit(c) && c != '.') return false;
            }
            return true;
        }();
        if (looks_numeric ? !is_ipv4_address(host) : !is_hostname(host)) {
            return Failure("sent-by host '" + std::string(host) + "' is not valid");
        }
        via.host = std::string(host);
        if (colon != std::string_view::npos) {
            has_port = true;
            port_text = sent_by.substr(colon + 1);
        }
    }
    if (has_port) {
        // RFC 3261 allows LWS around the colon; nobody sends it, so neither do we accept it.
        const auto port = parse_decimal(port_text, 65535);
        if (!port || *port == 0) {
            return Failure("sent-by port '" + std::string(port_text) + "' is not in 1..65535");
        }
        via.port = static_cast<std::uint16_t>(*port);
    }

    auto parameters = parse_header_parameters(text, max_parameters);
    if (!parameters) return Failure(parameters.error());
    via.parameters = std::move(*parameters);
    if (auto known = check_known_parameters(via); !known) return Failure(known.error());
    return via;
}

std::string format_via(const Via& via) {
    std::string out = "SIP/2.0/" + via.transport + " ";
    out += via.host_is_ipv6 ? "[" + via.host + "]" : via.host;
    if (via.port) out += ":" + std::to_string(*via.port);
    out += format_header_parameters(via.parameters);
    return out;
}

}  // namespace agent::sip
