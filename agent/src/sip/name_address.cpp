#include "sip/name_address.hpp"

#include "sip/sip_text.hpp"
#include "sip/sip_uri.hpp"

namespace agent::sip {

namespace {

using Failure = phonecwmp::Unexpected<std::string>;

std::string unquote(std::string_view quoted) {
    // quoted includes both quotes; quoted-pair = "\" any character
    std::string out;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
        if (quoted[i] == '\\' && i + 2 < quoted.size()) ++i;
        out += quoted[i];
    }
    return out;
}

std::string quote(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

phonecwmp::Expected<std::string, std::string> read_display_name(std::string_view text) {
    text = trim_whitespace(text);
    if (text.empty()) return std::string();
    if (text.front() == '"') {
        const auto length = quoted_string_length(text);
        if (!length) return Failure(std::string("unterminated quoted display name"));
        if (!trim_whitespace(text.substr(*length)).empty()) {
            return Failure(std::string("junk between the quoted display name and '<'"));
        }
        return unquote(text.substr(0, *length));
    }
    // *(token LWS): tokens separated by whitespace, kept as written.
    for (char c : text) {
        const bool non_ascii = static_cast<unsigned char>(c) >= 0x80;
        if (!is_token_char(c) && !is_whitespace(c) && !non_ascii) {
            return Failure("bad character '" + std::string(1, c) + "' in display name");
        }
    }
    return std::string(text);
}

}  // namespace

std::string NameAddress::tag() const {
    const HeaderParameter* parameter = find_parameter(parameters, "tag");
    return parameter && parameter->value ? *parameter->value : std::string();
}

phonecwmp::Expected<NameAddress, std::string> parse_name_address(std::string_view text,
                                                                 std::size_t max_parameters) {
    NameAddress address;
    text = trim_whitespace(text);
    std::string_view rest;

    // A '<' outside the quoted display name means name-addr form.
    std::size_t search_from = 0;
    if (!text.empty() && text.front() == '"') {
        const auto length = quoted_string_length(text);
        if (!length) return Failure(std::string("unterminated quoted display name"));
        search_from = *length;
    }
    const std::size_t open = text.find('<', search_from);
    if (open != std::string_view::npos) {
        auto display = read_display_name(text.substr(0, open));
        if (!display) return Failure(display.error());
        address.display_name = std::move(*display);
        const std::size_t close = text.find('>', open);
        if (close == std::string_view::npos) return Failure(std::string("'<' without '>'"));
        address.uri = std::string(trim_whitespace(text.substr(open + 1, close - open - 1)));
        rest = text.substr(close + 1);
    } else {
        if (search_from != 0) return Failure(std::string("display name without '<URI>'"));
        const std::size_t semicolon = text.find(';');
        address.uri = std::string(trim_whitespace(text.substr(0, semicolon)));
        rest = semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon);
    }
    if (address.uri.empty()) return Failure(std::string("empty URI"));
    if (auto valid = check_uri(address.uri, max_parameters); !valid) return Failure(valid.error());

    auto parameters = parse_header_parameters(rest, max_parameters);
    if (!parameters) return Failure(parameters.error());
    address.parameters = std::move(*parameters);
    return address;
}

std::string format_name_address(const NameAddress& address) {
    std::string out;
    if (!address.display_name.empty()) {
        out += quote(address.display_name);
        out += ' ';
    }
    out += '<';
    out += address.uri;
    out += '>';
    out += format_header_parameters(address.parameters);
    return out;
}

}  // namespace agent::sip
