#include "dhcp/acs_discovery.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "dhcp/dhcpv6_vendor_options.hpp"

namespace agent::dhcp {
namespace {

std::string_view as_text(std::span<const std::uint8_t> data) {
    // Several servers NUL-terminate text values.
    std::size_t length = data.size();
    while (length > 0 && data[length - 1] == 0) --length;
    return std::string_view(reinterpret_cast<const char*>(data.data()), length);
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char lower, char c) {
               return std::tolower(static_cast<unsigned char>(c)) == lower;
           });
}

bool looks_like_url(std::string_view text) {
    return starts_with_ignoring_case(text, "http://") ||
           starts_with_ignoring_case(text, "https://");
}

Result<std::string> validate_url(std::string_view url, std::string_view where) {
    if (url.empty() || url.size() > kMaxAcsUrlLength) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("{}: ACS URL of {} bytes is not 1 to {} bytes", where,
                                      url.size(), kMaxAcsUrlLength));
    }
    for (char c : url) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f) {
            return dhcp_error(DhcpErrorKind::Invalid,
                              fmt::format("{}: ACS URL contains byte 0x{:02x}", where, byte));
        }
    }
    if (!looks_like_url(url)) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("{}: ACS URL \"{}\" is not http:// or https://", where, url));
    }
    const std::size_t authority_start = url.find("://") + 3;
    const std::size_t authority_end =
        std::min(url.find_first_of("/?#", authority_start), url.size());
    std::string_view authority = url.substr(authority_start, authority_end - authority_start);
    if (authority.find('@') != std::string_view::npos) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("{}: ACS URL \"{}\" carries credentials", where, url));
    }
    std::string_view host = authority;
    std::string_view port;
    if (host.starts_with('[')) {
        const std::size_t close = host.find(']');
        if (close == std::string_view::npos) {
            return dhcp_error(
                DhcpErrorKind::Invalid,
                fmt::format("{}: ACS URL \"{}\" has an unclosed IPv6 literal", where, url));
        }
        port = host.substr(close + 1);
        host = host.substr(0, close + 1);
        if (!port.empty() && !port.starts_with(':')) {
            return dhcp_error(
                DhcpErrorKind::Invalid,
                fmt::format("{}: ACS URL \"{}\" has text after its IPv6 literal", where, url));
        }
        if (!port.empty()) port.remove_prefix(1);
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    if (host.empty() || host == "[]") {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("{}: ACS URL \"{}\" has no host", where, url));
    }
    if (authority.ends_with(':') || !port.empty()) {
        unsigned value = 0;
        auto [end, status] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (port.empty() || status != std::errc() || end != port.data() + port.size() ||
            value == 0 || value > 65535) {
            return dhcp_error(DhcpErrorKind::Invalid,
                              fmt::format("{}: ACS URL \"{}\" has port \"{}\"", where, url, port));
        }
    }
    return std::string(url);
}

Result<std::string> validate_text(std::span<const std::uint8_t> data, std::size_t max_length,
                                  std::string_view what, std::string_view where) {
    const std::string_view text = as_text(data);
    if (text.size() > max_length) {
        return dhcp_error(
            DhcpErrorKind::Invalid,
            fmt::format("{}: {} of {} bytes exceeds {}", where, what, text.size(), max_length));
    }
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return dhcp_error(
                DhcpErrorKind::Invalid,
                fmt::format("{}: {} contains control byte 0x{:02x}", where, what, byte));
        }
    }
    return std::string(text);
}

bool decimal_text(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// TR-069 values are decimal text, but dnsmasq (and other servers configured
// with a bare number) encode 30 as the integer 0x1e: a value of 1, 2 or 4
// bytes that is not printable text is read as a big-endian integer.
// (Printable text that is not decimal, such as "-1", is refused.)
Result<std::uint32_t> validate_number(std::span<const std::uint8_t> data, std::uint32_t minimum,
                                      std::uint32_t maximum, std::string_view what,
                                      std::string_view where) {
    const std::string_view text = as_text(data);
    std::uint64_t value = 0;
    if (decimal_text(text)) {
        if (text.size() > 10) {
            return dhcp_error(DhcpErrorKind::Invalid,
                              fmt::format("{}: {} \"{}\" is too large", where, what, text));
        }
        for (char c : text) value = value * 10 + static_cast<std::uint64_t>(c - '0');
    } else if (!text.empty() && std::all_of(text.begin(), text.end(),
                                            [](char c) { return c >= 0x20 && c < 0x7f; })) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("{}: {} \"{}\" is not a decimal number", where, what, text));
    } else if (data.size() == 1 || data.size() == 2 || data.size() == 4) {
        for (std::uint8_t byte : data) value = (value << 8) | byte;
    } else {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("{}: {} of {} bytes is neither decimal text nor a 1-, 2- "
                                      "or 4-byte integer",
                                      where, what, data.size()));
    }
    if (value < minimum || value > maximum) {
        return dhcp_error(DhcpErrorKind::Invalid, fmt::format("{}: {} {} is outside {}..{}", where,
                                                              what, value, minimum, maximum));
    }
    return static_cast<std::uint32_t>(value);
}

struct AcsFields {
    std::span<const std::uint8_t> url;
    std::optional<std::span<const std::uint8_t>> provisioning_code;
    std::optional<std::span<const std::uint8_t>> retry_minimum_wait;
    std::optional<std::span<const std::uint8_t>> retry_multiplier;
};

Result<AcsDiscovery> acs_from_fields(AcsDiscoverySource source, const AcsFields& fields,
                                     std::string_view where) {
    AcsDiscovery discovery;
    discovery.source = source;
    auto url = validate_url(as_text(fields.url), where);
    if (!url) return phonecwmp::Unexpected(url.error());
    discovery.url = std::move(*url);
    if (fields.provisioning_code) {
        auto code = validate_text(*fields.provisioning_code, kMaxProvisioningCodeLength,
                                  "provisioning code", where);
        if (!code) return phonecwmp::Unexpected(code.error());
        discovery.provisioning_code = std::move(*code);
    }
    if (fields.retry_minimum_wait) {
        auto value = validate_number(*fields.retry_minimum_wait, kMinRetryMinimumWait,
                                     kMaxRetryMinimumWait, "CWMPRetryMinimumWaitInterval", where);
        if (!value) return phonecwmp::Unexpected(value.error());
        discovery.retry_minimum_wait_interval = *value;
    }
    if (fields.retry_multiplier) {
        auto value = validate_number(*fields.retry_multiplier, kMinRetryMultiplier,
                                     kMaxRetryMultiplier, "CWMPRetryIntervalMultiplier", where);
        if (!value) return phonecwmp::Unexpected(value.error());
        discovery.retry_interval_multiplier = *value;
    }
    return discovery;
}

std::optional<std::span<const std::uint8_t>> suboption_data(
    const std::vector<VendorSubOption>& suboptions, std::uint8_t code) {
    const VendorSubOption* found = find_vendor_suboption(suboptions, code);
    if (found == nullptr) return std::nullopt;
    return std::span<const std::uint8_t>(found->data);
}

Result<std::optional<AcsDiscovery>> acs_from_suboptions(
    AcsDiscoverySource source, const std::vector<VendorSubOption>& suboptions,
    std::uint8_t url_code, std::string_view where) {
    auto url = suboption_data(suboptions, url_code);
    auto code = suboption_data(suboptions, url_code + 1);
    auto minimum_wait = suboption_data(suboptions, url_code + 2);
    auto multiplier = suboption_data(suboptions, url_code + 3);
    if (!url) {
        if (code || minimum_wait || multiplier) {
            return dhcp_error(DhcpErrorKind::Missing,
                              fmt::format("{}: ACS sub-options without the URL (sub-option {})",
                                          where, url_code));
        }
        return std::optional<AcsDiscovery>();
    }
    auto discovery =
        acs_from_fields(source, AcsFields{*url, code, minimum_wait, multiplier}, where);
    if (!discovery) return phonecwmp::Unexpected(discovery.error());
    return std::optional<AcsDiscovery>(std::move(*discovery));
}

Result<std::string> validate_oui(std::span<const std::uint8_t> data, std::string_view where) {
    std::string oui(as_text(data));
    if (oui.size() != 6 || !std::all_of(oui.begin(), oui.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        })) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("{}: gateway manufacturer OUI is not 6 hex digits", where));
    }
    std::transform(oui.begin(), oui.end(), oui.begin(), [](char c) {
        return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    return oui;
}

std::ptrdiff_t request_position(std::span<const std::uint8_t> requested, std::uint8_t code) {
    auto found = std::find(requested.begin(), requested.end(), code);
    return found == requested.end() ? std::numeric_limits<std::ptrdiff_t>::max()
                                    : found - requested.begin();
}

}  // namespace

const char* to_string(AcsDiscoverySource source) {
    switch (source) {
        case AcsDiscoverySource::Option43:
            return "DHCPv4 option 43";
        case AcsDiscoverySource::Option125:
            return "DHCPv4 option 125";
        case AcsDiscoverySource::Dhcpv6Option17:
            return "DHCPv6 option 17";
    }
    return "unknown source";
}

Result<AcsDiscovery> parse_acs_option43(std::span<const std::uint8_t> data) {
    constexpr std::string_view where = "option 43";
    // A sub-option chain starts with a code byte 1-4 (or pad), never 'h'.
    if (looks_like_url(as_text(data))) {
        return acs_from_fields(AcsDiscoverySource::Option43, AcsFields{data, {}, {}, {}}, where);
    }
    auto suboptions = decode_vendor_suboptions(data, where);
    if (!suboptions) return phonecwmp::Unexpected(suboptions.error());
    auto discovery = acs_from_suboptions(AcsDiscoverySource::Option43, *suboptions,
                                         acs_suboption::kOption43Url, where);
    if (!discovery) return phonecwmp::Unexpected(discovery.error());
    if (!*discovery) {
        return dhcp_error(DhcpErrorKind::Missing,
                          "option 43: no ACS URL (neither sub-option 1 nor a bare URL)");
    }
    return std::move(**discovery);
}

Result<Option125Information> parse_acs_option125(std::span<const std::uint8_t> data) {
    constexpr std::string_view where = "option 125 enterprise 3561";
    auto blocks = decode_vendor_identifying_option(data);
    if (!blocks) return phonecwmp::Unexpected(blocks.error());
    Option125Information information;
    auto block = std::find_if(blocks->begin(), blocks->end(), [](const auto& entry) {
        return entry.enterprise == kBroadbandForumEnterprise;
    });
    if (block == blocks->end()) return information;

    auto acs = acs_from_suboptions(AcsDiscoverySource::Option125, block->suboptions,
                                   acs_suboption::kOption125Url, where);
    if (!acs) return phonecwmp::Unexpected(acs.error());
    information.acs = std::move(*acs);

    auto oui = suboption_data(block->suboptions, acs_suboption::kGatewayManufacturerOui);
    auto serial = suboption_data(block->suboptions, acs_suboption::kGatewaySerialNumber);
    auto product_class = suboption_data(block->suboptions, acs_suboption::kGatewayProductClass);
    if (oui || serial || product_class) {
        GatewayIdentity gateway;
        if (oui) {
            auto value = validate_oui(*oui, where);
            if (!value) return phonecwmp::Unexpected(value.error());
            gateway.manufacturer_oui = std::move(*value);
        }
        if (serial) {
            auto value =
                validate_text(*serial, kMaxGatewayFieldLength, "gateway serial number", where);
            if (!value) return phonecwmp::Unexpected(value.error());
            gateway.serial_number = std::move(*value);
        }
        if (product_class) {
            auto value = validate_text(*product_class, kMaxGatewayFieldLength,
                                       "gateway product class", where);
            if (!value) return phonecwmp::Unexpected(value.error());
            gateway.product_class = std::move(*value);
        }
        information.gateway = std::move(gateway);
    }
    return information;
}

Result<std::optional<AcsDiscovery>> parse_acs_dhcpv6(const Dhcpv6Message& message) {
    constexpr std::string_view where = "DHCPv6 option 17 enterprise 3561";
    for (const auto& option : message.options) {
        if (option.code != dhcpv6_option::kVendorOptions) continue;
        auto vendor = decode_dhcpv6_vendor_options(option.data);
        if (!vendor) return phonecwmp::Unexpected(vendor.error());
        if (vendor->enterprise != kBroadbandForumEnterprise) continue;
        // The DHCPv6 sub-options have 16-bit codes; map the four ACS ones
        // onto the shared 8-bit form (duplicates concatenated, as in v4).
        std::vector<VendorSubOption> suboptions;
        for (const auto& suboption : vendor->suboptions) {
            if (suboption.code < acs_suboption::kDhcpv6Url ||
                suboption.code > acs_suboption::kDhcpv6RetryMultiplier) {
                continue;
            }
            const auto code = static_cast<std::uint8_t>(suboption.code);
            auto found = std::find_if(suboptions.begin(), suboptions.end(),
                                      [code](const auto& entry) { return entry.code == code; });
            if (found == suboptions.end()) {
                suboptions.push_back(VendorSubOption{code, suboption.data});
            } else {
                found->data.insert(found->data.end(), suboption.data.begin(), suboption.data.end());
            }
        }
        auto discovery = acs_from_suboptions(AcsDiscoverySource::Dhcpv6Option17, suboptions,
                                             acs_suboption::kDhcpv6Url, where);
        if (!discovery) return phonecwmp::Unexpected(discovery.error());
        if (*discovery) return discovery;
    }
    return std::optional<AcsDiscovery>();
}

Result<DhcpAcsInformation> discover_acs(const Dhcpv4Message& message,
                                        std::span<const std::uint8_t> requested_options) {
    DhcpAcsInformation information;
    std::optional<AcsDiscovery> from_43;
    std::optional<AcsDiscovery> from_125;
    std::optional<DhcpError> error_43;
    std::optional<DhcpError> error_125;

    if (const Bytes* data = message.find(dhcpv4_option::kVendorSpecific)) {
        auto parsed = parse_acs_option43(*data);
        if (parsed) {
            from_43 = std::move(*parsed);
        } else {
            error_43 = parsed.error();
        }
    }
    if (const Bytes* data = message.find(dhcpv4_option::kVendorIdentifyingSpecific)) {
        auto parsed = parse_acs_option125(*data);
        if (parsed) {
            from_125 = std::move(parsed->acs);
            information.gateway = std::move(parsed->gateway);
        } else {
            error_125 = parsed.error();
        }
    }

    const bool prefer_125 =
        request_position(requested_options, dhcpv4_option::kVendorIdentifyingSpecific) <
        request_position(requested_options, dhcpv4_option::kVendorSpecific);
    auto& preferred = prefer_125 ? from_125 : from_43;
    auto& other = prefer_125 ? from_43 : from_125;
    if (preferred) {
        information.acs = std::move(preferred);
        if (other) {
            information.ignored.push_back(fmt::format("{} not used: {} is preferred",
                                                      to_string(other->source),
                                                      to_string(information.acs->source)));
        }
    } else if (other) {
        information.acs = std::move(other);
    }
    for (const auto* error : {&error_43, &error_125}) {
        if (*error) information.ignored.push_back((*error)->message);
    }
    if (!information.acs && (error_43 || error_125)) {
        DhcpError error = error_43 ? *error_43 : *error_125;
        if (error_43 && error_125) error.message += "; " + error_125->message;
        return phonecwmp::Unexpected(std::move(error));
    }
    return information;
}

}  // namespace agent::dhcp
