// The unit by which the connection-request server shares its connections
// and its rate limit fairly: one IPv4 address, or one IPv6 /64. A host
// picks any address of its /64 at will (privacy addresses, RFC 8981), so
// counting IPv6 addresses one by one would give a single host unbounded
// identities. An IPv4-mapped IPv6 address (a dual-stack listener's view of
// an IPv4 client) counts as the IPv4 address it carries.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>

namespace agent::connection_request {

class RequestSource {
public:
    explicit RequestSource(const boost::asio::ip::address& peer);

    // "192.0.2.7" or "2001:db8:1:2::/64".
    std::string to_string() const;

    bool operator==(const RequestSource& other) const { return address_ == other.address_; }
    bool operator<(const RequestSource& other) const { return address_ < other.address_; }

private:
    boost::asio::ip::address address_;  // IPv6: the /64 prefix, host bits zero
};

}  // namespace agent::connection_request
