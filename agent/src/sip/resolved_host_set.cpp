#include "sip/resolved_host_set.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/algorithm/string/case_conv.hpp>

namespace agent::sip {

boost::asio::ip::address canonical_address(const boost::asio::ip::address& address) {
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
    }
    return address;
}

ResolvedHostSet::ResolvedHostSet(boost::asio::io_context& io, AddressResolver& resolver,
                                 std::string purpose, ResolvedHostSetSettings settings)
    : io_(io), resolver_(resolver), purpose_(std::move(purpose)), settings_(settings) {}

ResolvedHostSet::~ResolvedHostSet() = default;

void ResolvedHostSet::set_hosts(const std::vector<std::string>& hosts) {
    generation_ = std::make_shared<char>();
    entries_.clear();
    names_.clear();
    for (const auto& host : hosts) {
        auto name = boost::algorithm::to_lower_copy(host);
        if (name.empty() || std::find(names_.begin(), names_.end(), name) != names_.end()) {
            continue;
        }
        if (names_.size() >= settings_.max_hosts) {
            spdlog::warn("{}: only the first {} names are used; {} is ignored", purpose_,
                         settings_.max_hosts, name);
            continue;
        }
        names_.push_back(name);
    }
    for (const auto& name : names_) {
        entries_[name];
    }
    for (const auto& name : names_) {
        lookup(name);
    }
}

bool ResolvedHostSet::contains(const boost::asio::ip::address& address,
                               Clock::time_point now) const {
    const auto wanted = canonical_address(address);
    for (const auto& [name, entry] : entries_) {
        if (now >= entry.expires) {
            continue;
        }
        if (std::find(entry.addresses.begin(), entry.addresses.end(), wanted) !=
            entry.addresses.end()) {
            return true;
        }
    }
    return false;
}

bool ResolvedHostSet::settled() const {
    return std::all_of(entries_.begin(), entries_.end(),
                       [](const auto& item) { return item.second.answered; });
}

void ResolvedHostSet::lookup(const std::string& name) {
    resolver_.resolve(
        name, [this, name, generation = std::weak_ptr<char>(generation_)](ResolveOutcome outcome) {
            if (generation.expired()) {
                return;
            }
            on_answer(name, std::move(outcome));
        });
}

void ResolvedHostSet::on_answer(const std::string& name, ResolveOutcome outcome) {
    const auto found = entries_.find(name);
    if (found == entries_.end()) {
        return;
    }
    Entry& entry = found->second;
    entry.answered = true;
    if (!outcome) {
        ++lookups_failed_;
        spdlog::warn("{}: {}; its addresses are not accepted until it resolves", purpose_,
                     outcome.error());
        entry.addresses.clear();
        entry.expires = {};
        schedule(entry, name, settings_.retry_after_failure);
        return;
    }
    entry.addresses.clear();
    for (const auto& address : outcome->addresses) {
        if (entry.addresses.size() >= settings_.max_addresses_per_host) {
            break;
        }
        entry.addresses.push_back(canonical_address(address));
    }
    const auto ttl = std::clamp(outcome->ttl, settings_.min_ttl, settings_.max_ttl);
    entry.expires = Clock::now() + ttl;
    spdlog::info("{}: {} resolved to {} addresses for {} s", purpose_, name, entry.addresses.size(),
                 ttl.count());
    // Re-resolve at 90 % of the TTL so that a working name never has a gap.
    schedule(entry, name, std::chrono::duration_cast<std::chrono::milliseconds>(ttl) * 9 / 10);
}

void ResolvedHostSet::schedule(Entry& entry, const std::string& name,
                               std::chrono::milliseconds after) {
    if (!entry.refresh) {
        entry.refresh = std::make_unique<boost::asio::steady_timer>(io_);
    }
    entry.refresh->expires_after(after);
    entry.refresh->async_wait([this, name, generation = std::weak_ptr<char>(generation_)](
                                  const boost::system::error_code& ec) {
        if (ec || generation.expired()) {
            return;
        }
        lookup(name);
    });
}

}  // namespace agent::sip
