// Hand-written SOAP envelopes, in the shape GenieACS sends them.
#pragma once

#include <string>
#include <string_view>

namespace cwmp::test {

inline constexpr std::string_view kCwmp10Uri = "urn:dslforum-org:cwmp-1-0";

// An envelope with the given body content and, when not empty, header content;
// prefixes soap-env, soap-enc, xsd, xsi and cwmp (bound to `cwmp_uri`).
inline std::string soap_envelope(std::string_view body, std::string_view header = {},
                                 std::string_view cwmp_uri = kCwmp10Uri) {
    std::string text =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<soap-env:Envelope xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\" "
        "xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:cwmp=\"";
    text += cwmp_uri;
    text += "\">";
    if (!header.empty()) {
        text += "<soap-env:Header>";
        text += header;
        text += "</soap-env:Header>";
    }
    text += "<soap-env:Body>";
    text += body;
    text += "</soap-env:Body></soap-env:Envelope>";
    return text;
}

inline std::string id_header(std::string_view id) {
    return "<cwmp:ID soap-env:mustUnderstand=\"1\">" + std::string(id) + "</cwmp:ID>";
}

}  // namespace cwmp::test
