// The SIP endpoint's AddressResolver on the agent's c-ares resolver, asking
// the DNS servers the data model names (Device.DNS.Client.Server.{i}) or,
// without any, the system's.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "net/async_resolver.hpp"
#include "sip/address_resolver.hpp"

namespace agent::voice {

class DnsAddressResolver final : public sip::AddressResolver {
public:
    explicit DnsAddressResolver(boost::asio::io_context& io);

    // Empty = the system's servers. The error names the bad entry; nothing
    // changes then.
    phonecwmp::Expected<void, std::string> set_servers(const std::vector<std::string>& servers);
    void resolve(const std::string& host, std::function<void(sip::ResolveOutcome)> done) override;

private:
    net::AsyncResolver resolver_;
};

}  // namespace agent::voice
