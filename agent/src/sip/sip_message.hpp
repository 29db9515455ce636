// A SIP request or response as plain data: start line, header fields in wire
// order, body. Header names are stored in canonical form (see
// header_names.hpp) and list headers hold one element per field, so lookups
// never have to think about compact forms or commas.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace agent::sip {

struct RequestLine {
    std::string method;  // case-sensitive token: INVITE, REGISTER, ...
    std::string uri;     // Request-URI text; sip/sips URIs are validated by the parser
};

struct StatusLine {
    int status_code = 0;  // 100..699
    std::string reason_phrase;
};

struct HeaderField {
    std::string name;
    std::string value;
    std::size_t line = 0;  // where the parser found it (0 for fields built locally)
};

struct SipMessage {
    std::variant<RequestLine, StatusLine> start_line;
    std::vector<HeaderField> headers;
    std::string body;

    bool is_request() const { return std::holds_alternative<RequestLine>(start_line); }
    // Only valid for the matching kind (checked with is_request()).
    const RequestLine& request_line() const { return std::get<RequestLine>(start_line); }
    const StatusLine& status_line() const { return std::get<StatusLine>(start_line); }

    // The first field called `name` (compact or full, any case).
    const HeaderField* find_header(std::string_view name) const;
    std::optional<std::string_view> header(std::string_view name) const;
    // Every field called `name`, in wire order.
    std::vector<const HeaderField*> headers_named(std::string_view name) const;
    std::size_t header_count(std::string_view name) const;

    void add_header(std::string_view name, std::string value);
    // Removes every field called `name`; returns how many there were.
    std::size_t remove_headers(std::string_view name);
};

}  // namespace agent::sip
