#include "sip/completed_transaction_table.hpp"

#include <algorithm>

namespace agent::sip {
namespace {

std::uint64_t fingerprint(const ServerTransactionKey& key) {
    // ServerTransactionKeyHash covers every field that tells transactions
    // apart; the final mix (splitmix64) spreads it over the whole 64 bits.
    std::uint64_t x = ServerTransactionKeyHash{}(key);
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace

CompletedTransactionTable::CompletedTransactionTable(TransactionTimers& timers, Clock clock,
                                                     std::size_t capacity)
    : timers_(timers), clock_(std::move(clock)), capacity_(capacity) {}

CompletedTransactionTable::~CompletedTransactionTable() {
    if (timer_) timers_.cancel(*timer_);
}

std::chrono::milliseconds CompletedTransactionTable::steady_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch());
}

bool CompletedTransactionTable::insert(const ServerTransactionKey& key, Kind kind,
                                       std::uint16_t status, std::string to_tag,
                                       std::chrono::milliseconds lifetime) {
    if (records_.size() >= capacity_) {
        return false;
    }
    const auto id = fingerprint(key);
    const auto deadline = clock_() + lifetime;
    records_.insert_or_assign(id, Record{deadline, status, kind, std::move(to_tag)});
    due_.emplace(deadline, id);
    if (!timer_ || deadline < armed_for_) {
        arm();
    }
    return true;
}

const CompletedTransactionTable::Record* CompletedTransactionTable::find(
    const ServerTransactionKey& key) const {
    const auto found = records_.find(fingerprint(key));
    if (found == records_.end() || found->second.deadline <= clock_()) {
        return nullptr;
    }
    return &found->second;
}

void CompletedTransactionTable::clear() {
    if (timer_) timers_.cancel(*timer_);
    timer_.reset();
    records_.clear();
    due_ = {};
}

void CompletedTransactionTable::arm() {
    if (timer_) timers_.cancel(*timer_);
    timer_.reset();
    if (due_.empty()) {
        return;
    }
    armed_for_ = due_.top().first;
    const auto delay = std::max(armed_for_ - clock_(), std::chrono::milliseconds(0));
    timer_ = timers_.start(delay, [this] {
        timer_.reset();
        expire();
    });
}

void CompletedTransactionTable::expire() {
    const auto now = clock_();
    while (!due_.empty() && due_.top().first <= now) {
        const auto [deadline, id] = due_.top();
        due_.pop();
        const auto found = records_.find(id);
        if (found != records_.end() && found->second.deadline == deadline) {
            records_.erase(found);
        }
    }
    arm();
}

}  // namespace agent::sip
