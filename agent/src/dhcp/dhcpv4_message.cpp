#include "dhcp/dhcpv4_message.hpp"

#include <algorithm>

namespace agent::dhcp {

const char* to_string(Dhcpv4MessageType type) {
    switch (type) {
        case Dhcpv4MessageType::Discover:
            return "DHCPDISCOVER";
        case Dhcpv4MessageType::Offer:
            return "DHCPOFFER";
        case Dhcpv4MessageType::Request:
            return "DHCPREQUEST";
        case Dhcpv4MessageType::Decline:
            return "DHCPDECLINE";
        case Dhcpv4MessageType::Ack:
            return "DHCPACK";
        case Dhcpv4MessageType::Nak:
            return "DHCPNAK";
        case Dhcpv4MessageType::Release:
            return "DHCPRELEASE";
        case Dhcpv4MessageType::Inform:
            return "DHCPINFORM";
    }
    return "DHCP message of unknown type";
}

const Bytes* Dhcpv4Message::find(std::uint8_t code) const {
    auto found = std::find_if(options.begin(), options.end(),
                              [code](const Dhcpv4Option& option) { return option.code == code; });
    return found == options.end() ? nullptr : &found->data;
}

void Dhcpv4Message::set(std::uint8_t code, Bytes data) {
    auto found = std::find_if(options.begin(), options.end(),
                              [code](const Dhcpv4Option& option) { return option.code == code; });
    if (found == options.end()) {
        options.push_back(Dhcpv4Option{code, std::move(data)});
    } else {
        found->data = std::move(data);
    }
}

std::optional<std::uint8_t> Dhcpv4Message::message_type_code() const {
    const Bytes* data = find(dhcpv4_option::kMessageType);
    if (data == nullptr || data->size() != 1) return std::nullopt;
    return (*data)[0];
}

}  // namespace agent::dhcp
