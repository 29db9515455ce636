// The addresses a list of host names resolves to, kept fresh: each name is
// resolved when the list is set, re-resolved shortly before its TTL runs
// out, and its addresses stop counting when the TTL has passed. A failed
// lookup removes the name's addresses (it never widens the set) and is
// retried after a pause. Used for the restricted access domains and for
// InboundAuth=SourceFilter (the proxy's addresses).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sip/address_resolver.hpp"

namespace agent::sip {

struct ResolvedHostSetSettings {
    // Bounds on what a DNS answer can make us keep.
    std::chrono::seconds min_ttl{5};
    std::chrono::seconds max_ttl{std::chrono::hours(1)};
    std::chrono::seconds retry_after_failure{5};
    std::size_t max_hosts = 64;
    std::size_t max_addresses_per_host = 32;
};

class ResolvedHostSet {
public:
    using Clock = std::chrono::steady_clock;

    ResolvedHostSet(boost::asio::io_context& io, AddressResolver& resolver, std::string purpose,
                    ResolvedHostSetSettings settings = {});
    ~ResolvedHostSet();
    ResolvedHostSet(const ResolvedHostSet&) = delete;
    ResolvedHostSet& operator=(const ResolvedHostSet&) = delete;

    // Replaces the names (duplicates and case ignored) and resolves them now;
    // the addresses of the old names are forgotten at once. Names beyond
    // max_hosts are ignored with a log line.
    void set_hosts(const std::vector<std::string>& hosts);
    const std::vector<std::string>& hosts() const { return names_; }

    // True when `address` is a current (unexpired) address of one of the
    // names. IPv4-mapped IPv6 sources compare as IPv4.
    bool contains(const boost::asio::ip::address& address,
                  Clock::time_point now = Clock::now()) const;
    // Every name has had an answer (success or failure) since set_hosts().
    bool settled() const;
    std::uint64_t lookups_failed() const { return lookups_failed_; }

private:
    struct Entry {
        std::vector<boost::asio::ip::address> addresses;
        Clock::time_point expires{};
        bool answered = false;
        std::unique_ptr<boost::asio::steady_timer> refresh;
    };
    void lookup(const std::string& name);
    void on_answer(const std::string& name, ResolveOutcome outcome);
    void schedule(Entry& entry, const std::string& name, std::chrono::milliseconds after);

    boost::asio::io_context& io_;
    AddressResolver& resolver_;
    std::string purpose_;
    ResolvedHostSetSettings settings_;
    std::vector<std::string> names_;
    std::map<std::string, Entry> entries_;
    std::uint64_t lookups_failed_ = 0;
    // Answers to lookups of an earlier set_hosts() (or of a destroyed set)
    // find a different token and are ignored.
    std::shared_ptr<char> generation_ = std::make_shared<char>();
};

// IPv4-mapped IPv6 (::ffff:a.b.c.d) as IPv4, everything else unchanged.
boost::asio::ip::address canonical_address(const boost::asio::ip::address& address);

}  // namespace agent::sip
