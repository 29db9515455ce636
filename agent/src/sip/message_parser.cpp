#include "sip/message_parser.hpp"

#include <fmt/format.h>

#include "sip/core_headers.hpp"
#include "sip/header_names.hpp"
#include "sip/message_head.hpp"
#include "sip/sip_text.hpp"
#include "sip/sip_uri.hpp"

namespace agent::sip {

namespace {

constexpr std::size_t kStartLine = 1;

phonecwmp::Unexpected<SipError> bad_start_line(const std::string& reason) {
    return sip_error(SipErrorCode::MalformedStartLine, "line 1: " + reason, kStartLine);
}

std::string excerpt(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 48)) {
        const auto byte = static_cast<unsigned char>(c);
        out += (byte < 0x20 || byte >= 0x7f) ? '?' : c;
    }
    return out;
}

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; "SIP" is case-insensitive.
SipResult<void> check_version(std::string_view version) {
    if (version.size() >= 4 && iequals(version.substr(0, 4), "SIP/")) {
        const std::string_view number = version.substr(4);
        if (number == "2.0") return {};
        const std::size_t dot = number.find('.');
        if (dot != std::string_view::npos && dot > 0 && dot + 1 < number.size() &&
            parse_decimal(number.substr(0, dot), 999) &&
            parse_decimal(number.substr(dot + 1), 999)) {
            return sip_error(SipErrorCode::UnsupportedVersion,
                             fmt::format("line 1: SIP version '{}' is not supported (only 2.0)",
                                         excerpt(version)),
                             kStartLine);
        }
    }
    return bad_start_line("'" + excerpt(version) + "' is not a SIP version");
}

SipResult<StatusLine> parse_status_line(std::string_view line) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    const std::size_t first_space = line.find(' ');
    if (auto version = check_version(line.substr(0, first_space)); !version) {
        return phonecwmp::Unexpected(version.error());
    }
    if (first_space == std::string_view::npos) return bad_start_line("status line has no code");
    const std::string_view rest = line.substr(first_space + 1);
    const std::string_view code_text = rest.substr(0, 3);
    const auto code = parse_decimal(code_text, 699);
    if (code_text.size() != 3 || !code || *code < 100) {
        return bad_start_line("status code '" + excerpt(code_text) + "' is not in 100..699");
    }
    StatusLine status{static_cast<int>(*code), {}};
    if (rest.size() > 3) {
        // Some servers omit the reason phrase and even its space; accept both.
        if (rest[3] != ' ') return bad_start_line("expected a space after the status code");
        status.reason_phrase = std::string(rest.substr(4));
    }
    return status;
}

SipResult<RequestLine> parse_request_line(std::string_view line, const ParseLimits& limits) {
    // Request-Line = Method SP Request-URI SP SIP-Version
    const std::size_t first_space = line.find(' ');
    const std::size_t last_space = line.rfind(' ');
    if (first_space == std::string_view::npos || first_space == last_space) {
        return bad_start_line("'" + excerpt(line) + "' is not 'METHOD URI SIP/2.0'");
    }
    const std::string_view method = line.substr(0, first_space);
    const std::string_view uri = line.substr(first_space + 1, last_space - first_space - 1);
    if (!is_token(method)) return bad_start_line("method '" + excerpt(method) + "' is not a token");
    if (uri.empty() || uri.find(' ') != std::string_view::npos) {
        return bad_start_line("Request-URI '" + excerpt(uri) + "' is empty or contains spaces");
    }
    if (auto version = check_version(line.substr(last_space + 1)); !version) {
        return phonecwmp::Unexpected(version.error());
    }
    if (auto valid = check_uri(uri, limits.max_parameters); !valid) {
        return bad_start_line("Request-URI: " + valid.error());
    }
    return RequestLine{std::string(method), std::string(uri)};
}

SipResult<void> add_fields(SipMessage& message, const HeaderLine& line, const ParseLimits& limits) {
    std::string name = canonical_header_name(line.name);
    const bool split = is_list_header(name) && !line.value.empty();
    std::vector<std::string_view> elements;
    if (split) {
        auto items = split_header_list(line.value, limits.max_header_fields);
        if (!items) {
            return sip_error(SipErrorCode::InvalidHeaderValue,
                             fmt::format("line {}: {} header: {}", line.line, name, items.error()),
                             line.line);
        }
        elements = std::move(*items);
    } else {
        elements.push_back(line.value);
    }
    if (message.headers.size() + elements.size() > limits.max_header_fields) {
        return sip_error(
            SipErrorCode::TooManyHeaders,
            fmt::format("line {}: more than {} header fields", line.line, limits.max_header_fields),
            line.line);
    }
    for (std::string_view element : elements) {
        message.headers.push_back(HeaderField{name, std::string(element), line.line});
    }
    return {};
}

SipResult<std::optional<std::size_t>> declared_content_length(const SipMessage& message,
                                                              const ParseLimits& limits) {
    std::optional<std::size_t> declared;
    for (const HeaderField* field : message.headers_named("Content-Length")) {
        const auto bytes = parse_decimal(trim_whitespace(field->value), limits.max_message_bytes);
        if (!bytes) {
            return sip_error(
                SipErrorCode::InvalidHeaderValue,
                fmt::format("line {}: Content-Length '{}' is not a number within "
                            "the message size limit of {}",
                            field->line, excerpt(field->value), limits.max_message_bytes),
                field->line);
        }
        // Two different lengths is the classic request-smuggling shape.
        if (declared && *declared != *bytes) {
            return sip_error(SipErrorCode::DuplicateHeader,
                             fmt::format("line {}: a second Content-Length disagrees with the "
                                         "first ({} vs {})",
                                         field->line, *bytes, *declared),
                             field->line);
        }
        declared = static_cast<std::size_t>(*bytes);
    }
    return declared;
}

}  // namespace

SipResult<SipMessage> parse_sip_message(std::string_view bytes, const ParseLimits& limits,
                                        Framing framing) {
    if (bytes.size() > limits.max_message_bytes) {
        return sip_error(SipErrorCode::MessageTooLarge,
                         fmt::format("{} bytes, more than the limit of {}", bytes.size(),
                                     limits.max_message_bytes));
    }
    bytes.remove_prefix(leading_line_end_count(bytes));
    if (bytes.empty()) {
        return sip_error(SipErrorCode::EmptyMessage, "no start line (only line ends or nothing)");
    }
    const auto boundary = find_head_end(bytes);
    if (!boundary) {
        return sip_error(SipErrorCode::IncompleteHeaders, "no empty line ends the header section");
    }
    const std::string_view head = bytes.substr(0, boundary->head_length);
    const std::size_t start_line_end = head.find('\n');
    std::string_view start_line = head.substr(0, start_line_end);
    if (!start_line.empty() && start_line.back() == '\r') start_line.remove_suffix(1);
    if (start_line.size() > limits.max_header_line_bytes) {
        return sip_error(SipErrorCode::HeaderLineTooLong,
                         fmt::format("line 1: start line of {} bytes, more than the limit of {}",
                                     start_line.size(), limits.max_header_line_bytes),
                         kStartLine);
    }
    for (char c : start_line) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return bad_start_line(fmt::format("control character 0x{:02x}", unsigned{byte}));
        }
    }

    SipMessage message;
    if (start_line.size() >= 4 && iequals(start_line.substr(0, 4), "SIP/")) {
        auto status = parse_status_line(start_line);
        if (!status) return phonecwmp::Unexpected(status.error());
        message.start_line = std::move(*status);
    } else {
        auto request = parse_request_line(start_line, limits);
        if (!request) return phonecwmp::Unexpected(request.error());
        message.start_line = std::move(*request);
    }

    const std::string_view header_block = start_line_end == std::string_view::npos
                                              ? std::string_view{}
                                              : head.substr(start_line_end + 1);
    auto lines = split_header_lines(header_block, kStartLine + 1, limits);
    if (!lines) return phonecwmp::Unexpected(lines.error());
    for (const HeaderLine& line : *lines) {
        if (auto added = add_fields(message, line, limits); !added) {
            return phonecwmp::Unexpected(added.error());
        }
    }

    auto declared = declared_content_length(message, limits);
    if (!declared) return phonecwmp::Unexpected(declared.error());
    const std::string_view received = bytes.substr(boundary->body_offset);
    if (framing == Framing::Stream) {
        if (!*declared) {
            return sip_error(SipErrorCode::MissingContentLength,
                             "message on a stream transport has no Content-Length header");
        }
        if (**declared != received.size()) {
            return sip_error(SipErrorCode::BodyLengthMismatch,
                             fmt::format("Content-Length is {} but the body has {} bytes",
                                         **declared, received.size()));
        }
    }
    if (*declared && **declared > received.size()) {
        return sip_error(SipErrorCode::BodyLengthMismatch,
                         fmt::format("Content-Length is {} but only {} body bytes arrived",
                                     **declared, received.size()));
    }
    message.body = std::string(received.substr(0, declared->value_or(received.size())));

    auto core = read_core_headers(message, limits);
    if (!core) return phonecwmp::Unexpected(core.error());
    return message;
}

}  // namespace agent::sip
