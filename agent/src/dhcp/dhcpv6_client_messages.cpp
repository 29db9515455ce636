#include "dhcp/dhcpv6_client_messages.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dhcp/byte_writer.hpp"
#include "dhcp/dhcpv6_codec.hpp"
#include "dhcp/dhcpv6_duid.hpp"
#include "dhcp/dhcpv6_vendor_options.hpp"
#include "dhcp/vendor_options.hpp"

namespace agent::dhcp {
namespace {

namespace option = dhcpv6_option;

constexpr std::size_t kMaxAddressesPerIa = 16;

Result<Bytes> ia_na(std::uint32_t iaid, const std::vector<address_v6>& addresses) {
    if (addresses.size() > kMaxAddressesPerIa) {
        return dhcp_error(DhcpErrorKind::Invalid,
                          fmt::format("{} addresses in one IA_NA, at most {}", addresses.size(),
                                      kMaxAddressesPerIa));
    }
    std::vector<Dhcpv6Option> nested;
    for (const auto& address : addresses) {
        ByteWriter iaaddr;
        iaaddr.bytes(address.to_bytes());
        iaaddr.u32(0);  // preferred lifetime
        iaaddr.u32(0);  // valid lifetime
        nested.push_back(Dhcpv6Option{option::kIaAddress, iaaddr.take()});
    }
    auto nested_bytes = encode_dhcpv6_options(nested);
    if (!nested_bytes) return nested_bytes;
    ByteWriter writer;
    writer.u32(iaid);
    writer.u32(0);  // T1: the server chooses
    writer.u32(0);  // T2
    writer.bytes(*nested_bytes);
    return writer.take();
}

struct MessageShape {
    Dhcpv6MessageType type;
    bool request_options;  // ORO and vendor class
};

Result<Dhcpv6Message> build(const Dhcpv6ClientIdentity& identity, Dhcpv6Transaction transaction,
                            MessageShape shape, const Bytes* server_duid,
                            const std::vector<address_v6>& addresses) {
    if (auto valid = validate_dhcpv6_client_identity(identity); !valid) {
        return phonecwmp::Unexpected(valid.error());
    }
    if (transaction.transaction_id > 0xffffff) {
        return dhcp_error(
            DhcpErrorKind::Invalid,
            fmt::format("transaction id 0x{:x} does not fit 24 bits", transaction.transaction_id));
    }
    if (server_duid != nullptr) {
        if (auto valid = validate_duid(*server_duid, "server"); !valid) {
            return phonecwmp::Unexpected(valid.error());
        }
    }
    Dhcpv6Message message;
    message.type = shape.type;
    message.transaction_id = transaction.transaction_id;
    message.options.push_back(Dhcpv6Option{option::kClientId, identity.duid});
    if (server_duid != nullptr) {
        message.options.push_back(Dhcpv6Option{option::kServerId, *server_duid});
    }
    message.options.push_back(
        Dhcpv6Option{option::kElapsedTime,
                     Bytes{static_cast<std::uint8_t>(transaction.elapsed_centiseconds >> 8),
                           static_cast<std::uint8_t>(transaction.elapsed_centiseconds)}});
    if (shape.type == Dhcpv6MessageType::Solicit && identity.rapid_commit) {
        message.options.push_back(Dhcpv6Option{option::kRapidCommit, {}});
    }
    auto ia = ia_na(identity.iaid, addresses);
    if (!ia) return phonecwmp::Unexpected(ia.error());
    message.options.push_back(Dhcpv6Option{option::kIaNa, std::move(*ia)});
    if (shape.request_options) {
        if (!identity.requested_options.empty()) {
            ByteWriter oro;
            for (auto code : identity.requested_options) oro.u16(code);
            message.options.push_back(Dhcpv6Option{option::kOptionRequest, oro.take()});
        }
        if (!identity.vendor_class.empty()) {
            auto vendor_class = encode_dhcpv6_vendor_class(
                Dhcpv6VendorClass{kBroadbandForumEnterprise, {identity.vendor_class}});
            if (!vendor_class) return phonecwmp::Unexpected(vendor_class.error());
            message.options.push_back(Dhcpv6Option{option::kVendorClass, std::move(*vendor_class)});
        }
    }
    return message;
}

}  // namespace

Result<void> validate_dhcpv6_client_identity(const Dhcpv6ClientIdentity& identity) {
    if (auto valid = validate_duid(identity.duid, "client"); !valid) return valid;
    if (identity.requested_options.size() > 64) {
        return dhcp_error(DhcpErrorKind::Invalid, "option request list of more than 64 codes");
    }
    for (auto code : identity.requested_options) {
        // RFC 8415 §21.7: client id, server id, IA options and the like are
        // never requested through the ORO.
        if (code == 0 || code == option::kClientId || code == option::kServerId ||
            code == option::kIaNa || code == option::kIaAddress || code == option::kOptionRequest ||
            code == option::kElapsedTime) {
            return dhcp_error(DhcpErrorKind::Invalid,
                              fmt::format("option {} cannot be requested in the ORO", code));
        }
    }
    if (identity.vendor_class.size() > 255) {
        return dhcp_error(DhcpErrorKind::Invalid, "vendor class longer than 255 bytes");
    }
    return {};
}

Result<Dhcpv6Message> build_dhcpv6_solicit(const Dhcpv6ClientIdentity& identity,
                                           Dhcpv6Transaction transaction) {
    return build(identity, transaction, {Dhcpv6MessageType::Solicit, true}, nullptr, {});
}

Result<Dhcpv6Message> build_dhcpv6_request(const Dhcpv6ClientIdentity& identity,
                                           Dhcpv6Transaction transaction, const Bytes& server_duid,
                                           const std::vector<address_v6>& addresses) {
    return build(identity, transaction, {Dhcpv6MessageType::Request, true}, &server_duid,
                 addresses);
}

Result<Dhcpv6Message> build_dhcpv6_renew(const Dhcpv6ClientIdentity& identity,
                                         Dhcpv6Transaction transaction, const Bytes& server_duid,
                                         const std::vector<address_v6>& addresses) {
    return build(identity, transaction, {Dhcpv6MessageType::Renew, true}, &server_duid, addresses);
}

Result<Dhcpv6Message> build_dhcpv6_rebind(const Dhcpv6ClientIdentity& identity,
                                          Dhcpv6Transaction transaction,
                                          const std::vector<address_v6>& addresses) {
    return build(identity, transaction, {Dhcpv6MessageType::Rebind, true}, nullptr, addresses);
}

Result<Dhcpv6Message> build_dhcpv6_release(const Dhcpv6ClientIdentity& identity,
                                           Dhcpv6Transaction transaction, const Bytes& server_duid,
                                           const std::vector<address_v6>& addresses) {
    return build(identity, transaction, {Dhcpv6MessageType::Release, false}, &server_duid,
                 addresses);
}

}  // namespace agent::dhcp
