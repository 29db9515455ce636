#include "sip/sip_uri.hpp"

#include "sip/sip_text.hpp"

namespace agent::sip {

namespace {

using Failure = phonecwmp::Unexpected<std::string>;

bool is_mark(char c) {
    switch (c) {
        case '-':
        case '_':
        case '.':
        case '!':
        case '~':
        case '*':
        case '\'':
        case '(':
        case ')':
            return true;
        default:
            return false;
    }
}

bool is_unreserved(char c) {
    return is_alphanumeric(c) || is_mark(c);
}

bool is_user_char(char c) {
    // unreserved / escaped / user-unreserved ( & = + $ , ; ? / )
    return is_unreserved(c) || c == '%' || c == '&' || c == '=' || c == '+' || c == '$' ||
           c == ',' || c == ';' || c == '?' || c == '/';
}

bool is_password_char(char c) {
    return is_unreserved(c) || c == '%' || c == '&' || c == '=' || c == '+' || c == '$' || c == ',';
}

bool is_param_char(char c) {
    // paramchar = param-unreserved / unreserved / escaped; param-unreserved = [ ] / : & + $
    return is_unreserved(c) || c == '%' || c == '[' || c == ']' || c == '/' || c == ':' ||
           c == '&' || c == '+' || c == '$';
}

bool is_header_char(char c) {
    // hnv-unreserved = [ ] / ? : + $
    return is_unreserved(c) || c == '%' || c == '[' || c == ']' || c == '/' || c == '?' ||
           c == ':' || c == '+' || c == '$';
}

template <class Predicate>
bool all_of(std::string_view text, Predicate predicate) {
    for (char c : text) {
        if (!predicate(c)) return false;
    }
    return true;
}

phonecwmp::Expected<void, std::string> parse_host_port(std::string_view text, SipUri& uri) {
    std::string_view port_text;
    bool has_port = false;
    if (!text.empty() && text.front() == '[') {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos)
            return Failure(std::string("IPv6 reference has no ']'"));
        const std::string_view address = text.substr(1, close - 1);
        if (!is_ipv6_address(address)) {
            return Failure("'" + std::string(address) + "' is not an IPv6 address");
        }
        uri.host = std::string(address);
        uri.host_is_ipv6 = true;
        const std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return Failure(std::string("junk after IPv6 reference"));
            has_port = true;
            port_text = rest.substr(1);
        }
    } else {
        const std::size_t colon = text.find(':');
        const std::string_view host = text.substr(0, colon);
        if (colon != std::string_view::npos) {
            has_port = true;
            port_text = text.substr(colon + 1);
        }
        if (host.empty()) return Failure(std::string("empty host"));
        const bool looks_numeric = all_of(host, [](char c) { return is_digit(c) || c == '.'; });
        if (looks_numeric ? !is_ipv4_address(host) : !is_hostname(host)) {
            return Failure("'" + std::string(host) + "' is not a valid host");
        }
        uri.host = std::string(host);
    }
    if (has_port) {
        const auto port = parse_decimal(port_text, 65535);
        if (!port || *port == 0) {
            return Failure("port '" + std::string(port_text) + "' is not in 1..65535");
        }
        uri.port = static_cast<std::uint16_t>(*port);
    }
    return {};
}

phonecwmp::Expected<void, std::string> parse_uri_parameters(std::string_view text,
                                                            std::size_t max_parameters,
                                                            SipUri& uri) {
    // text is empty or starts with ';'
    while (!text.empty()) {
        text.remove_prefix(1);
        const std::size_t end = text.find(';');
        const std::string_view item = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end);
        const std::size_t equals = item.find('=');
        const std::string_view name = item.substr(0, equals);
        if (name.empty() || !all_of(name, is_param_char) || !escapes_are_valid(name)) {
            return Failure("bad URI parameter name '" + std::string(name) + "'");
        }
        HeaderParameter parameter{std::string(name), std::nullopt};
        if (equals != std::string_view::npos) {
            const std::string_view value = item.substr(equals + 1);
            if (value.empty() || !all_of(value, is_param_char) || !escapes_are_valid(value)) {
                return Failure("bad value of URI parameter '" + std::string(name) + "'");
            }
            parameter.value = std::string(value);
        }
        if (uri.parameters.size() == max_parameters) {
            return Failure("more than " + std::to_string(max_parameters) + " URI parameters");
        }
        uri.parameters.push_back(std::move(parameter));
    }
    return {};
}

phonecwmp::Expected<void, std::string> parse_uri_headers(std::string_view text,
                                                         std::size_t max_parameters, SipUri& uri) {
    // text is what follows '?': hname "=" hvalue *( "&" hname "=" hvalue )
    while (true) {
        const std::size_t end = text.find('&');
        const std::string_view item = text.substr(0, end);
        const std::size_t equals = item.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            return Failure("URI header '" + std::string(item) + "' is not name=value");
        }
        const std::string_view name = item.substr(0, equals);
        const std::string_view value = item.substr(equals + 1);
        if (!all_of(name, is_header_char) || !all_of(value, is_header_char) ||
            !escapes_are_valid(item)) {
            return Failure("bad URI header '" + std::string(item) + "'");
        }
        if (uri.headers.size() == max_parameters) {
            return Failure("more than " + std::to_string(max_parameters) + " URI headers");
        }
        uri.headers.push_back(SipUriHeader{std::string(name), std::string(value)});
        if (end == std::string_view::npos) return {};
        text = text.substr(end + 1);
    }
}

}  // namespace

std::string SipUri::transport() const {
    const HeaderParameter* parameter = find_parameter(parameters, "transport");
    return parameter && parameter->value ? to_lower(*parameter->value) : std::string();
}

bool SipUri::loose_routing() const {
    return find_parameter(parameters, "lr") != nullptr;
}

std::string SipUri::host_port() const {
    std::string out = host_is_ipv6 ? "[" + host + "]" : host;
    if (port) out += ":" + std::to_string(*port);
    return out;
}

bool has_sip_scheme(std::string_view text) {
    return (text.size() >= 4 && iequals(text.substr(0, 4), "sip:")) ||
           (text.size() >= 5 && iequals(text.substr(0, 5), "sips:"));
}

phonecwmp::Expected<SipUri, std::string> parse_sip_uri(std::string_view text,
                                                       std::size_t max_parameters) {
    SipUri uri;
    if (text.size() >= 5 && iequals(text.substr(0, 5), "sips:")) {
        uri.secure = true;
        text.remove_prefix(5);
    } else if (text.size() >= 4 && iequals(text.substr(0, 4), "sip:")) {
        text.remove_prefix(4);
    } else {
        return Failure(std::string("scheme is not sip: or sips:"));
    }

    // '@' cannot appear unescaped in host, parameters or headers, so the first
    // one ends the userinfo (whose user part may contain ';' and '?').
    const std::size_t at = text.find('@');
    if (at != std::string_view::npos) {
        const std::string_view userinfo = text.substr(0, at);
        const std::size_t colon = userinfo.find(':');
        const std::string_view user = userinfo.substr(0, colon);
        if (user.empty()) return Failure(std::string("empty user part before '@'"));
        if (!all_of(user, is_user_char) || !escapes_are_valid(user)) {
            return Failure("bad character in user part '" + std::string(user) + "'");
        }
        if (colon != std::string_view::npos) {
            const std::string_view password = userinfo.substr(colon + 1);
            if (!all_of(password, is_password_char) || !escapes_are_valid(password)) {
                return Failure(std::string("bad character in password part"));
            }
        }
        uri.user = std::string(user);
        text = text.substr(at + 1);
    }

    const std::size_t host_end = text.find_first_of(";?");
    if (auto host = parse_host_port(text.substr(0, host_end), uri); !host) {
        return Failure(host.error());
    }
    if (host_end == std::string_view::npos) return uri;
    text = text.substr(host_end);

    const std::size_t question = text.find('?');
    if (auto parameters = parse_uri_parameters(text.substr(0, question), max_parameters, uri);
        !parameters) {
        return Failure(parameters.error());
    }
    if (question != std::string_view::npos) {
        if (auto headers = parse_uri_headers(text.substr(question + 1), max_parameters, uri);
            !headers) {
            return Failure(headers.error());
        }
    }
    return uri;
}

std::string format_sip_uri(const SipUri& uri) {
    std::string out = uri.secure ? "sips:" : "sip:";
    if (!uri.user.empty()) {
        out += uri.user;
        out += '@';
    }
    out += uri.host_port();
    for (const HeaderParameter& parameter : uri.parameters) {
        out += ';';
        out += parameter.name;
        if (parameter.value) {
            out += '=';
            out += *parameter.value;
        }
    }
    for (std::size_t i = 0; i < uri.headers.size(); ++i) {
        out += i == 0 ? '?' : '&';
        out += uri.headers[i].name;
        out += '=';
        out += uri.headers[i].value;
    }
    return out;
}

phonecwmp::Expected<void, std::string> check_uri(std::string_view text,
                                                 std::size_t max_parameters) {
    if (has_sip_scheme(text)) {
        auto uri = parse_sip_uri(text, max_parameters);
        if (!uri) return Failure(uri.error());
        return {};
    }
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || !is_alpha(text.front())) {
        return Failure("'" + std::string(text.substr(0, 64)) + "' has no URI scheme");
    }
    for (char c : text.substr(0, colon)) {
        if (!is_alphanumeric(c) && c != '+' && c != '-' && c != '.') {
            return Failure("bad character in URI scheme of '" + std::string(text.substr(0, 64)) +
                           "'");
        }
    }
    if (colon + 1 == text.size()) return Failure(std::string("URI has nothing after its scheme"));
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f || c == '"' || c == '<' || c == '>') {
            return Failure(
                std::string("URI contains whitespace, a control character, '\"' or "
                            "an angle bracket"));
        }
    }
    return {};
}

}  // namespace agent::sip
