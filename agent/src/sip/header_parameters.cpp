#include "sip/header_parameters.hpp"

#include "sip/sip_text.hpp"

namespace agent::sip {

namespace {

using Failure = phonecwmp::Unexpected<std::string>;

bool is_host_value_char(char c) {
    // gen-value = token / host / quoted-string; host adds ':' '[' ']' for IPv6.
    return is_token_char(c) || c == ':' || c == '[' || c == ']';
}

std::string_view skip_whitespace(std::string_view text) {
    while (!text.empty() && is_whitespace(text.front())) text.remove_prefix(1);
    return text;
}

}  // namespace

const HeaderParameter* find_parameter(const HeaderParameters& parameters, std::string_view name) {
    for (const HeaderParameter& parameter : parameters) {
        if (iequals(parameter.name, name)) return &parameter;
    }
    return nullptr;
}

void set_parameter(HeaderParameters& parameters, std::string_view name,
                   std::optional<std::string> value) {
    for (HeaderParameter& parameter : parameters) {
        if (iequals(parameter.name, name)) {
            parameter.value = std::move(value);
            return;
        }
    }
    parameters.push_back(HeaderParameter{std::string(name), std::move(value)});
}

phonecwmp::Expected<HeaderParameters, std::string> parse_header_parameters(
    std::string_view text, std::size_t max_parameters) {
    HeaderParameters parameters;
    text = skip_whitespace(text);
    while (!text.empty()) {
        if (text.front() != ';') {
            return Failure("expected ';' before '" + std::string(text.substr(0, 16)) + "'");
        }
        text = skip_whitespace(text.substr(1));
        std::size_t name_length = 0;
        while (name_length < text.size() && is_token_char(text[name_length])) ++name_length;
        if (name_length == 0) return Failure(std::string("empty parameter name"));
        HeaderParameter parameter{std::string(text.substr(0, name_length)), std::nullopt};
        text = skip_whitespace(text.substr(name_length));
        if (!text.empty() && text.front() == '=') {
            text = skip_whitespace(text.substr(1));
            std::size_t value_length = 0;
            if (!text.empty() && text.front() == '"') {
                const auto quoted = quoted_string_length(text);
                if (!quoted) {
                    return Failure("unterminated quoted value of parameter '" + parameter.name +
                                   "'");
                }
                value_length = *quoted;
            } else {
                while (value_length < text.size() && is_host_value_char(text[value_length])) {
                    ++value_length;
                }
            }
            if (value_length == 0) {
                return Failure("parameter '" + parameter.name + "' has '=' but no value");
            }
            parameter.value = std::string(text.substr(0, value_length));
            text = skip_whitespace(text.substr(value_length));
        }
        if (parameters.size() == max_parameters) {
            return Failure("more than " + std::to_string(max_parameters) + " parameters");
        }
        parameters.push_back(std::move(parameter));
    }
    return parameters;
}

std::string format_header_parameters(const HeaderParameters& parameters) {
    std::string out;
    for (const HeaderParameter& parameter : parameters) {
        out += ';';
        out += parameter.name;
        if (parameter.value) {
            out += '=';
            out += *parameter.value;
        }
    }
    return out;
}

}  // namespace agent::sip
