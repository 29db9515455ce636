#include "dhcp/dhcpv4_lease.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dhcp/byte_reader.hpp"
#include "dhcp/dhcpv4_option_definitions.hpp"
#include "dhcp/dns_name_list.hpp"

namespace agent::dhcp {
namespace {

namespace option = dhcpv4_option;

bool usable_unicast(const address_v4& address) {
    const std::uint32_t value = address.to_uint();
    return value != 0 && !address.is_loopback() && !address.is_multicast() &&
           (value >> 28) != 0xf;  // 240.0.0.0/4 reserved and the broadcast address
}

bool contiguous_mask(std::uint32_t mask) {
    return mask != 0 && ((~mask + 1) & ~mask) == 0;
}

std::vector<address_v4> addresses(std::span<const std::uint8_t> data) {
    std::vector<address_v4> list;
    ByteReader reader(data);
    while (auto value = reader.u32()) list.emplace_back(*value);
    return list;
}

std::string text(std::span<const std::uint8_t> data) {
    std::size_t length = data.size();
    while (length > 0 && data[length - 1] == 0) --length;
    return std::string(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(length));
}

// The value of a required option, validated against its definition.
Result<std::span<const std::uint8_t>> required(const Dhcpv4Message& message, std::uint8_t code,
                                               const char* name) {
    const Bytes* data = message.find(code);
    if (data == nullptr) {
        return dhcp_error(
            DhcpErrorKind::Missing,
            fmt::format("{} without option {} ({})",
                        message.message_type_code() == 2 ? "DHCPOFFER" : "DHCPACK", code, name));
    }
    if (auto valid = validate_dhcpv4_option(code, *data); !valid) {
        return phonecwmp::Unexpected(valid.error());
    }
    return std::span<const std::uint8_t>(*data);
}

// The value of an optional option; a malformed one is noted and skipped.
std::optional<std::span<const std::uint8_t>> optional_option(const Dhcpv4Message& message,
                                                             std::uint8_t code,
                                                             Dhcpv4Lease& lease) {
    const Bytes* data = message.find(code);
    if (data == nullptr) return std::nullopt;
    if (auto valid = validate_dhcpv4_option(code, *data); !valid) {
        lease.ignored.push_back(valid.error().message);
        return std::nullopt;
    }
    return std::span<const std::uint8_t>(*data);
}

std::uint32_t read_u32(std::span<const std::uint8_t> data) {
    ByteReader reader(data);
    return *reader.u32();
}

address_v4 classful_mask(const address_v4& address) {
    const std::uint32_t value = address.to_uint();
    if ((value >> 31) == 0) return address_v4(0xff000000);
    if ((value >> 30) == 2) return address_v4(0xffff0000);
    return address_v4(0xffffff00);
}

}  // namespace

Result<Dhcpv4MessageType> classify_dhcpv4_reply(
    const Dhcpv4Message& message, std::uint32_t xid,
    const std::array<std::uint8_t, 6>& hardware_address) {
    if (message.op != kBootReply) {
        return dhcp_error(DhcpErrorKind::Unexpected, "a BOOTREQUEST where a reply was expected");
    }
    if (message.xid != xid) {
        return dhcp_error(
            DhcpErrorKind::Unexpected,
            fmt::format("reply for transaction 0x{:08x}, expected 0x{:08x}", message.xid, xid));
    }
    if (message.hlen != hardware_address.size() ||
        !std::equal(hardware_address.begin(), hardware_address.end(), message.chaddr.begin())) {
        return dhcp_error(DhcpErrorKind::Unexpected, "reply for another hardware address");
    }
    auto type = message.message_type_code();
    if (!type) {
        return dhcp_error(DhcpErrorKind::Missing,
                          "reply without a one-byte option 53 (message type): BOOTP, not DHCP");
    }
    if (*type != static_cast<std::uint8_t>(Dhcpv4MessageType::Offer) &&
        *type != static_cast<std::uint8_t>(Dhcpv4MessageType::Ack) &&
        *type != static_cast<std::uint8_t>(Dhcpv4MessageType::Nak)) {
        return dhcp_error(DhcpErrorKind::Unexpected,
                          fmt::format("message type {} is not a server reply", *type));
    }
    return static_cast<Dhcpv4MessageType>(*type);
}

Result<Dhcpv4Lease> lease_from_dhcpv4_reply(const Dhcpv4Message& message) {
    auto type = message.message_type_code();
    if (message.op != kBootReply || (type != static_cast<std::uint8_t>(Dhcpv4MessageType::Offer) &&
                                     type != static_cast<std::uint8_t>(Dhcpv4MessageType::Ack))) {
        return dhcp_error(DhcpErrorKind::Unexpected,
                          "a lease comes only from a DHCPOFFER or DHCPACK reply");
    }
    Dhcpv4Lease lease;
    lease.address = message.yiaddr;
    if (!usable_unicast(lease.address)) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("offered address {} is not a usable unicast address",
                                      lease.address.to_string()));
    }

    auto server = required(message, option::kServerIdentifier, "server identifier");
    if (!server) return phonecwmp::Unexpected(server.error());
    lease.server_identifier = address_v4(read_u32(*server));
    if (!usable_unicast(lease.server_identifier)) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("server identifier {} is not a unicast address",
                                      lease.server_identifier.to_string()));
    }

    auto lease_time = required(message, option::kLeaseTime, "lease time");
    if (!lease_time) return phonecwmp::Unexpected(lease_time.error());
    lease.lease_time = read_u32(*lease_time);
    if (lease.lease_time == 0) {
        return dhcp_error(DhcpErrorKind::Invalid, "lease time of 0 seconds");
    }

    if (const Bytes* mask = message.find(option::kSubnetMask)) {
        if (auto valid = validate_dhcpv4_option(option::kSubnetMask, *mask); !valid) {
            return phonecwmp::Unexpected(valid.error());
        }
        lease.subnet_mask = address_v4(read_u32(*mask));
        if (!contiguous_mask(lease.subnet_mask.to_uint())) {
            return dhcp_error(DhcpErrorKind::Invalid,
                              fmt::format("subnet mask {} is not a contiguous prefix",
                                          lease.subnet_mask.to_string()));
        }
    } else {
        // RFC 1122 §3.3.1.1 classful default; servers practically always send 1.
        lease.subnet_mask = classful_mask(lease.address);
    }

    if (lease.lease_time == kInfiniteLeaseTime) {
        lease.renewal_time = kInfiniteLeaseTime;
        lease.rebinding_time = kInfiniteLeaseTime;
    } else {
        const auto default_t1 = static_cast<std::uint32_t>(lease.lease_time / 2);
        const auto default_t2 = static_cast<std::uint32_t>(std::uint64_t{lease.lease_time} * 7 / 8);
        auto t1 = optional_option(message, option::kRenewalTime, lease);
        auto t2 = optional_option(message, option::kRebindingTime, lease);
        lease.renewal_time = t1 ? read_u32(*t1) : default_t1;
        lease.rebinding_time = t2 ? read_u32(*t2) : default_t2;
        if (!(lease.renewal_time < lease.rebinding_time &&
              lease.rebinding_time < lease.lease_time)) {
            lease.ignored.push_back(fmt::format(
                "T1 {} / T2 {} inconsistent with lease time {}: using 0.5 and 0.875 of the lease",
                lease.renewal_time, lease.rebinding_time, lease.lease_time));
            lease.renewal_time = default_t1;
            lease.rebinding_time = default_t2;
        }
    }

    if (auto data = optional_option(message, option::kRouters, lease)) {
        lease.routers = addresses(*data);
    }
    if (auto data = optional_option(message, option::kDomainNameServers, lease)) {
        lease.dns_servers = addresses(*data);
    }
    if (auto data = optional_option(message, option::kNtpServers, lease)) {
        lease.ntp_servers = addresses(*data);
    }
    if (auto data = optional_option(message, option::kDomainName, lease)) {
        lease.domain_name = text(*data);
    }
    if (auto data = optional_option(message, option::kDomainSearch, lease)) {
        lease.domain_search = *decode_dns_name_list(*data, DnsNameCompression::Allowed);
    }
    if (auto data = optional_option(message, option::kClasslessRoutes, lease)) {
        lease.classless_routes = *decode_classless_static_routes(*data);
    }
    return lease;
}

}  // namespace agent::dhcp
