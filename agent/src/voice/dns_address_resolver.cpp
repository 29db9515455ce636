#include "voice/dns_address_resolver.hpp"

namespace agent::voice {
namespace {
// One lookup, all servers and retries included.
constexpr std::chrono::seconds kLookupLimit{5};
}  // namespace

DnsAddressResolver::DnsAddressResolver(boost::asio::io_context& io) : resolver_(io) {}

phonecwmp::Expected<void, std::string> DnsAddressResolver::set_servers(
    const std::vector<std::string>& servers) {
    auto set = resolver_.set_servers(servers);
    if (!set) {
        return phonecwmp::Unexpected(set.error().message);
    }
    return {};
}

void DnsAddressResolver::resolve(const std::string& host,
                                 std::function<void(sip::ResolveOutcome)> done) {
    // The records' TTL: ResolvedHostSet clamps it and looks the name up
    // again before it runs out.
    resolver_.resolve_with_ttl(
        host, kLookupLimit, [done = std::move(done)](net::TimedResolveResult result) {
            if (!result) {
                done(phonecwmp::Unexpected(result.error().message));
                return;
            }
            done(sip::ResolvedAddresses{std::move(result->addresses), result->ttl});
        });
}

}  // namespace agent::voice
