// What the SIP endpoint needs from DNS: the addresses of a host and how long
// they may be trusted. The agent adapts its c-ares resolver (with the data
// model's DNS servers) to this; tests give their own.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "phonecwmp/expected.hpp"

namespace agent::sip {

struct ResolvedAddresses {
    std::vector<boost::asio::ip::address> addresses;
    std::chrono::seconds ttl{60};
};

// The error names the host and the reason.
using ResolveOutcome = phonecwmp::Expected<ResolvedAddresses, std::string>;

class AddressResolver {
public:
    virtual ~AddressResolver() = default;
    // `done` runs once, on the io_context thread, never inside resolve().
    // An IP literal resolves to itself.
    virtual void resolve(const std::string& host, std::function<void(ResolveOutcome)> done) = 0;
};

}  // namespace agent::sip
