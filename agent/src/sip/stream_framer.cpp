#include "sip/stream_framer.hpp"

#include <fmt/format.h>

#include "sip/header_names.hpp"
#include "sip/message_head.hpp"
#include "sip/sip_text.hpp"

namespace agent::sip {

StreamFramer::StreamFramer(ParseLimits limits) : limits_(limits) {}

phonecwmp::Unexpected<SipError> StreamFramer::fail(SipErrorCode code, std::string message) {
    failure_ = SipError{code, std::move(message), 0};
    return phonecwmp::Unexpected(*failure_);
}

SipResult<void> StreamFramer::append(std::string_view bytes) {
    if (failure_) return phonecwmp::Unexpected(*failure_);
    if (buffered_bytes() + bytes.size() > 2 * limits_.max_message_bytes) {
        return fail(SipErrorCode::MessageTooLarge,
                    fmt::format("{} bytes waiting for a message boundary, more than the limit "
                                "of {}",
                                buffered_bytes() + bytes.size(), 2 * limits_.max_message_bytes));
    }
    // Drop what was handed out before growing, so the buffer never holds
    // more than the bound above.
    if (consumed_ > 0) {
        buffer_.erase(0, consumed_);
        consumed_ = 0;
    }
    buffer_.append(bytes);
    return {};
}

void StreamFramer::skip_line_ends() {
    while (consumed_ < buffer_.size() &&
           (buffer_[consumed_] == '\r' || buffer_[consumed_] == '\n')) {
        if (buffer_[consumed_] == '\n' && ++line_ends_since_message_ == 2) {
            ++keepalive_pings_;
            line_ends_since_message_ = 0;
        }
        ++consumed_;
    }
}

SipResult<std::optional<std::string>> StreamFramer::next_message() {
    if (failure_) return phonecwmp::Unexpected(*failure_);
    if (!message_length_) {
        if (head_scanned_ == 0) skip_line_ends();
        const std::string_view pending = std::string_view(buffer_).substr(consumed_);
        if (pending.empty()) return std::optional<std::string>();
        const std::size_t resume = head_scanned_ > 3 ? head_scanned_ - 3 : 0;
        const auto boundary = find_head_end(pending, resume);
        if (!boundary) {
            if (pending.size() > limits_.max_message_bytes) {
                return fail(
                    SipErrorCode::MessageTooLarge,
                    fmt::format("no end of headers within {} bytes", limits_.max_message_bytes));
            }
            head_scanned_ = pending.size();
            return std::optional<std::string>();
        }
        if (boundary->body_offset > limits_.max_message_bytes) {
            return fail(SipErrorCode::MessageTooLarge,
                        fmt::format("headers of {} bytes, more than the message limit of {}",
                                    boundary->body_offset, limits_.max_message_bytes));
        }

        const std::string_view head = pending.substr(0, boundary->head_length);
        const std::size_t start_line_end = head.find('\n');
        const std::string_view header_block = start_line_end == std::string_view::npos
                                                  ? std::string_view{}
                                                  : head.substr(start_line_end + 1);
        auto lines = split_header_lines(header_block, 2, limits_);
        if (!lines) {
            failure_ = lines.error();
            return phonecwmp::Unexpected(*failure_);
        }
        std::optional<std::size_t> body_length;
        for (const HeaderLine& line : *lines) {
            if (canonical_header_name(line.name) != "Content-Length") continue;
            const auto bytes = parse_decimal(line.value, limits_.max_message_bytes);
            if (!bytes || (body_length && *body_length != *bytes)) {
                return fail(SipErrorCode::InvalidHeaderValue,
                            fmt::format("line {}: Content-Length '{}' is not a number within "
                                        "the limit or disagrees with an earlier one",
                                        line.line, line.value.substr(0, 32)));
            }
            body_length = static_cast<std::size_t>(*bytes);
        }
        if (!body_length) {
            return fail(SipErrorCode::MissingContentLength,
                        "message on a stream transport has no Content-Length header");
        }
        if (boundary->body_offset + *body_length > limits_.max_message_bytes) {
            return fail(
                SipErrorCode::MessageTooLarge,
                fmt::format("message of {} bytes, more than the limit of {}",
                            boundary->body_offset + *body_length, limits_.max_message_bytes));
        }
        message_length_ = boundary->body_offset + *body_length;
        head_scanned_ = 0;
    }

    if (buffered_bytes() < *message_length_) return std::optional<std::string>();
    std::string message = buffer_.substr(consumed_, *message_length_);
    consumed_ += *message_length_;
    message_length_.reset();
    line_ends_since_message_ = 0;
    return std::optional<std::string>(std::move(message));
}

}  // namespace agent::sip
