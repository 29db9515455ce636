#include "sip/message_head.hpp"

#include <fmt/format.h>

#include "sip/sip_text.hpp"

namespace agent::sip {

std::size_t leading_line_end_count(std::string_view bytes) {
    std::size_t count = 0;
    while (count < bytes.size() && (bytes[count] == '\r' || bytes[count] == '\n')) ++count;
    return count;
}

std::optional<HeadBoundary> find_head_end(std::string_view bytes, std::size_t search_from) {
    std::size_t newline = bytes.find('\n', search_from);
    while (newline != std::string_view::npos) {
        const std::size_t next = newline + 1;
        if (next < bytes.size() && bytes[next] == '\n') {
            return HeadBoundary{newline - (newline > 0 && bytes[newline - 1] == '\r'), next + 1};
        }
        if (next + 1 < bytes.size() && bytes[next] == '\r' && bytes[next + 1] == '\n') {
            return HeadBoundary{newline - (newline > 0 && bytes[newline - 1] == '\r'), next + 2};
        }
        newline = bytes.find('\n', next);
    }
    return std::nullopt;
}

SipResult<std::vector<HeaderLine>> split_header_lines(std::string_view header_block,
                                                      std::size_t first_line_number,
                                                      const ParseLimits& limits) {
    std::vector<HeaderLine> lines;
    std::size_t line_number = first_line_number;
    while (!header_block.empty()) {
        const std::size_t end = header_block.find('\n');
        std::string_view physical = header_block.substr(0, end);
        header_block =
            end == std::string_view::npos ? std::string_view{} : header_block.substr(end + 1);
        if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
        const std::size_t this_line = line_number++;

        if (physical.size() > limits.max_header_line_bytes) {
            return sip_error(SipErrorCode::HeaderLineTooLong,
                             fmt::format("line {}: {} bytes, more than the limit of {}", this_line,
                                         physical.size(), limits.max_header_line_bytes),
                             this_line);
        }
        for (char c : physical) {
            const auto byte = static_cast<unsigned char>(c);
            if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
                return sip_error(SipErrorCode::MalformedHeader,
                                 fmt::format("line {}: control character 0x{:02x}", this_line,
                                             static_cast<unsigned>(byte)),
                                 this_line);
            }
        }

        if (physical.empty()) {
            // Only reachable when a caller passes text past the end of the head.
            return sip_error(SipErrorCode::MalformedHeader,
                             fmt::format("line {}: empty line inside the headers", this_line),
                             this_line);
        }
        if (is_whitespace(physical.front())) {
            if (lines.empty()) {
                return sip_error(
                    SipErrorCode::MalformedHeader,
                    fmt::format("line {}: continuation line with no header before it", this_line),
                    this_line);
            }
            HeaderLine& previous = lines.back();
            const std::string_view continuation = trim_whitespace(physical);
            if (!continuation.empty()) {
                if (!previous.value.empty()) previous.value += ' ';
                previous.value.append(continuation);
            }
            if (previous.value.size() > limits.max_header_line_bytes) {
                return sip_error(
                    SipErrorCode::HeaderLineTooLong,
                    fmt::format("line {}: folded header '{}' exceeds the limit of {} bytes",
                                previous.line, previous.name, limits.max_header_line_bytes),
                    previous.line);
            }
            continue;
        }

        const std::size_t colon = physical.find(':');
        if (colon == std::string_view::npos) {
            return sip_error(SipErrorCode::MalformedHeader,
                             fmt::format("line {}: no ':' in header line", this_line), this_line);
        }
        // HCOLON = *( SP / HTAB ) ":" SWS
        std::string_view name = physical.substr(0, colon);
        while (!name.empty() && is_whitespace(name.back())) name.remove_suffix(1);
        if (!is_token(name)) {
            return sip_error(SipErrorCode::MalformedHeader,
                             fmt::format("line {}: header name '{}' is not a token", this_line,
                                         name.substr(0, 64)),
                             this_line);
        }
        if (lines.size() == limits.max_header_fields) {
            return sip_error(SipErrorCode::TooManyHeaders,
                             fmt::format("line {}: more than {} header lines", this_line,
                                         limits.max_header_fields),
                             this_line);
        }
        lines.push_back(
            HeaderLine{name, std::string(trim_whitespace(physical.substr(colon + 1))), this_line});
    }
    return lines;
}

}  // namespace agent::sip
