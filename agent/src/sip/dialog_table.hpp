// The dialogs this phone takes part in as UAS (RFC 3261 §12): what makes a
// request "in-dialog" for the restricted access domains and Auth INVITE, and
// what BYE and ACK are checked against. Bounded: a phone with no free dialog
// slot answers new calls 486 Busy Here.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "sip/message_origin.hpp"
#include "sip/sip_message.hpp"
#include "sip/transaction_key.hpp"

namespace agent::sip {

struct DialogId {
    std::string call_id;
    std::string local_tag;   // the To tag this phone chose
    std::string remote_tag;  // the caller's From tag
    auto operator<=>(const DialogId&) const = default;
};

struct Dialog {
    enum class State { Early, Answered, Confirmed };
    DialogId id;
    State state = State::Early;
    std::chrono::steady_clock::time_point created = std::chrono::steady_clock::now();
    // The INVITE transaction that created it, for CANCEL.
    ServerTransactionKey invite_key;
    SipMessage invite;  // what 180, 200 and 487 answer
    ResponseDestination peer;
    // The 2xx sent, retransmitted over UDP until the ACK comes (RFC 6026).
    std::string answer_wire;
    std::chrono::milliseconds retransmit_interval{0};
    std::unique_ptr<boost::asio::steady_timer> timer;  // answer delay, then 2xx retransmission
};

class DialogTable {
public:
    explicit DialogTable(std::size_t capacity) : capacity_(capacity) {}

    // nullptr when the table is full (or the id is taken).
    Dialog* insert(Dialog dialog);
    Dialog* find(const DialogId& id);
    Dialog* find_by_invite(const ServerTransactionKey& key);
    bool erase(const DialogId& id);
    // Removes dialogs created before `cutoff` (calls nobody ended); returns
    // how many.
    std::size_t erase_older_than(std::chrono::steady_clock::time_point cutoff);
    void clear() { dialogs_.clear(); }

    std::size_t size() const { return dialogs_.size(); }
    std::size_t capacity() const { return capacity_; }

private:
    std::size_t capacity_;
    std::map<DialogId, Dialog> dialogs_;
};

}  // namespace agent::sip
