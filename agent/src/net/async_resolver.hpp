// The agent's DNS resolver: c-ares on the io_context, never a blocking call.
//
// Every host name the agent connects to is resolved here (architecture
// invariant 1); libcurl is handed the addresses and never resolves by itself.
// The name servers are the system's (/etc/resolv.conf) until set_servers()
// names others, e.g. from Device.DNS.Client.Server.{i}.DNSServer.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/resolver_options.hpp"
#include "phonecwmp/expected.hpp"

namespace agent::net {

class AresChannel;

struct ResolveError {
    std::string message;  // names the host, e.g. "cannot resolve acs.example: ..."
};

using Addresses = std::vector<boost::asio::ip::address>;
using ResolveResult = phonecwmp::Expected<Addresses, ResolveError>;
using ResolveHandler = std::function<void(ResolveResult)>;

// Addresses with how long the DNS lets them be trusted: the smallest TTL of
// the records (0 = do not cache; an IP literal: kLiteralTtl).
struct TimedAddresses {
    Addresses addresses;
    std::chrono::seconds ttl{0};
};
using TimedResolveResult = phonecwmp::Expected<TimedAddresses, ResolveError>;
using TimedResolveHandler = std::function<void(TimedResolveResult)>;
inline constexpr std::chrono::seconds kLiteralTtl{24 * 3600};

class AsyncResolver {
public:
    // Uses the system's name servers. Throws std::runtime_error when c-ares
    // cannot be set up.
    explicit AsyncResolver(boost::asio::io_context& io, ResolverOptions options = {});
    // Handlers of lookups that have not completed yet are never called.
    ~AsyncResolver();
    AsyncResolver(const AsyncResolver&) = delete;
    AsyncResolver& operator=(const AsyncResolver&) = delete;

    // The name servers to ask, in order: IP literals with an optional port,
    // "192.0.2.53", "192.0.2.53:5353", "2001:db8::53", "[2001:db8::53]:5353".
    // Empty = the system's configuration again. Nothing changes on error.
    // Lookups already running finish with the servers they started with.
    phonecwmp::Expected<void, ResolveError> set_servers(const std::vector<std::string>& servers);

    // The A and AAAA addresses of `host`, preferred first. `done` runs from
    // the io_context, never inside resolve(), exactly once: with the
    // addresses, or with an error naming the host (no such name, no answer,
    // no server reachable, or nothing within `limit`). An IP literal is
    // answered with itself.
    void resolve(const std::string& host, std::chrono::milliseconds limit, ResolveHandler done);
    // The same, with the records' TTL (for caches that re-resolve, e.g. the
    // SIP restricted access domains).
    void resolve_with_ttl(const std::string& host, std::chrono::milliseconds limit,
                          TimedResolveHandler done);

    // Parses one set_servers() entry; port 53 when none is given.
    static phonecwmp::Expected<boost::asio::ip::udp::endpoint, ResolveError> parse_server(
        const std::string& server);

private:
    struct Lookup;

    void prune_retired();

    boost::asio::io_context& io_;
    ResolverOptions options_;
    std::shared_ptr<AresChannel> current_;
    // Channels replaced by set_servers() while lookups were running on them.
    std::vector<std::shared_ptr<AresChannel>> retired_;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace agent::net
