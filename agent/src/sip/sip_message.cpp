#include "sip/sip_message.hpp"

#include <algorithm>

#include "sip/header_names.hpp"
#include "sip/sip_text.hpp"

namespace agent::sip {

const HeaderField* SipMessage::find_header(std::string_view name) const {
    const std::string wanted = canonical_header_name(name);
    for (const HeaderField& field : headers) {
        if (iequals(field.name, wanted)) return &field;
    }
    return nullptr;
}

std::optional<std::string_view> SipMessage::header(std::string_view name) const {
    const HeaderField* field = find_header(name);
    if (field == nullptr) return std::nullopt;
    return std::string_view(field->value);
}

std::vector<const HeaderField*> SipMessage::headers_named(std::string_view name) const {
    const std::string wanted = canonical_header_name(name);
    std::vector<const HeaderField*> found;
    for (const HeaderField& field : headers) {
        if (iequals(field.name, wanted)) found.push_back(&field);
    }
    return found;
}

std::size_t SipMessage::header_count(std::string_view name) const {
    const std::string wanted = canonical_header_name(name);
    return static_cast<std::size_t>(
        std::count_if(headers.begin(), headers.end(),
                      [&](const HeaderField& field) { return iequals(field.name, wanted); }));
}

void SipMessage::add_header(std::string_view name, std::string value) {
    headers.push_back(HeaderField{canonical_header_name(name), std::move(value), 0});
}

std::size_t SipMessage::remove_headers(std::string_view name) {
    const std::string wanted = canonical_header_name(name);
    const auto removed = std::erase_if(
        headers, [&](const HeaderField& field) { return iequals(field.name, wanted); });
    return static_cast<std::size_t>(removed);
}

}  // namespace agent::sip
