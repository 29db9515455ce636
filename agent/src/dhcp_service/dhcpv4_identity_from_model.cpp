#include "dhcp_service/dhcpv4_identity_from_model.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dhcp_service/dhcpv4_publication.hpp"

namespace agent::dhcp_service {

namespace {

std::optional<unsigned> parse_unsigned(const std::string& text) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

// hexBinary values are validated by the model; anything else yields nullopt.
std::optional<dhcp::Bytes> parse_hex(const std::string& text) {
    if (text.size() % 2 != 0) return std::nullopt;
    dhcp::Bytes out;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        unsigned byte = 0;
        const auto [end, ec] = std::from_chars(text.data() + i, text.data() + i + 2, byte, 16);
        if (ec != std::errc() || end != text.data() + i + 2) return std::nullopt;
        out.push_back(static_cast<std::uint8_t>(byte));
    }
    return out;
}

std::vector<std::string> rows(const datamodel::Model& model, const std::string& table) {
    std::vector<std::string> out;
    if (auto names = model.get_names(table, true)) {
        for (const auto& name : *names) {
            if (name.path.ends_with('.') && model.value(name.path + "Enable") == "true") {
                out.push_back(name.path);
            }
        }
    }
    return out;
}

}  // namespace

dhcp::Dhcpv4ClientIdentity dhcpv4_identity_from_model(
    const datamodel::Model& model, const std::array<std::uint8_t, 6>& hardware_address) {
    dhcp::Dhcpv4ClientIdentity identity;
    identity.hardware_address = hardware_address;
    identity.manufacturer_oui = model.value("Device.DeviceInfo.ManufacturerOUI").value_or("");
    identity.serial_number = model.value("Device.DeviceInfo.SerialNumber").value_or("");
    identity.product_class = model.value("Device.DeviceInfo.ProductClass").value_or("");

    const std::string client = std::string(kDhcpv4Client);
    for (const auto& row : rows(model, client + "SentOption.")) {
        const auto tag = parse_unsigned(model.value(row + "Tag").value_or(""));
        const auto value = parse_hex(model.value(row + "Value").value_or(""));
        if (!tag || !value) continue;
        if (*tag == dhcp::dhcpv4_option::kVendorClassIdentifier) {
            identity.vendor_class.assign(value->begin(), value->end());
        } else if (*tag == dhcp::dhcpv4_option::kClientIdentifier) {
            identity.client_identifier = *value;
        }
    }

    std::vector<std::pair<unsigned, std::uint8_t>> requested;  // (Order, Tag)
    for (const auto& row : rows(model, client + "ReqOption.")) {
        const auto tag = parse_unsigned(model.value(row + "Tag").value_or(""));
        const auto order = parse_unsigned(model.value(row + "Order").value_or(""));
        if (!tag || *tag < 1 || *tag > 254) continue;
        requested.emplace_back(order.value_or(0), static_cast<std::uint8_t>(*tag));
    }
    if (!requested.empty()) {
        std::stable_sort(requested.begin(), requested.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        identity.requested_options.clear();
        for (const auto& [order, tag] : requested) {
            if (std::find(identity.requested_options.begin(), identity.requested_options.end(),
                          tag) == identity.requested_options.end()) {
                identity.requested_options.push_back(tag);
            }
        }
    }
    return identity;
}

}  // namespace agent::dhcp_service
