// The messages a DHCPv4 client sends, with the fields and options RFC 2131
// §4.4.1 (table 5) allows in each, plus what TR-069 §3.1 asks of a CWMP
// device: option 60 "dslforum.org", option 125 enterprise 3561 with the
// device's identity (Annex F sub-options 1-3) and option 55 asking for the
// ACS options.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dhcp/dhcp_error.hpp"
#include "dhcp/dhcpv4_message.hpp"

namespace agent::dhcp {

// Option 55 by default: the options DESIGN.md §2 lists. 43 before 125 makes
// option 43 the preferred ACS source when a server sends both.
inline const std::vector<std::uint8_t> kDefaultRequestedDhcpv4Options{1,  2,  3,   6,   15,  42,
                                                                      43, 66, 125, 150, 159, 160};

struct Dhcpv4ClientIdentity {
    std::array<std::uint8_t, 6> hardware_address{};  // Ethernet chaddr
    // Option 61 value (type byte + identifier); empty: type 1 + hardware address.
    Bytes client_identifier;
    std::string host_name;                      // option 12, omitted when empty
    std::string vendor_class = "dslforum.org";  // option 60, omitted when empty
    // Option 125 enterprise 3561 sub-options 1-3 (DeviceInfo.ManufacturerOUI,
    // SerialNumber, ProductClass); empty ones are omitted, all empty → no 125.
    std::string manufacturer_oui;
    std::string serial_number;
    std::string product_class;
    std::vector<std::uint8_t> requested_options = kDefaultRequestedDhcpv4Options;
    // Option 57: the largest DHCP message this client accepts (576..1500).
    std::uint16_t max_message_size = 1500;
    // Ask servers to broadcast replies (RFC 2131 §4.1) in the messages sent
    // before the client has an address.
    bool broadcast_replies = false;
};

// Transaction fields the state machine chooses.
struct Dhcpv4Transaction {
    std::uint32_t xid = 0;
    std::uint16_t secs = 0;
};

// Checks the identity once (sizes, option 55 contents) so a bad local
// configuration is reported before anything is sent.
Result<void> validate_dhcpv4_client_identity(const Dhcpv4ClientIdentity& identity);

Result<Dhcpv4Message> build_dhcpv4_discover(const Dhcpv4ClientIdentity& identity,
                                            Dhcpv4Transaction transaction,
                                            std::optional<address_v4> requested_address = {});

// SELECTING: answer an offer (50 and 54 present, ciaddr 0).
Result<Dhcpv4Message> build_dhcpv4_request_selecting(const Dhcpv4ClientIdentity& identity,
                                                     Dhcpv4Transaction transaction,
                                                     address_v4 offered_address,
                                                     address_v4 server_identifier);

// INIT-REBOOT: confirm a remembered address (50 present, no 54, ciaddr 0).
Result<Dhcpv4Message> build_dhcpv4_request_init_reboot(const Dhcpv4ClientIdentity& identity,
                                                       Dhcpv4Transaction transaction,
                                                       address_v4 previous_address);

// RENEWING (unicast to the server) and REBINDING (broadcast): ciaddr set,
// neither 50 nor 54. The two messages are identical; only where they go
// differs.
Result<Dhcpv4Message> build_dhcpv4_request_renewing(const Dhcpv4ClientIdentity& identity,
                                                    Dhcpv4Transaction transaction,
                                                    address_v4 leased_address);
Result<Dhcpv4Message> build_dhcpv4_request_rebinding(const Dhcpv4ClientIdentity& identity,
                                                     Dhcpv4Transaction transaction,
                                                     address_v4 leased_address);

Result<Dhcpv4Message> build_dhcpv4_decline(const Dhcpv4ClientIdentity& identity,
                                           Dhcpv4Transaction transaction,
                                           address_v4 declined_address,
                                           address_v4 server_identifier);

Result<Dhcpv4Message> build_dhcpv4_release(const Dhcpv4ClientIdentity& identity,
                                           Dhcpv4Transaction transaction, address_v4 leased_address,
                                           address_v4 server_identifier);

Result<Dhcpv4Message> build_dhcpv4_inform(const Dhcpv4ClientIdentity& identity,
                                          Dhcpv4Transaction transaction,
                                          address_v4 configured_address);

}  // namespace agent::dhcp
