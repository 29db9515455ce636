// An AddressResolver for tests: answers from a table, later on the
// io_context like the real one, and counts lookups.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <map>
#include <string>

#include "sip/address_resolver.hpp"

namespace agent::sip::test {

class FakeAddressResolver final : public AddressResolver {
public:
    explicit FakeAddressResolver(boost::asio::io_context& io) : io_(io) {}

    // Names not in the table fail like NXDOMAIN.
    void set(const std::string& host, std::vector<std::string> addresses,
             std::chrono::seconds ttl = std::chrono::seconds(60)) {
        ResolvedAddresses resolved;
        resolved.ttl = ttl;
        for (const auto& address : addresses) {
            resolved.addresses.push_back(boost::asio::ip::make_address(address));
        }
        table_[host] = resolved;
    }
    void remove(const std::string& host) { table_.erase(host); }

    void resolve(const std::string& host, std::function<void(ResolveOutcome)> done) override {
        ++lookups_;
        ResolveOutcome outcome = phonecwmp::Unexpected("cannot resolve " + host + ": no such name");
        if (auto found = table_.find(host); found != table_.end()) {
            outcome = found->second;
        }
        boost::asio::post(io_, [done = std::move(done), outcome = std::move(outcome)]() mutable {
            done(std::move(outcome));
        });
    }

    int lookups() const { return lookups_; }

private:
    boost::asio::io_context& io_;
    std::map<std::string, ResolvedAddresses> table_;
    int lookups_ = 0;
};

}  // namespace agent::sip::test
