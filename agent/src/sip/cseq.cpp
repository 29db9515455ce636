#include "sip/cseq.hpp"

#include "sip/sip_text.hpp"

namespace agent::sip {

phonecwmp::Expected<CSeq, std::string> parse_cseq(std::string_view text) {
    using Failure = phonecwmp::Unexpected<std::string>;
    text = trim_whitespace(text);
    std::size_t digits = 0;
    while (digits < text.size() && is_digit(text[digits])) ++digits;
    const auto number = parse_decimal(text.substr(0, digits), 0x7fffffff);
    if (!number) {
        return Failure("sequence number '" + std::string(text.substr(0, 16)) +
                       "' is not a number below 2**31");
    }
    const std::string_view rest = text.substr(digits);
    if (rest.empty() || !is_whitespace(rest.front())) {
        return Failure(std::string("expected whitespace between number and method"));
    }
    const std::string_view method = trim_whitespace(rest);
    if (!is_token(method)) return Failure("method '" + std::string(method) + "' is not a token");
    return CSeq{static_cast<std::uint32_t>(*number), std::string(method)};
}

std::string format_cseq(const CSeq& cseq) {
    return std::to_string(cseq.number) + " " + cseq.method;
}

}  // namespace agent::sip
