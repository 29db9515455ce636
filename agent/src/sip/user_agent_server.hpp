// The phone as UAS (RFC 3261 §8.2, §12, §15): OPTIONS → 200; INVITE → 100,
// 180, then 200 with an SDP answer (auto-answer); ACK confirms; BYE ends;
// CANCEL → 200 and 487 for the pending INVITE. Retransmissions are absorbed
// by the server transactions; the 2xx is retransmitted over UDP until its
// ACK (RFC 6026). Past its final response a transaction shrinks to a
// compact record (CompletedTransactionTable).
//
// Two answers are stateless (RFC 3261 §8.2.7, no server transaction): the
// Auth INVITE challenge (401) and Busy Here (486) when every dialog slot is
// taken. Both are decisions the phone makes again, identically, for every
// retransmission of the INVITE (the nonce is a stateless HMAC, the To tag a
// keyed hash of the request), so the transaction would only repeat what a
// retransmission gets anyway; the UAC's ACK then matches nothing and is
// counted as a stray ACK. Over UDP a lost 401/486 is recovered by the UAC's
// INVITE retransmission (Timer A) instead of our Timer G; over TCP/TLS
// nothing is lost. Keeping no state is what lets a flood of unauthenticated
// or surplus INVITEs cost no memory.
//
// Access policy sits in front of everything that is not part of an accepted
// dialog or transaction: the `admit` hook (restricted access domains,
// InboundAuth=SourceFilter) may drop a request silently, and with
// InboundAuth=Digest an initial INVITE must pass the InviteAuthenticator.
// In-dialog requests of accepted dialogs, and CANCELs of accepted INVITEs,
// are never filtered: the call was admitted once.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "phonecwmp/log_throttle.hpp"
#include "sip/asio_transaction_timers.hpp"
#include "sip/completed_transaction_table.hpp"
#include "sip/dialog_table.hpp"
#include "sip/endpoint_counters.hpp"
#include "sip/inbound_auth_mode.hpp"
#include "sip/invite_authenticator.hpp"
#include "sip/invite_server_transaction.hpp"
#include "sip/message_origin.hpp"
#include "sip/non_invite_server_transaction.hpp"
#include "sip/parse_limits.hpp"
#include "sip/sip_message.hpp"
#include "sip/transaction_key.hpp"

namespace agent::sip {

struct UserAgentSettings {
    // The user part of the Contact this phone puts in its answers.
    std::string contact_user = "phone";
    std::string user_agent = "phonecwmp";
    // Ringing time before the auto-answer; 0 answers at once.
    std::chrono::milliseconds answer_delay{0};
    // Where the SDP answer says audio would arrive.
    std::uint16_t rtp_port = 16384;
    // Live server transactions (before and around their final response,
    // and non-2xx INVITE answers over UDP, which Timer G retransmits).
    std::size_t max_transactions = 512;
    // Transactions past their final response, as compact records
    // (completed_transaction_table.hpp): an answered call leaves two (its
    // INVITE and its BYE) for 64*T1 = 32 s, so 131,072 sustain 2,048 calls/s,
    // sipp's own ceiling on the benchmark machine (docs/performance.md),
    // within the memory bound stated in docs/sip.md.
    std::size_t max_completed_transactions = 131072;
    std::size_t max_dialogs = 16;
    // A call nobody ends is forgotten after this long.
    std::chrono::hours max_call_duration{12};
    TransactionTimerSettings timers{};
    ParseLimits limits{};
};

enum class Admission { Accept, RestrictedDomain, SourceFilter };

struct UserAgentHooks {
    // Puts one serialized response on the wire; false when it cannot (the
    // connection is gone).
    std::function<bool(const ResponseDestination&, std::string wire)> send;
    // The access policy for requests outside accepted dialogs.
    std::function<Admission(const MessageOrigin&)> admit;
    // This phone's address and port as the peer reaches them (Contact, SDP).
    std::function<boost::asio::ip::address(const MessageOrigin&)> local_address;
    std::function<std::uint16_t(TransportKind)> local_port;
};

class UserAgentServer {
public:
    UserAgentServer(boost::asio::io_context& io, UserAgentSettings settings, UserAgentHooks hooks);
    ~UserAgentServer();
    UserAgentServer(const UserAgentServer&) = delete;
    UserAgentServer& operator=(const UserAgentServer&) = delete;

    // Bytes of one message: a UDP datagram, or a message the stream framer
    // cut out of a TCP/TLS stream.
    void on_message(std::string_view bytes, const MessageOrigin& origin);

    // Digest credentials are used only when `mode` is Digest.
    void set_inbound_auth(InboundAuthMode mode, std::string realm, InboundCredentials credentials);
    InboundAuthMode inbound_auth() const { return auth_mode_; }
    const UserAgentSettings& settings() const { return settings_; }

    // Forgets every transaction and dialog (the transports were rebound:
    // nothing can be answered over the old sockets).
    void reset();

    const EndpointCounters& counters() const { return counters_; }
    std::size_t transaction_count() const { return transactions_.size(); }
    std::size_t completed_transaction_count() const { return completed_.size(); }
    std::size_t dialog_count() const { return dialogs_.size(); }

private:
    using Transaction = std::variant<std::unique_ptr<InviteServerTransaction>,
                                     std::unique_ptr<NonInviteServerTransaction>>;

    void on_request(SipMessage request, const MessageOrigin& origin);
    bool admitted(const MessageOrigin& origin);
    void report_drop(const MessageOrigin& origin, std::string_view reason);
    void on_ack(const SipMessage& ack);
    void on_cancel(const SipMessage& cancel, const MessageOrigin& origin,
                   const ResponseDestination& peer);
    void on_in_dialog(const SipMessage& request, Dialog& dialog, const MessageOrigin& origin,
                      const ResponseDestination& peer);
    void on_invite(const SipMessage& invite, const MessageOrigin& origin,
                   const ResponseDestination& peer);
    void answer_call(DialogId id);
    void retransmit_answer(DialogId id);
    void end_dialog(const DialogId& id);

    // Creates the server transaction for `request` (INVITE or not); nullptr
    // when the table is full (a 503 went out statelessly) or on error.
    Transaction* open_transaction(const SipMessage& request, const MessageOrigin& origin,
                                  const ResponseDestination& peer);
    Transaction* find_transaction(const ServerTransactionKey& key);
    // Builds and sends a response through `transaction` (adding the
    // headers final_headers() gives), then compacts the transaction when
    // its final response leaves it only retransmissions to answer.
    void respond(Transaction& transaction, const SipMessage& request, int status,
                 std::string_view to_tag = {},
                 const std::vector<std::pair<std::string, std::string>>& extra_headers = {});
    // Replaces the full transaction of `key` by a compact record when its
    // state allows it and the record table has room.
    void compact(const ServerTransactionKey& key, int status, std::string_view to_tag);
    // Without a transaction: 503 on overload, 401 and 486 (see above), and
    // a final response repeated from a compact record.
    void respond_statelessly(
        const SipMessage& request, const ResponseDestination& peer, int status,
        std::string_view to_tag = {},
        const std::vector<std::pair<std::string, std::string>>& extra_headers = {});
    // The same To tag for the same request, every time (RFC 3261 §8.2.7).
    std::string stateless_tag(const ServerTransactionKey& key) const;
    std::string contact_for(const MessageOrigin& origin) const;
    std::string new_tag();

    boost::asio::io_context& io_;
    UserAgentSettings settings_;
    UserAgentHooks hooks_;
    AsioTransactionTimers timers_;
    CompletedTransactionTable completed_;
    std::unordered_map<ServerTransactionKey, Transaction, ServerTransactionKeyHash> transactions_;
    DialogTable dialogs_;
    InboundAuthMode auth_mode_ = InboundAuthMode::None;
    InviteAuthenticator authenticator_;
    EndpointCounters counters_;
    // A flood of filtered requests is one log line per 10 s at most, with
    // the running total of drops.
    phonecwmp::LogThrottle drop_reports_{std::chrono::seconds(10)};
    std::uint64_t tag_counter_ = 0;
    std::uint64_t tag_salt_;
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace agent::sip
