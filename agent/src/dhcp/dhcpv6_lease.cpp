#include "dhcp/dhcpv6_lease.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dhcp/byte_reader.hpp"
#include "dhcp/dhcpv6_codec.hpp"
#include "dhcp/dhcpv6_duid.hpp"
#include "dhcp/dns_name_list.hpp"

namespace agent::dhcp {
namespace {

namespace option = dhcpv6_option;

constexpr std::size_t kMaxServerAddresses = 16;
constexpr std::uint16_t kNtpSubOptionServerAddress = 1;
constexpr std::uint16_t kNtpSubOptionMulticastAddress = 2;
constexpr std::uint16_t kNtpSubOptionServerName = 3;

Result<Dhcpv6StatusCode> decode_status(std::span<const std::uint8_t> data, const char* where) {
    ByteReader reader(data);
    auto code = reader.u16();
    if (!code) {
        return dhcp_error(DhcpErrorKind::Truncated,
                          fmt::format("{}: status code option of {} bytes", where, data.size()));
    }
    auto text = reader.rest();
    return Dhcpv6StatusCode{*code, std::string(text.begin(), text.end())};
}

Result<std::vector<address_v6>> decode_addresses(std::span<const std::uint8_t> data,
                                                 const char* what) {
    if (data.size() % 16 != 0 || data.size() / 16 > kMaxServerAddresses) {
        return dhcp_error(DhcpErrorKind::Malformed,
                          fmt::format("{} of {} bytes: expected 1 to {} addresses of 16 bytes",
                                      what, data.size(), kMaxServerAddresses));
    }
    std::vector<address_v6> list;
    for (std::size_t offset = 0; offset < data.size(); offset += 16) {
        address_v6::bytes_type bytes;
        std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(offset), 16, bytes.begin());
        list.emplace_back(bytes);
    }
    return list;
}

struct IaContents {
    std::uint32_t t1 = 0;
    std::uint32_t t2 = 0;
    Dhcpv6StatusCode status;
    std::vector<Dhcpv6LeasedAddress> addresses;
};

Result<IaContents> decode_ia_na(std::span<const std::uint8_t> data,
                                std::vector<std::string>& ignored) {
    ByteReader reader(data);
    auto iaid = reader.u32();
    auto t1 = reader.u32();
    auto t2 = reader.u32();
    if (!iaid || !t1 || !t2) {
        return dhcp_error(DhcpErrorKind::Truncated,
                          fmt::format("IA_NA of {} bytes is shorter than 12", data.size()));
    }
    IaContents ia{*t1, *t2, {}, {}};
    auto nested = decode_dhcpv6_options(reader.rest(), "IA_NA");
    if (!nested) return phonecwmp::Unexpected(nested.error());
    for (const auto& entry : *nested) {
        if (entry.code == option::kStatusCode) {
            auto status = decode_status(entry.data, "IA_NA");
            if (!status) return phonecwmp::Unexpected(status.error());
            ia.status = std::move(*status);
        } else if (entry.code == option::kIaAddress) {
            ByteReader address_reader(entry.data);
            auto address = address_reader.bytes(16);
            auto preferred = address_reader.u32();
            auto valid = address_reader.u32();
            if (!address || !preferred || !valid) {
                return dhcp_error(
                    DhcpErrorKind::Truncated,
                    fmt::format("IAADDR of {} bytes is shorter than 24", entry.data.size()));
            }
            address_v6::bytes_type bytes;
            std::copy(address->begin(), address->end(), bytes.begin());
            Dhcpv6LeasedAddress leased{address_v6(bytes), *preferred, *valid};
            auto address_options = decode_dhcpv6_options(address_reader.rest(), "IAADDR");
            if (!address_options) return phonecwmp::Unexpected(address_options.error());
            std::optional<Dhcpv6StatusCode> address_status;
            for (const auto& address_option : *address_options) {
                if (address_option.code != option::kStatusCode) continue;
                auto status = decode_status(address_option.data, "IAADDR");
                if (!status) return phonecwmp::Unexpected(status.error());
                address_status = std::move(*status);
            }
            // RFC 8415 §21.6: discard an address whose preferred lifetime
            // exceeds its valid lifetime; a zero valid lifetime withdraws it.
            if (leased.preferred_lifetime > leased.valid_lifetime) {
                ignored.push_back(fmt::format(
                    "address {} discarded: preferred lifetime {} > "
                    "valid lifetime {}",
                    leased.address.to_string(), leased.preferred_lifetime, leased.valid_lifetime));
            } else if (leased.valid_lifetime == 0) {
                ignored.push_back(fmt::format("address {} withdrawn: valid lifetime 0",
                                              leased.address.to_string()));
            } else if (address_status && !address_status->success()) {
                ignored.push_back(fmt::format("address {} refused: status {} {}",
                                              leased.address.to_string(), address_status->code,
                                              address_status->message));
            } else if (leased.address.is_multicast() || leased.address.is_unspecified() ||
                       leased.address.is_loopback()) {
                ignored.push_back(
                    fmt::format("address {} is not a unicast address", leased.address.to_string()));
            } else {
                ia.addresses.push_back(leased);
            }
        }
    }
    return ia;
}

std::uint32_t fraction_of(std::uint32_t lifetime, std::uint32_t numerator,
                          std::uint32_t denominator) {
    if (lifetime == kDhcpv6Infinity) return kDhcpv6Infinity;
    return static_cast<std::uint32_t>(std::uint64_t{lifetime} * numerator / denominator);
}

}  // namespace

Result<Dhcpv6Lease> lease_from_dhcpv6_reply(const Dhcpv6Message& message,
                                            std::uint32_t transaction_id,
                                            std::span<const std::uint8_t> client_duid,
                                            std::uint32_t iaid) {
    if (message.type != Dhcpv6MessageType::Advertise && message.type != Dhcpv6MessageType::Reply) {
        return dhcp_error(
            DhcpErrorKind::Unexpected,
            fmt::format("{} where ADVERTISE or REPLY was expected", to_string(message.type)));
    }
    if (message.transaction_id != transaction_id) {
        return dhcp_error(DhcpErrorKind::Unexpected,
                          fmt::format("reply for transaction 0x{:06x}, expected 0x{:06x}",
                                      message.transaction_id, transaction_id));
    }
    const Bytes* client = message.find(option::kClientId);
    if (client == nullptr ||
        !std::equal(client->begin(), client->end(), client_duid.begin(), client_duid.end())) {
        return dhcp_error(DhcpErrorKind::Unexpected,
                          "reply without this client's DUID in option 1");
    }
    const Bytes* server = message.find(option::kServerId);
    if (server == nullptr) {
        return dhcp_error(DhcpErrorKind::Missing, "reply without a server identifier (option 2)");
    }
    if (auto valid = validate_duid(*server, "server"); !valid) {
        return phonecwmp::Unexpected(valid.error());
    }

    Dhcpv6Lease lease;
    lease.type = message.type;
    lease.server_duid = *server;
    lease.iaid = iaid;
    for (const auto& entry : message.options) {
        switch (entry.code) {
            case option::kStatusCode: {
                auto status = decode_status(entry.data, "message");
                if (!status) return phonecwmp::Unexpected(status.error());
                lease.status = std::move(*status);
                break;
            }
            case option::kPreference:
                if (entry.data.size() != 1) {
                    return dhcp_error(DhcpErrorKind::Malformed,
                                      fmt::format("preference option of {} bytes, expected 1",
                                                  entry.data.size()));
                }
                lease.preference = entry.data[0];
                break;
            case option::kRapidCommit:
                lease.rapid_commit = true;
                break;
            case option::kIaNa: {
                if (lease.has_ia || entry.data.size() < 4) break;
                ByteReader reader(entry.data);
                if (*reader.u32() != iaid) break;  // another IA of this client
                auto ia = decode_ia_na(entry.data, lease.ignored);
                if (!ia) return phonecwmp::Unexpected(ia.error());
                // RFC 8415 §21.4: T1 > T2 (both non-zero) → discard the IA.
                if (ia->t1 > ia->t2 && ia->t2 != 0) {
                    lease.ignored.push_back(fmt::format(
                        "IA_NA {} discarded: T1 {} greater than T2 {}", iaid, ia->t1, ia->t2));
                    break;
                }
                lease.has_ia = true;
                lease.ia_status = std::move(ia->status);
                lease.addresses = std::move(ia->addresses);
                std::uint32_t shortest_preferred = kDhcpv6Infinity;
                for (const auto& address : lease.addresses) {
                    shortest_preferred = std::min(shortest_preferred, address.preferred_lifetime);
                }
                lease.renewal_time = ia->t1 != 0 ? ia->t1 : fraction_of(shortest_preferred, 1, 2);
                lease.rebinding_time = ia->t2 != 0 ? ia->t2 : fraction_of(shortest_preferred, 4, 5);
                break;
            }
            case option::kDnsServers: {
                auto list = decode_addresses(entry.data, "DNS servers option 23");
                if (!list) {
                    lease.ignored.push_back(list.error().message);
                } else {
                    lease.dns_servers = std::move(*list);
                }
                break;
            }
            case option::kDomainList: {
                auto names = decode_dns_name_list(entry.data, DnsNameCompression::Forbidden);
                if (!names) {
                    lease.ignored.push_back("domain list option 24: " + names.error().message);
                } else {
                    lease.domain_search = std::move(*names);
                }
                break;
            }
            case option::kNtpServer: {
                auto suboptions = decode_dhcpv6_options(entry.data, "NTP server option 56");
                if (!suboptions) {
                    lease.ignored.push_back(suboptions.error().message);
                    break;
                }
                for (const auto& suboption : *suboptions) {
                    if (suboption.code == kNtpSubOptionServerAddress ||
                        suboption.code == kNtpSubOptionMulticastAddress) {
                        auto address = decode_addresses(suboption.data, "NTP server address");
                        if (!address || address->size() != 1) {
                            lease.ignored.push_back(
                                "NTP server address sub-option is not 16 bytes");
                            continue;
                        }
                        if (lease.ntp_servers.size() < kMaxServerAddresses) {
                            lease.ntp_servers.push_back(address->front());
                        }
                    } else if (suboption.code == kNtpSubOptionServerName) {
                        auto names =
                            decode_dns_name_list(suboption.data, DnsNameCompression::Forbidden);
                        if (!names || names->size() != 1) {
                            lease.ignored.push_back("NTP server FQDN sub-option is not one name");
                            continue;
                        }
                        if (lease.ntp_server_names.size() < kMaxServerAddresses) {
                            lease.ntp_server_names.push_back(std::move(names->front()));
                        }
                    }
                }
                break;
            }
            default:
                break;
        }
    }
    return lease;
}

}  // namespace agent::dhcp
