#include "dhcp/dhcpv4_client_messages.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dhcp/vendor_options.hpp"

namespace agent::dhcp {
namespace {

namespace option = dhcpv4_option;

Bytes address_bytes(const address_v4& address) {
    auto bytes = address.to_bytes();
    return Bytes(bytes.begin(), bytes.end());
}

Bytes text_bytes(const std::string& text) {
    return Bytes(text.begin(), text.end());
}

Bytes client_identifier(const Dhcpv4ClientIdentity& identity) {
    if (!identity.client_identifier.empty()) return identity.client_identifier;
    Bytes identifier{1};  // RFC 1700 hardware type: Ethernet
    identifier.insert(identifier.end(), identity.hardware_address.begin(),
                      identity.hardware_address.end());
    return identifier;
}

Result<Bytes> device_identity_option(const Dhcpv4ClientIdentity& identity) {
    std::vector<VendorSubOption> suboptions;
    auto add = [&suboptions](std::uint8_t code, const std::string& value) {
        if (!value.empty()) suboptions.push_back(VendorSubOption{code, text_bytes(value)});
    };
    add(1, identity.manufacturer_oui);
    add(2, identity.serial_number);
    add(3, identity.product_class);
    if (suboptions.empty()) return Bytes{};
    return encode_vendor_identifying_option(
        {VendorIdentifyingBlock{kBroadbandForumEnterprise, std::move(suboptions)}});
}

// Which optional fields a message type carries (RFC 2131 table 5).
struct MessageShape {
    Dhcpv4MessageType type;
    bool parameters;  // 55, 57, 12, 60, 125
    bool may_broadcast;
};

Result<Dhcpv4Message> base_message(const Dhcpv4ClientIdentity& identity,
                                   Dhcpv4Transaction transaction, MessageShape shape) {
    if (auto valid = validate_dhcpv4_client_identity(identity); !valid) {
        return phonecwmp::Unexpected(valid.error());
    }
    Dhcpv4Message message;
    message.op = kBootRequest;
    message.htype = 1;
    message.hlen = static_cast<std::uint8_t>(identity.hardware_address.size());
    message.xid = transaction.xid;
    message.secs = transaction.secs;
    message.flags = shape.may_broadcast && identity.broadcast_replies ? kBroadcastFlag : 0;
    std::copy(identity.hardware_address.begin(), identity.hardware_address.end(),
              message.chaddr.begin());
    message.set(option::kMessageType, Bytes{static_cast<std::uint8_t>(shape.type)});
    message.set(option::kClientIdentifier, client_identifier(identity));
    return message;
}

void add_parameters(const Dhcpv4ClientIdentity& identity, Dhcpv4Message& message) {
    message.set(option::kMaxMessageSize,
                Bytes{static_cast<std::uint8_t>(identity.max_message_size >> 8),
                      static_cast<std::uint8_t>(identity.max_message_size)});
    if (!identity.host_name.empty()) message.set(option::kHostName, text_bytes(identity.host_name));
    if (!identity.vendor_class.empty()) {
        message.set(option::kVendorClassIdentifier, text_bytes(identity.vendor_class));
    }
    // Validated already: cannot fail here.
    if (auto identity_option = device_identity_option(identity);
        identity_option && !identity_option->empty()) {
        message.set(option::kVendorIdentifyingSpecific, std::move(*identity_option));
    }
    if (!identity.requested_options.empty()) {
        message.set(option::kParameterRequestList, identity.requested_options);
    }
}

}  // namespace

Result<void> validate_dhcpv4_client_identity(const Dhcpv4ClientIdentity& identity) {
    if (identity.client_identifier.size() == 1 || identity.client_identifier.size() > 255) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("client identifier of {} bytes: option 61 needs a type byte "
                                      "and 1 to 254 bytes of identifier",
                                      identity.client_identifier.size()));
    }
    for (const auto* text : {&identity.host_name, &identity.vendor_class}) {
        if (text->size() > 255) {
            return dhcp_error(
                DhcpErrorKind::Invalid,
                fmt::format("\"{}...\" is longer than a 255-byte option", text->substr(0, 16)));
        }
    }
    if (auto identity_option = device_identity_option(identity); !identity_option) {
        return phonecwmp::Unexpected(identity_option.error());
    } else if (identity_option->size() > 255) {
        return dhcp_error(DhcpErrorKind::Invalid, "option 125 device identity exceeds 255 bytes");
    }
    if (identity.requested_options.size() > 254) {
        return dhcp_error(DhcpErrorKind::Invalid, "option 55 lists more than 254 options");
    }
    for (std::size_t i = 0; i < identity.requested_options.size(); ++i) {
        const std::uint8_t code = identity.requested_options[i];
        if (code == option::kPad || code == option::kEnd) {
            return dhcp_error(DhcpErrorKind::Invalid,
                              fmt::format("option 55 cannot request option {}", code));
        }
        if (std::find(identity.requested_options.begin(),
                      identity.requested_options.begin() + static_cast<std::ptrdiff_t>(i), code) !=
            identity.requested_options.begin() + static_cast<std::ptrdiff_t>(i)) {
            return dhcp_error(DhcpErrorKind::Invalid,
                              fmt::format("option 55 requests option {} twice", code));
        }
    }
    if (identity.max_message_size < 576 || identity.max_message_size > 1500) {
        return dhcp_error(
            DhcpErrorKind::Invalid,
            fmt::format("maximum message size {} is outside 576..1500", identity.max_message_size));
    }
    return {};
}

Result<Dhcpv4Message> build_dhcpv4_discover(const Dhcpv4ClientIdentity& identity,
                                            Dhcpv4Transaction transaction,
                                            std::optional<address_v4> requested_address) {
    auto message = base_message(identity, transaction, {Dhcpv4MessageType::Discover, true, true});
    if (!message) return message;
    if (requested_address)
        message->set(option::kRequestedAddress, address_bytes(*requested_address));
    add_parameters(identity, *message);
    return message;
}

Result<Dhcpv4Message> build_dhcpv4_request_selecting(const Dhcpv4ClientIdentity& identity,
                                                     Dhcpv4Transaction transaction,
                                                     address_v4 offered_address,
                                                     address_v4 server_identifier) {
    auto message = base_message(identity, transaction, {Dhcpv4MessageType::Request, true, true});
    if (!message) return message;
    message->set(option::kRequestedAddress, address_bytes(offered_address));
    message->set(option::kServerIdentifier, address_bytes(server_identifier));
    add_parameters(identity, *message);
    return message;
}

Result<Dhcpv4Message> build_dhcpv4_request_init_reboot(const Dhcpv4ClientIdentity& identity,
                                                       Dhcpv4Transaction transaction,
                                                       address_v4 previous_address) {
    auto message = base_message(identity, transaction, {Dhcpv4MessageType::Request, true, true});
    if (!message) return message;
    message->set(option::kRequestedAddress, address_bytes(previous_address));
    add_parameters(identity, *message);
    return message;
}

Result<Dhcpv4Message> build_dhcpv4_request_renewing(const Dhcpv4ClientIdentity& identity,
                                                    Dhcpv4Transaction transaction,
                                                    address_v4 leased_address) {
    auto message = base_message(identity, transaction, {Dhcpv4MessageType::Request, true, false});
    if (!message) return message;
    message->ciaddr = leased_address;
    add_parameters(identity, *message);
    return message;
}

Result<Dhcpv4Message> build_dhcpv4_request_rebinding(const Dhcpv4ClientIdentity& identity,
                                                     Dhcpv4Transaction transaction,
                                                     address_v4 leased_address) {
    return build_dhcpv4_request_renewing(identity, transaction, leased_address);
}

Result<Dhcpv4Message> build_dhcpv4_decline(const Dhcpv4ClientIdentity& identity,
                                           Dhcpv4Transaction transaction,
                                           address_v4 declined_address,
                                           address_v4 server_identifier) {
    // RFC 2131 §4.4.4: secs is 0 in DECLINE and RELEASE.
    auto message =
        base_message(identity, {transaction.xid, 0}, {Dhcpv4MessageType::Decline, false, false});
    if (!message) return message;
    message->set(option::kRequestedAddress, address_bytes(declined_address));
    message->set(option::kServerIdentifier, address_bytes(server_identifier));
    return message;
}

Result<Dhcpv4Message> build_dhcpv4_release(const Dhcpv4ClientIdentity& identity,
                                           Dhcpv4Transaction transaction, address_v4 leased_address,
                                           address_v4 server_identifier) {
    auto message =
        base_message(identity, {transaction.xid, 0}, {Dhcpv4MessageType::Release, false, false});
    if (!message) return message;
    message->ciaddr = leased_address;
    message->set(option::kServerIdentifier, address_bytes(server_identifier));
    return message;
}

Result<Dhcpv4Message> build_dhcpv4_inform(const Dhcpv4ClientIdentity& identity,
                                          Dhcpv4Transaction transaction,
                                          address_v4 configured_address) {
    auto message = base_message(identity, transaction, {Dhcpv4MessageType::Inform, true, false});
    if (!message) return message;
    message->ciaddr = configured_address;
    add_parameters(identity, *message);
    return message;
}

}  // namespace agent::dhcp
