// Server transactions whose only remaining job is to answer retransmissions,
// kept as compact records instead of full state machines.
//
// After its final response a server transaction must live on for a while:
// an answered INVITE (RFC 6026 Accepted) 64*T1 to absorb INVITE
// retransmissions, an ACKed non-2xx INVITE answer (Confirmed) T4 to absorb
// ACK retransmissions, a completed non-INVITE transaction over UDP (Timer J)
// 64*T1 to repeat its final response. None of that needs the request, the
// response bytes or a timer of its own: a record is a 64-bit fingerprint of
// the transaction key, a deadline, the final status and the To tag, and the
// repeated response is rebuilt from the retransmitted request (which carries
// the same Via, From, To, Call-ID and CSeq). One timer expires them all.
//
// A fingerprint collision (probability about n^2 / 2^65 for n records) would
// make one new request look like a retransmission of another; with the
// bound below that is below 1e-9 per table lifetime and costs one request.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sip/transaction_key.hpp"
#include "sip/transaction_timers.hpp"

namespace agent::sip {

class CompletedTransactionTable {
public:
    enum class Kind : std::uint8_t {
        AcceptedInvite,     // INVITE retransmissions absorbed; the ACK is the dialog's
        ConfirmedInvite,    // INVITE and ACK retransmissions absorbed
        CompletedNonInvite  // a retransmitted request gets `status` again
    };

    struct Record {
        std::chrono::milliseconds deadline{0};
        std::uint16_t status = 0;
        Kind kind = Kind::ConfirmedInvite;
        std::string to_tag;  // the tag of the final response (short: no allocation)
    };

    // The time base of the deadlines: production uses the steady clock,
    // tests the fake timers' clock.
    using Clock = std::function<std::chrono::milliseconds()>;

    CompletedTransactionTable(TransactionTimers& timers, Clock clock, std::size_t capacity);
    ~CompletedTransactionTable();
    CompletedTransactionTable(const CompletedTransactionTable&) = delete;
    CompletedTransactionTable& operator=(const CompletedTransactionTable&) = delete;

    // False when the table is full (the caller keeps the full transaction).
    bool insert(const ServerTransactionKey& key, Kind kind, std::uint16_t status,
                std::string to_tag, std::chrono::milliseconds lifetime);
    const Record* find(const ServerTransactionKey& key) const;
    void clear();

    std::size_t size() const { return records_.size(); }
    std::size_t capacity() const { return capacity_; }

    static std::chrono::milliseconds steady_now();

private:
    using Due = std::pair<std::chrono::milliseconds, std::uint64_t>;

    void expire();
    void arm();

    TransactionTimers& timers_;
    Clock clock_;
    std::size_t capacity_;
    std::unordered_map<std::uint64_t, Record> records_;
    // Earliest deadline first; entries of records that were replaced are
    // skipped when their deadline does not match the record's.
    std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
    std::optional<TransactionTimers::TimerId> timer_;
    std::chrono::milliseconds armed_for_{0};
};

}  // namespace agent::sip
