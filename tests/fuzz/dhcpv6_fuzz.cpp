// Fuzz entry for everything that parses DHCPv6 bytes from the network: the
// message decoder, the lease extraction (IA_NA, IAADDR, status codes, DNS,
// domain list, NTP) and ACS discovery from option 17. Built as a libFuzzer
// target with clang and replayed over the committed corpus otherwise.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "dhcp/acs_discovery.hpp"
#include "dhcp/dhcpv6_codec.hpp"
#include "dhcp/dhcpv6_lease.hpp"
#include "dhcp/dhcpv6_vendor_options.hpp"
#include "dhcp/dns_name_list.hpp"

using namespace agent::dhcp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);

    (void)decode_dhcpv6_vendor_options(bytes);
    (void)decode_dhcpv6_vendor_class(bytes);
    (void)decode_dns_name_list(bytes, DnsNameCompression::Forbidden);

    auto message = decode_dhcpv6(bytes);
    if (!message) return 0;
    (void)parse_acs_dhcpv6(*message);

    // Answer as the client the message names, so that the lease parser gets
    // past the client-id check and into the IA_NA.
    const Bytes* client = message->find(dhcpv6_option::kClientId);
    const Bytes* ia = message->find(dhcpv6_option::kIaNa);
    std::uint32_t iaid = 0;
    if (ia != nullptr && ia->size() >= 4) {
        iaid = (std::uint32_t{(*ia)[0]} << 24) | (std::uint32_t{(*ia)[1]} << 16) |
               (std::uint32_t{(*ia)[2]} << 8) | std::uint32_t{(*ia)[3]};
    }
    (void)lease_from_dhcpv6_reply(*message, message->transaction_id,
                                  client != nullptr ? std::span<const std::uint8_t>(*client)
                                                    : std::span<const std::uint8_t>(),
                                  iaid);

    auto wire = encode_dhcpv6(*message);
    if (!wire || *wire != std::vector<std::uint8_t>(bytes.begin(), bytes.end())) std::abort();
    return 0;
}
