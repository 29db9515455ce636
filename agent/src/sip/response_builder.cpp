#include "sip/response_builder.hpp"

#include <fmt/format.h>

#include "sip/name_address.hpp"
#include "sip/reason_phrases.hpp"
#include "sip/sip_text.hpp"

namespace agent::sip {

SipResult<SipMessage> build_response(const SipMessage& request, int status_code,
                                     const ResponseOptions& options) {
    if (!request.is_request()) {
        return sip_error(SipErrorCode::InvalidArgument, "cannot answer a response");
    }
    if (status_code < 100 || status_code > 699) {
        return sip_error(SipErrorCode::InvalidArgument,
                         fmt::format("status code {} is not in 100..699", status_code));
    }
    if (!options.to_tag.empty() && !is_token(options.to_tag)) {
        return sip_error(SipErrorCode::InvalidArgument,
                         fmt::format("To tag '{}' is not a token", options.to_tag));
    }

    SipMessage response;
    response.start_line = StatusLine{
        status_code, std::string(options.reason_phrase.empty() ? default_reason_phrase(status_code)
                                                               : options.reason_phrase)};

    for (const HeaderField* via : request.headers_named("Via")) {
        response.add_header("Via", via->value);
    }
    if (request.header_count("Via") == 0) {
        return sip_error(SipErrorCode::MissingHeader, "request has no Via header to copy");
    }
    for (std::string_view name : {"From", "To", "Call-ID", "CSeq"}) {
        const HeaderField* field = request.find_header(name);
        if (field == nullptr) {
            return sip_error(SipErrorCode::MissingHeader,
                             fmt::format("request has no {} header to copy", name));
        }
        std::string value = field->value;
        if (name == "To" && !options.to_tag.empty() && status_code != 100) {
            auto to = parse_name_address(value);
            if (!to) {
                return sip_error(SipErrorCode::InvalidHeaderValue,
                                 fmt::format("request To header: {}", to.error()), field->line);
            }
            if (to->tag().empty()) {
                value += ";tag=";
                value += options.to_tag;
            }
        }
        response.add_header(name, std::move(value));
    }
    if (status_code == 100) {
        // §8.2.6.1: a 100 Trying echoes Timestamp so the client can measure RTT.
        if (const HeaderField* timestamp = request.find_header("Timestamp")) {
            response.add_header("Timestamp", timestamp->value);
        }
    }
    return response;
}

}  // namespace agent::sip
