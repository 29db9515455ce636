#include "dhcp/dhcpv6_message.hpp"

#include <algorithm>

namespace agent::dhcp {

const char* to_string(Dhcpv6MessageType type) {
    switch (type) {
        case Dhcpv6MessageType::Solicit:
            return "SOLICIT";
        case Dhcpv6MessageType::Advertise:
            return "ADVERTISE";
        case Dhcpv6MessageType::Request:
            return "REQUEST";
        case Dhcpv6MessageType::Confirm:
            return "CONFIRM";
        case Dhcpv6MessageType::Renew:
            return "RENEW";
        case Dhcpv6MessageType::Rebind:
            return "REBIND";
        case Dhcpv6MessageType::Reply:
            return "REPLY";
        case Dhcpv6MessageType::Release:
            return "RELEASE";
        case Dhcpv6MessageType::Decline:
            return "DECLINE";
        case Dhcpv6MessageType::Reconfigure:
            return "RECONFIGURE";
        case Dhcpv6MessageType::InformationRequest:
            return "INFORMATION-REQUEST";
    }
    return "DHCPv6 message of unknown type";
}

const Bytes* Dhcpv6Message::find(std::uint16_t code) const {
    auto found = std::find_if(options.begin(), options.end(),
                              [code](const Dhcpv6Option& option) { return option.code == code; });
    return found == options.end() ? nullptr : &found->data;
}

}  // namespace agent::dhcp
