// The phone's REGISTER client (RFC 3261 §10.2): binds the line's address of
// record to this phone at the registrar, refreshes the binding before it
// expires, answers Digest challenges (RFC 7616: MD5 or SHA-256, qop=auth),
// honours 423 Interval Too Brief, retries failures with a growing backoff,
// and removes the binding (Expires: 0) before switching to new settings or
// when the line is disabled.
//
// Runs on the io_context thread, on injected timers and an injected flow,
// so that every path is tested without sockets or sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "cwmp/http_digest.hpp"
#include "sip/client_transaction.hpp"
#include "sip/registrar_flow.hpp"
#include "sip/sip_message.hpp"
#include "sip/sip_uri.hpp"
#include "sip/transaction_timers.hpp"

namespace agent::sip {

struct RegistrationSettings {
    bool enabled = false;
    RegistrarTarget registrar;
    // The address of record (TR-104 RegisterURI): a sip:/sips: URI, or
    // "user@domain", or empty for sip:<username>@<registrar host>.
    std::string register_uri;
    std::string username;
    std::string password;
    std::chrono::seconds expires{3600};
    std::chrono::seconds retry_interval{30};
    // RFC 3261 §8.1.2 (TR-104 OutboundProxy): when set, REGISTERs travel to
    // this proxy, over the registrar's transport, with a loose Route naming
    // it; the Request-URI still names the registrar's domain.
    std::optional<RegistrarTarget> outbound_proxy;
    bool operator==(const RegistrationSettings&) const = default;
};

struct RegistrationClientOptions {
    TransactionTimerSettings timers{};
    std::string user_agent = "phonecwmp";
    // Consecutive failures double the retry wait, up to this.
    std::chrono::seconds max_retry_wait{std::chrono::minutes(30)};
    // The refresh goes out this long before the binding expires, but never
    // later than half-way through it.
    std::chrono::seconds refresh_margin{std::chrono::minutes(10)};
};

class RegistrationClient {
public:
    enum class State { Disabled, Registering, Registered, Deregistering, Error };
    // Why the client is in Error (TR-104 Error_Misconfigured /
    // Error_Network / Error_Registration).
    enum class Failure { None, Misconfigured, Network, Registration };
    // The life of one REGISTER transaction, as the proxy's liveness sees it
    // (retransmissions are the same transaction; a retry is a new one).
    enum class TransactionEvent {
        Sent,      // a new transaction's request went out
        Answered,  // any response to it, provisional or final
        Ended,     // it is over, answered or not
    };
    using TransactionObserver = std::function<void(TransactionEvent)>;

    RegistrationClient(TransactionTimers& timers, RegistrarFlow& flow,
                       RegistrationClientOptions options = {},
                       std::function<void()> on_state_change = {});
    ~RegistrationClient();
    RegistrationClient(const RegistrationClient&) = delete;
    RegistrationClient& operator=(const RegistrationClient&) = delete;

    // New settings: unchanged ones change nothing; otherwise a current
    // binding is removed first, then the client registers with `settings`.
    void configure(const RegistrationSettings& settings);

    // The flow was closed under the client (the listener moved): the binding
    // names an address that no longer answers, so register afresh, and an
    // un-REGISTER under way gives way to the settings it was making room for.
    void restart();

    // A response received on the flow; false when it matches no transaction
    // of this client (RFC 3261 §17.1.3: top Via branch and CSeq method).
    bool on_response(const SipMessage& response);
    // The flow's connection broke (TCP/TLS closed by the peer): a request
    // under way fails; otherwise the next refresh connects again.
    void on_flow_failure(const std::string& reason);

    State state() const { return state_; }
    Failure failure() const { return failure_; }
    // The reason of the last error (empty when none).
    const std::string& last_error() const { return last_error_; }
    // The lifetime the registrar granted (while Registered).
    std::chrono::seconds granted_expires() const { return granted_; }
    const RegistrationSettings& settings() const { return settings_; }

    // Called on every TransactionEvent (DHCP Timeout on Renewal watches
    // the registrar's silence through it); empty for none.
    void set_transaction_observer(TransactionObserver observer) {
        transaction_observer_ = std::move(observer);
    }

private:
    enum class Purpose { Register, Unregister };

    void start();
    void open_flow(Purpose purpose);
    // `authorization` is a header name and value answering a challenge.
    void send_register(Purpose purpose,
                       std::optional<std::pair<std::string, std::string>> authorization = {});
    void on_final(Purpose purpose, const SipMessage& response);
    void on_success(Purpose purpose, const SipMessage& response);
    bool answer_challenge(Purpose purpose, const SipMessage& response);
    void on_transaction_failure(Purpose purpose, const std::string& reason);
    void after_unregister();
    void fail(Failure failure, std::string reason);
    void schedule(std::chrono::milliseconds delay, std::function<void()> action);
    void cancel_schedule();
    void set_state(State state);
    // Drops the current transaction (if any) and tells the observer.
    void end_transaction();
    void notify(TransactionEvent event);
    std::chrono::seconds granted_by(const SipMessage& response) const;

    TransactionTimers& timers_;
    RegistrarFlow& flow_;
    RegistrationClientOptions options_;
    std::function<void()> on_state_change_;
    TransactionObserver transaction_observer_;

    RegistrationSettings settings_;
    // Settings waiting for the un-REGISTER of the current binding to finish.
    std::optional<RegistrationSettings> pending_;
    State state_ = State::Disabled;
    Failure failure_ = Failure::None;
    std::string last_error_;

    // Per binding (RFC 3261 §10.2: refreshes keep Call-ID and From tag and
    // increase the CSeq).
    SipUri aor_;
    std::string call_id_;
    std::string from_tag_;
    std::uint32_t cseq_ = 0;
    FlowAddress local_;
    FlowAddress bound_local_;  // the Contact of the binding the registrar holds
    bool bound_ = false;       // the registrar may hold a binding of ours
    std::chrono::seconds requested_{3600};
    std::chrono::seconds granted_{0};
    // The credentials of the last request answered a challenge: another
    // 401/407 (unless stale) means the password is wrong.
    bool sent_credentials_ = false;
    unsigned interval_retries_ = 0;
    unsigned consecutive_failures_ = 0;

    std::unique_ptr<NonInviteClientTransaction> transaction_;
    TransactionTimers::TimerId scheduled_ = 0;
    // Callbacks from the flow and timers check this first.
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

const char* to_string(RegistrationClient::State state);

// The address of record for `settings`, or an error naming the problem.
phonecwmp::Expected<SipUri, std::string> address_of_record(const RegistrationSettings& settings);

}  // namespace agent::sip
