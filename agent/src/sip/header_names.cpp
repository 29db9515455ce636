#include "sip/header_names.hpp"

#include <array>
#include <utility>

#include "sip/sip_text.hpp"

namespace agent::sip {

namespace {

// IANA "Header Fields" registry of SIP parameters, compact column.
constexpr std::array<std::pair<char, std::string_view>, 20> kCompactForms{{
    {'a', "Accept-Contact"},       // RFC 3841
    {'b', "Referred-By"},          // RFC 3892
    {'c', "Content-Type"},         // RFC 3261
    {'d', "Request-Disposition"},  // RFC 3841
    {'e', "Content-Encoding"},     // RFC 3261
    {'f', "From"},                 // RFC 3261
    {'i', "Call-ID"},              // RFC 3261
    {'j', "Reject-Contact"},       // RFC 3841
    {'k', "Supported"},            // RFC 3261
    {'l', "Content-Length"},       // RFC 3261
    {'m', "Contact"},              // RFC 3261
    {'n', "Identity-Info"},        // RFC 4474
    {'o', "Event"},                // RFC 6665
    {'r', "Refer-To"},             // RFC 3515
    {'s', "Subject"},              // RFC 3261
    {'t', "To"},                   // RFC 3261
    {'u', "Allow-Events"},         // RFC 6665
    {'v', "Via"},                  // RFC 3261
    {'x', "Session-Expires"},      // RFC 4028
    {'y', "Identity"},             // RFC 8224
}};

constexpr std::array<std::string_view, 62> kKnownNames{
    "Accept",
    "Accept-Contact",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authentication-Info",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Error-Info",
    "Event",
    "Expires",
    "From",
    "Identity",
    "Identity-Info",
    "In-Reply-To",
    "Max-Forwards",
    "Min-Expires",
    "Min-SE",
    "MIME-Version",
    "Organization",
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Path",
    "Priority",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "RAck",
    "Reason",
    "Record-Route",
    "Refer-To",
    "Referred-By",
    "Reject-Contact",
    "Reply-To",
    "Request-Disposition",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "Server",
    "Service-Route",
    "Session-Expires",
    "Subject",
    "Subscription-State",
    "Supported",
    "Timestamp",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "WWW-Authenticate",
};

constexpr std::array<std::string_view, 24> kListHeaders{
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Call-Info",
    "Contact",
    "Content-Encoding",
    "Content-Language",
    "Error-Info",
    "In-Reply-To",
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Path",
    "Proxy-Require",
    "Reason",
    "Record-Route",
    "Require",
    "Route",
    "Service-Route",
    "Supported",
    "Unsupported",
    "Via",
};

}  // namespace

std::string canonical_header_name(std::string_view name) {
    if (name.size() == 1) {
        const char letter = to_lower(name)[0];
        for (const auto& [compact, full] : kCompactForms) {
            if (compact == letter) return std::string(full);
        }
    }
    for (std::string_view known : kKnownNames) {
        if (iequals(known, name)) return std::string(known);
    }
    return std::string(name);
}

bool is_list_header(std::string_view canonical_name) {
    for (std::string_view list : kListHeaders) {
        if (iequals(list, canonical_name)) return true;
    }
    return false;
}

}  // namespace agent::sip
