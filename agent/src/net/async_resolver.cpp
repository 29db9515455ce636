#include "net/async_resolver.hpp"

#include <ares.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <exception>
#include <utility>

#include "net/ares_channel.hpp"

namespace agent::net {

namespace {

TimedResolveResult to_result(const std::string& host, int status, Addresses addresses,
                             std::chrono::seconds ttl) {
    if (status == ARES_SUCCESS && !addresses.empty()) {
        return TimedAddresses{std::move(addresses), ttl};
    }
    const std::string reason = status == ARES_SUCCESS ? "no address" : ares_strerror(status);
    return phonecwmp::Unexpected(ResolveError{"cannot resolve " + host + ": " + reason});
}

}  // namespace

// One resolve() call: answered by c-ares or by its deadline, whichever comes
// first; the later one finds it finished.
struct AsyncResolver::Lookup {
    Lookup(boost::asio::io_context& io, std::string name, TimedResolveHandler handler)
        : host(std::move(name)), done(std::move(handler)), deadline(io) {}

    void finish(TimedResolveResult result) {
        if (finished) {
            return;
        }
        finished = true;
        deadline.cancel();
        auto handler = std::move(done);
        done = nullptr;
        handler(std::move(result));
    }

    std::string host;
    TimedResolveHandler done;
    boost::asio::steady_timer deadline;
    bool finished = false;
};

AsyncResolver::AsyncResolver(boost::asio::io_context& io, ResolverOptions options)
    : io_(io), options_(options), current_(AresChannel::create(io, options_, {})) {}

AsyncResolver::~AsyncResolver() = default;

phonecwmp::Expected<boost::asio::ip::udp::endpoint, ResolveError> AsyncResolver::parse_server(
    const std::string& server) {
    const auto invalid = [&server](const std::string& why) {
        return phonecwmp::Unexpected(ResolveError{"invalid DNS server \"" + server + "\": " + why});
    };
    std::string host = server;
    std::string port_text;
    if (!server.empty() && server.front() == '[') {
        const auto close = server.find(']');
        if (close == std::string::npos) {
            return invalid("no closing bracket");
        }
        host = server.substr(1, close - 1);
        const std::string rest = server.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') {
                return invalid("unexpected text after the address");
            }
            port_text = rest.substr(1);
            if (port_text.empty()) {
                return invalid("empty port");
            }
        }
    } else if (std::count(server.begin(), server.end(), ':') == 1) {
        const auto colon = server.find(':');
        host = server.substr(0, colon);
        port_text = server.substr(colon + 1);
        if (port_text.empty()) {
            return invalid("empty port");
        }
    }
    if (host.find('%') != std::string::npos) {
        return invalid("scoped (link-local) addresses are not supported");
    }
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    if (ec) {
        return invalid("not an IP address");
    }
    unsigned port = 53;
    if (!port_text.empty()) {
        const char* end = port_text.data() + port_text.size();
        const auto [ptr, error] = std::from_chars(port_text.data(), end, port);
        if (error != std::errc{} || ptr != end || port == 0 || port > 65535) {
            return invalid("bad port");
        }
    }
    return boost::asio::ip::udp::endpoint(address, static_cast<unsigned short>(port));
}

phonecwmp::Expected<void, ResolveError> AsyncResolver::set_servers(
    const std::vector<std::string>& servers) {
    std::vector<boost::asio::ip::udp::endpoint> endpoints;
    for (const auto& server : servers) {
        auto endpoint = parse_server(server);
        if (!endpoint) {
            return phonecwmp::Unexpected(endpoint.error());
        }
        endpoints.push_back(*endpoint);
    }
    std::shared_ptr<AresChannel> fresh;
    try {
        fresh = AresChannel::create(io_, options_, endpoints);
    } catch (const std::exception& e) {
        return phonecwmp::Unexpected(ResolveError{e.what()});
    }
    // c-ares cannot change the servers of a channel with lookups running:
    // new lookups go to a new channel, the old one lives until it is idle.
    if (current_->pending() > 0) {
        retired_.push_back(std::move(current_));
    }
    current_ = std::move(fresh);
    prune_retired();
    return {};
}

void AsyncResolver::resolve(const std::string& host, std::chrono::milliseconds limit,
                            ResolveHandler done) {
    resolve_with_ttl(host, limit, [done = std::move(done)](TimedResolveResult result) {
        if (!result) {
            done(phonecwmp::Unexpected(std::move(result.error())));
            return;
        }
        done(std::move(result->addresses));
    });
}

void AsyncResolver::resolve_with_ttl(const std::string& host, std::chrono::milliseconds limit,
                                     TimedResolveHandler done) {
    const std::weak_ptr<int> alive = alive_;
    boost::system::error_code ec;
    const auto literal = boost::asio::ip::make_address(host, ec);
    if (!ec) {
        boost::asio::post(io_, [alive, literal, done = std::move(done)] {
            if (alive.lock()) {
                done(TimedAddresses{Addresses{literal}, kLiteralTtl});
            }
        });
        return;
    }
    auto lookup = std::make_shared<Lookup>(io_, host, std::move(done));
    lookup->deadline.expires_after(limit);
    lookup->deadline.async_wait([lookup, alive, limit](const boost::system::error_code& error) {
        if (error || !alive.lock()) {
            return;
        }
        lookup->finish(phonecwmp::Unexpected(ResolveError{"cannot resolve " + lookup->host +
                                                          ": no answer within " +
                                                          std::to_string(limit.count()) + " ms"}));
    });
    current_->getaddrinfo(
        host, [this, lookup, alive](int status, Addresses addresses, std::chrono::seconds ttl) {
            // Inside c-ares' processing: continue from the io_context.
            boost::asio::post(io_, [this, lookup, alive, status, ttl,
                                    addresses = std::move(addresses)]() mutable {
                if (!alive.lock()) {
                    return;
                }
                prune_retired();
                lookup->finish(to_result(lookup->host, status, std::move(addresses), ttl));
            });
        });
}

void AsyncResolver::prune_retired() {
    std::erase_if(retired_, [](const auto& channel) { return channel->pending() == 0; });
}

}  // namespace agent::net
