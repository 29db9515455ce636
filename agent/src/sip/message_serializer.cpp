#include "sip/message_serializer.hpp"

#include <fmt/format.h>

#include "sip/sip_text.hpp"

namespace agent::sip {

namespace {

bool has_line_break(std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace

SipResult<std::string> serialize_sip_message(const SipMessage& message) {
    std::string out;
    out.reserve(256 + message.body.size() + message.headers.size() * 48);
    if (message.is_request()) {
        const RequestLine& line = message.request_line();
        if (!is_token(line.method)) {
            return sip_error(SipErrorCode::InvalidArgument,
                             fmt::format("method '{}' is not a token", line.method));
        }
        if (line.uri.empty() || has_line_break(line.uri) ||
            line.uri.find(' ') != std::string::npos) {
            return sip_error(SipErrorCode::InvalidArgument,
                             "Request-URI is empty or contains a space or line break");
        }
        out += fmt::format("{} {} SIP/2.0\r\n", line.method, line.uri);
    } else {
        const StatusLine& line = message.status_line();
        if (line.status_code < 100 || line.status_code > 699) {
            return sip_error(SipErrorCode::InvalidArgument,
                             fmt::format("status code {} is not in 100..699", line.status_code));
        }
        if (has_line_break(line.reason_phrase)) {
            return sip_error(SipErrorCode::InvalidArgument, "reason phrase contains a line break");
        }
        out += fmt::format("SIP/2.0 {} {}\r\n", line.status_code, line.reason_phrase);
    }
    for (const HeaderField& field : message.headers) {
        if (iequals(field.name, "Content-Length")) continue;
        if (!is_token(field.name)) {
            return sip_error(SipErrorCode::InvalidArgument,
                             fmt::format("header name '{}' is not a token", field.name));
        }
        if (has_line_break(field.value)) {
            return sip_error(SipErrorCode::InvalidArgument,
                             fmt::format("value of header '{}' contains a line break", field.name));
        }
        out += field.name;
        out += ": ";
        out += field.value;
        out += "\r\n";
    }
    out += fmt::format("Content-Length: {}\r\n\r\n", message.body.size());
    out += message.body;
    return out;
}

}  // namespace agent::sip
