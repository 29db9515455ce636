#include "voice/proxy_silence_watch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace agent::voice {

ProxySilenceWatch::ProxySilenceWatch(sip::TransactionTimers& timers, Clock now, Threshold threshold,
                                     dhcp_service::SipProxyTimeoutSink& sink)
    : timers_(timers), now_(std::move(now)), threshold_(std::move(threshold)), sink_(sink) {}

ProxySilenceWatch::~ProxySilenceWatch() {
    cancel();
}

void ProxySilenceWatch::on_transaction(sip::RegistrationClient::TransactionEvent event) {
    using Event = sip::RegistrationClient::TransactionEvent;
    switch (event) {
        case Event::Sent:
            on_sent();
            return;
        case Event::Answered:
            silent_since_.reset();
            cancel();
            return;
        case Event::Ended:
            // Unanswered, the run of silence goes on into the retry.
            cancel();
            return;
    }
}

void ProxySilenceWatch::on_sent() {
    cancel();
    const auto now = now_();
    if (!silent_since_) {
        silent_since_ = now;
    }
    const auto threshold = threshold_();
    if (threshold.count() <= 0) {
        return;
    }
    const auto since = *silent_since_;
    // Never from inside the client's send: the sink may act at once.
    // Rounded up: the sink compares whole seconds against the threshold.
    const auto wait =
        std::max(std::chrono::ceil<std::chrono::milliseconds>(since + threshold - now),
                 std::chrono::milliseconds(0));
    deadline_ = timers_.start(wait, [this, since] {
        deadline_ = 0;
        const auto silent_for = std::chrono::duration_cast<std::chrono::seconds>(now_() - since);
        spdlog::info("SIP: the registrar has not answered for {} s", silent_for.count());
        sink_.proxy_unresponsive(silent_for);
    });
}

void ProxySilenceWatch::cancel() {
    if (deadline_ != 0) {
        timers_.cancel(deadline_);
        deadline_ = 0;
    }
}

}  // namespace agent::voice
