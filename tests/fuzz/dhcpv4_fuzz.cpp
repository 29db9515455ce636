// Fuzz entry for everything that parses DHCPv4 bytes from the network: the
// message decoder, every option validator, the ACS discovery parsers and the
// lease extraction. Built as a libFuzzer target with clang and replayed over
// the committed corpus by a GoogleTest executable otherwise.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "dhcp/acs_discovery.hpp"
#include "dhcp/classless_static_routes.hpp"
#include "dhcp/dhcpv4_client_messages.hpp"
#include "dhcp/dhcpv4_codec.hpp"
#include "dhcp/dhcpv4_lease.hpp"
#include "dhcp/dhcpv4_option_definitions.hpp"
#include "dhcp/dns_name_list.hpp"

using namespace agent::dhcp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);

    // The option-level parsers see raw bytes too, not only what survives
    // the message decoder.
    (void)parse_acs_option43(bytes);
    (void)parse_acs_option125(bytes);
    (void)decode_dns_name_list(bytes, DnsNameCompression::Allowed);
    (void)decode_classless_static_routes(bytes);

    auto message = decode_dhcpv4(bytes);
    if (!message) return 0;
    for (const auto& option : message->options) {
        (void)validate_dhcpv4_option(option.code, option.data);
    }
    (void)discover_acs(*message, kDefaultRequestedDhcpv4Options);
    (void)classify_dhcpv4_reply(*message, message->xid, {});
    (void)lease_from_dhcpv4_reply(*message);

    // Whatever the encoder accepts, the decoder must read back identically.
    auto wire = encode_dhcpv4(*message, {kDhcpv4MaxMessageSize, true});
    if (wire) {
        auto again = decode_dhcpv4(*wire);
        if (!again || again->options.size() != message->options.size()) std::abort();
        for (std::size_t i = 0; i < message->options.size(); ++i) {
            if (again->options[i].code != message->options[i].code ||
                again->options[i].data != message->options[i].data) {
                std::abort();
            }
        }
    }
    return 0;
}
