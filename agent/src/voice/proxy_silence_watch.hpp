// DHCP Timeout on Renewal, SIP side (DESIGN.md §2): watches the REGISTER
// transactions to the registrar or outbound proxy and tells the DHCP client
// when one has waited X_PHONECWMP_SIPTimeoutRenewal seconds without any
// response, not even a 1xx.
//
// The silence is counted from the first request the proxy left unanswered
// (a response of any kind starts it afresh), so that a threshold longer than
// one transaction's life (timer F, 32 s) still triggers while the retries
// stay unanswered. It is reported once per transaction and only while one
// is outstanding: each retry may trigger a renewal again.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "dhcp_service/sip_network_hooks.hpp"
#include "sip/registration_client.hpp"
#include "sip/transaction_timers.hpp"

namespace agent::voice {

class ProxySilenceWatch {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    // The current X_PHONECWMP_SIPTimeoutRenewal; 0 = off. Read at every
    // request, so that a change applies to the next transaction.
    using Threshold = std::function<std::chrono::seconds()>;

    // `timers` and `sink` must outlive the watch.
    ProxySilenceWatch(sip::TransactionTimers& timers, Clock now, Threshold threshold,
                      dhcp_service::SipProxyTimeoutSink& sink);
    ~ProxySilenceWatch();
    ProxySilenceWatch(const ProxySilenceWatch&) = delete;
    ProxySilenceWatch& operator=(const ProxySilenceWatch&) = delete;

    // Feed of RegistrationClient::set_transaction_observer.
    void on_transaction(sip::RegistrationClient::TransactionEvent event);

private:
    void on_sent();
    void cancel();

    sip::TransactionTimers& timers_;
    Clock now_;
    Threshold threshold_;
    dhcp_service::SipProxyTimeoutSink& sink_;
    // When the first request of the current unanswered run went out.
    std::optional<std::chrono::steady_clock::time_point> silent_since_;
    sip::TransactionTimers::TimerId deadline_ = 0;
};

}  // namespace agent::voice
