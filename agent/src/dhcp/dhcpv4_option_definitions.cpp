#include "dhcp/dhcpv4_option_definitions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "dhcp/classless_static_routes.hpp"
#include "dhcp/dns_name_list.hpp"
#include "dhcp/vendor_options.hpp"

namespace agent::dhcp {
namespace {

using T = Dhcpv4OptionType;
constexpr std::size_t kAny = 1500;  // bounded by the message size anyway

constexpr std::array kDefinitions{
    Dhcpv4OptionDefinition{1, "subnet-mask", T::Ip4Address, 4, 4},
    Dhcpv4OptionDefinition{2, "time-offset", T::Int32, 4, 4},
    Dhcpv4OptionDefinition{3, "routers", T::Ip4AddressList, 4, kAny},
    Dhcpv4OptionDefinition{6, "domain-name-servers", T::Ip4AddressList, 4, kAny},
    Dhcpv4OptionDefinition{12, "host-name", T::String, 1, 255},
    Dhcpv4OptionDefinition{15, "domain-name", T::String, 1, 255},
    Dhcpv4OptionDefinition{26, "interface-mtu", T::Uint16, 2, 2},
    Dhcpv4OptionDefinition{28, "broadcast-address", T::Ip4Address, 4, 4},
    Dhcpv4OptionDefinition{42, "ntp-servers", T::Ip4AddressList, 4, kAny},
    Dhcpv4OptionDefinition{43, "vendor-encapsulated-options", T::VendorEncapsulated, 1, kAny},
    Dhcpv4OptionDefinition{50, "dhcp-requested-address", T::Ip4Address, 4, 4},
    Dhcpv4OptionDefinition{51, "dhcp-lease-time", T::Uint32, 4, 4},
    Dhcpv4OptionDefinition{53, "dhcp-message-type", T::Uint8, 1, 1},
    Dhcpv4OptionDefinition{54, "dhcp-server-identifier", T::Ip4Address, 4, 4},
    Dhcpv4OptionDefinition{55, "dhcp-parameter-request-list", T::Uint8List, 1, kAny},
    Dhcpv4OptionDefinition{56, "dhcp-message", T::String, 1, kAny},
    Dhcpv4OptionDefinition{57, "dhcp-max-message-size", T::Uint16, 2, 2},
    Dhcpv4OptionDefinition{58, "dhcp-renewal-time", T::Uint32, 4, 4},
    Dhcpv4OptionDefinition{59, "dhcp-rebinding-time", T::Uint32, 4, 4},
    Dhcpv4OptionDefinition{60, "vendor-class-identifier", T::String, 1, 255},
    // RFC 2132 §9.14: a type byte and at least one byte of identifier.
    Dhcpv4OptionDefinition{61, "dhcp-client-identifier", T::Binary, 2, 255},
    Dhcpv4OptionDefinition{66, "tftp-server-name", T::String, 1, 255},
    Dhcpv4OptionDefinition{67, "boot-file-name", T::String, 1, 255},
    Dhcpv4OptionDefinition{119, "domain-search", T::DomainSearchList, 1, kAny},
    Dhcpv4OptionDefinition{121, "classless-static-route", T::ClasslessRoutes, 5, kAny},
    Dhcpv4OptionDefinition{124, "vivco-suboptions", T::Binary, 5, kAny},
    Dhcpv4OptionDefinition{125, "vivso-suboptions", T::VendorIdentifying, 5, kAny},
    Dhcpv4OptionDefinition{150, "tftp-server-address", T::Ip4AddressList, 4, kAny},
    Dhcpv4OptionDefinition{159, "config-file", T::String, 1, 255},
    Dhcpv4OptionDefinition{160, "provisioning-server", T::String, 1, 255},
};

Result<void> length_error(const Dhcpv4OptionDefinition& definition, std::size_t length,
                          std::string_view rule) {
    return dhcp_error(DhcpErrorKind::Malformed,
                      fmt::format("option {} ({}) has {} bytes: {}", definition.code,
                                  definition.name, length, rule));
}

}  // namespace

const Dhcpv4OptionDefinition* find_dhcpv4_option_definition(std::uint8_t code) {
    auto found = std::find_if(kDefinitions.begin(), kDefinitions.end(),
                              [code](const auto& definition) { return definition.code == code; });
    return found == kDefinitions.end() ? nullptr : &*found;
}

std::span<const Dhcpv4OptionDefinition> dhcpv4_option_definitions() {
    return kDefinitions;
}

Result<void> validate_dhcpv4_option(std::uint8_t code, std::span<const std::uint8_t> data) {
    const Dhcpv4OptionDefinition* definition = find_dhcpv4_option_definition(code);
    if (definition == nullptr) return {};
    if (data.size() < definition->min_length || data.size() > definition->max_length) {
        return length_error(
            *definition, data.size(),
            definition->min_length == definition->max_length
                ? fmt::format("expected exactly {}", definition->min_length)
                : fmt::format("expected {} to {}", definition->min_length, definition->max_length));
    }
    switch (definition->type) {
        case T::Ip4AddressList:
            if (data.size() % 4 != 0) {
                return length_error(*definition, data.size(), "not a multiple of 4");
            }
            return {};
        case T::String: {
            // Trailing NULs are a common server quirk; a NUL inside the text
            // would silently truncate it in every C string consumer.
            auto text_end = data.size();
            while (text_end > 0 && data[text_end - 1] == 0) --text_end;
            const auto text = data.first(text_end);
            if (text.empty() || std::find(text.begin(), text.end(), 0) != text.end()) {
                return dhcp_error(DhcpErrorKind::Malformed,
                                  fmt::format("option {} ({}) is not text: empty or contains a NUL",
                                              definition->code, definition->name));
            }
            return {};
        }
        case T::DomainSearchList: {
            auto names = decode_dns_name_list(data, DnsNameCompression::Allowed);
            if (!names) return phonecwmp::Unexpected(names.error());
            return {};
        }
        case T::ClasslessRoutes: {
            auto routes = decode_classless_static_routes(data);
            if (!routes) return phonecwmp::Unexpected(routes.error());
            return {};
        }
        case T::VendorIdentifying: {
            auto blocks = decode_vendor_identifying_option(data);
            if (!blocks) return phonecwmp::Unexpected(blocks.error());
            return {};
        }
        case T::Ip4Address:
        case T::Uint8:
        case T::Uint16:
        case T::Uint32:
        case T::Int32:
        case T::Uint8List:
        case T::Binary:
        case T::VendorEncapsulated:  // vendor-defined: checked by whoever interprets it
            return {};
    }
    return {};
}

}  // namespace agent::dhcp
