#include "sip/core_headers.hpp"

#include <fmt/format.h>

#include "sip/sip_text.hpp"

namespace agent::sip {

namespace {

bool is_call_id_word_char(char c) {
    // word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" /
    //           "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}")
    if (is_token_char(c)) return true;
    switch (c) {
        case '(':
        case ')':
        case '<':
        case '>':
        case ':':
        case '\\':
        case '"':
        case '/':
        case '[':
        case ']':
        case '?':
        case '{':
        case '}':
            return true;
        default:
            return false;
    }
}

bool is_call_id(std::string_view text) {
    // callid = word [ "@" word ]
    const std::size_t at = text.find('@');
    const std::string_view local = text.substr(0, at);
    const std::string_view host = at == std::string_view::npos ? "x" : text.substr(at + 1);
    auto is_word = [](std::string_view word) {
        if (word.empty()) return false;
        for (char c : word) {
            if (!is_call_id_word_char(c)) return false;
        }
        return true;
    };
    return is_word(local) && is_word(host);
}

const char* kind(const SipMessage& message) {
    return message.is_request() ? "request" : "response";
}

// The only field called `name`; an error when there are several, nullptr when
// there is none.
SipResult<const HeaderField*> single(const SipMessage& message, std::string_view name) {
    const auto fields = message.headers_named(name);
    if (fields.size() > 1) {
        return sip_error(SipErrorCode::DuplicateHeader,
                         fmt::format("line {}: a second {} header (first on line {})",
                                     fields[1]->line, name, fields[0]->line),
                         fields[1]->line);
    }
    return fields.empty() ? nullptr : fields.front();
}

SipResult<const HeaderField*> mandatory(const SipMessage& message, std::string_view name) {
    auto field = single(message, name);
    if (!field) return field;
    if (*field == nullptr) {
        return sip_error(SipErrorCode::MissingHeader,
                         fmt::format("{} has no {} header", kind(message), name));
    }
    return field;
}

phonecwmp::Unexpected<SipError> invalid(const HeaderField& field, const std::string& reason) {
    return sip_error(SipErrorCode::InvalidHeaderValue,
                     fmt::format("line {}: {} header: {}", field.line, field.name, reason),
                     field.line);
}

}  // namespace

SipResult<CoreHeaders> read_core_headers(const SipMessage& message, const ParseLimits& limits) {
    CoreHeaders core;

    const auto vias = message.headers_named("Via");
    if (vias.empty()) {
        return sip_error(SipErrorCode::MissingHeader,
                         fmt::format("{} has no Via header", kind(message)));
    }
    if (vias.size() > limits.max_via_count) {
        return sip_error(SipErrorCode::TooManyVias,
                         fmt::format("{} Via entries, more than the limit of {}", vias.size(),
                                     limits.max_via_count),
                         vias[limits.max_via_count]->line);
    }
    core.vias.reserve(vias.size());
    for (const HeaderField* field : vias) {
        auto via = parse_via(field->value, limits.max_parameters);
        if (!via) return invalid(*field, via.error());
        core.vias.push_back(std::move(*via));
    }

    for (const auto& [name, target] : {std::pair{"From", &core.from}, std::pair{"To", &core.to}}) {
        auto field = mandatory(message, name);
        if (!field) return phonecwmp::Unexpected(field.error());
        auto address = parse_name_address((*field)->value, limits.max_parameters);
        if (!address) return invalid(**field, address.error());
        *target = std::move(*address);
    }

    auto call_id = mandatory(message, "Call-ID");
    if (!call_id) return phonecwmp::Unexpected(call_id.error());
    if (!is_call_id((*call_id)->value)) {
        return invalid(**call_id, "'" + (*call_id)->value.substr(0, 64) + "' is not a Call-ID");
    }
    core.call_id = (*call_id)->value;

    auto cseq_field = mandatory(message, "CSeq");
    if (!cseq_field) return phonecwmp::Unexpected(cseq_field.error());
    auto cseq = parse_cseq((*cseq_field)->value);
    if (!cseq) return invalid(**cseq_field, cseq.error());
    core.cseq = std::move(*cseq);
    if (message.is_request() && core.cseq.method != message.request_line().method) {
        return sip_error(
            SipErrorCode::CSeqMethodMismatch,
            fmt::format("line {}: CSeq method '{}' does not match request method '{}'",
                        (*cseq_field)->line, core.cseq.method, message.request_line().method),
            (*cseq_field)->line);
    }

    auto max_forwards =
        message.is_request() ? mandatory(message, "Max-Forwards") : single(message, "Max-Forwards");
    if (!max_forwards) return phonecwmp::Unexpected(max_forwards.error());
    if (*max_forwards != nullptr) {
        const auto hops = parse_decimal(trim_whitespace((*max_forwards)->value), 255);
        if (!hops) return invalid(**max_forwards, "value is not a number in 0..255");
        core.max_forwards = static_cast<std::uint32_t>(*hops);
    }

    // The parser has already checked that repeated Content-Length fields agree.
    if (const HeaderField* length = message.find_header("Content-Length")) {
        const auto bytes = parse_decimal(trim_whitespace(length->value), limits.max_message_bytes);
        if (!bytes) return invalid(*length, "value is not a number within the message size limit");
        core.content_length = static_cast<std::size_t>(*bytes);
    }
    return core;
}

}  // namespace agent::sip
