#include "dhcp_service/dhcpv4_publication.hpp"

#include <charconv>

namespace agent::dhcp_service {

namespace {

std::string join(const std::vector<dhcp::address_v4>& addresses) {
    std::string out;
    for (const auto& address : addresses) {
        if (!out.empty()) out += ',';
        out += address.to_string();
    }
    return out;
}

constexpr std::size_t kMaxReqOptionValue = 255;

std::string path(std::string_view name) {
    return std::string(kDhcpv4Client) + std::string(name);
}

}  // namespace

std::string to_hex(const dhcp::Bytes& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const auto byte : bytes) {
        out += kDigits[byte >> 4];
        out += kDigits[byte & 0x0f];
    }
    return out;
}

std::vector<datamodel::ValueWrite> dhcpv4_lease_writes(const datamodel::Model& model,
                                                       const dhcp::Dhcpv4Lease* lease,
                                                       const dhcp::Dhcpv4Message* reply) {
    std::vector<datamodel::ValueWrite> writes;
    auto put = [&writes](std::string parameter, std::string value) {
        writes.push_back({std::move(parameter), std::move(value), std::nullopt});
    };
    put(path("IPAddress"), lease ? lease->address.to_string() : "");
    put(path("SubnetMask"), lease ? lease->subnet_mask.to_string() : "");
    put(path("IPRouters"), lease ? join(lease->routers) : "");
    put(path("DNSServers"), lease ? join(lease->dns_servers) : "");
    put(path("DHCPServer"), lease ? lease->server_identifier.to_string() : "");

    auto rows = model.get_names(path("ReqOption."), true);
    if (!rows) {
        return writes;
    }
    for (const auto& row : *rows) {
        if (!row.path.ends_with('.')) continue;
        const std::string tag_text = model.value(row.path + "Tag").value_or("");
        unsigned tag = 0;
        const auto [end, ec] =
            std::from_chars(tag_text.data(), tag_text.data() + tag_text.size(), tag);
        const bool enabled = model.value(row.path + "Enable").value_or("false") == "true";
        const dhcp::Bytes* received = nullptr;
        if (enabled && ec == std::errc() && end == tag_text.data() + tag_text.size() && tag >= 1 &&
            tag <= 254 && reply != nullptr) {
            received = reply->find(static_cast<std::uint8_t>(tag));
        }
        // ReqOption.{i}.Value holds at most 255 bytes; a longer option
        // (RFC 3396 concatenation) cannot be shown truthfully, so not at all.
        const bool representable = received != nullptr && received->size() <= kMaxReqOptionValue;
        put(row.path + "Value", representable ? to_hex(*received) : "");
    }
    return writes;
}

}  // namespace agent::dhcp_service
