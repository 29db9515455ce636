#include "agent.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <charconv>
#include <utility>

#include "cwmp/event_codes.hpp"
#include "datamodel/path.hpp"
#include "datamodel/value_syntax.hpp"
#include "rpc/wire_types.hpp"
#include "session/retry_policy.hpp"

namespace agent {

namespace {
constexpr const char* kUrl = "Device.ManagementServer.URL";
constexpr const char* kUsername = "Device.ManagementServer.Username";
constexpr const char* kPassword = "Device.ManagementServer.Password";
constexpr const char* kPeriodicEnable = "Device.ManagementServer.PeriodicInformEnable";
constexpr const char* kPeriodicInterval = "Device.ManagementServer.PeriodicInformInterval";
constexpr const char* kPeriodicTime = "Device.ManagementServer.PeriodicInformTime";
constexpr const char* kRetryMinimum = "Device.ManagementServer.CWMPRetryMinimumWaitInterval";
constexpr const char* kRetryMultiplier = "Device.ManagementServer.CWMPRetryIntervalMultiplier";
constexpr const char* kEnableCwmp = "Device.ManagementServer.EnableCWMP";
constexpr const char* kActiveThrottle = "Device.ManagementServer.DefaultActiveNotificationThrottle";
constexpr const char* kUpTime = "Device.DeviceInfo.UpTime";
}  // namespace

Agent::Agent(boost::asio::io_context& io, datamodel::Model& model, http::ChannelFactory& http,
             cwmp::Codec& codec, lifecycle::LifecycleSettings lifecycle)
    : io_(io),
      model_(model),
      dispatcher_(model),
      engine_(model, codec, http, dispatcher_),
      events_(model),
      tracker_(model),
      periodic_(io, [this] { raise(cwmp::event::kPeriodic); }),
      scheduled_(io, model, [this] { on_schedule_due(); }),
      lifecycle_(io, model, scheduled_, std::move(lifecycle)),
      retry_timer_(io),
      throttle_timer_(io) {
    dispatcher_.context().lifecycle = &lifecycle_;
    observations_.add(model_.observe([this](const std::string& path, const std::string& value) {
        on_parameter_changed(path, value);
    }));
    tracker_.on_active_change([this] { on_active_change(); });
    register_live_parameters();
}

void Agent::register_live_parameters() {
    const auto registered = model_.register_parameter(
        kUpTime, {.get =
                      [this](const std::string&) {
                          return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                    std::chrono::steady_clock::now() - started_at_)
                                                    .count());
                      },
                  .validate = {}});
    if (!registered) {
        spdlog::warn("agent: {} is not in the definitions: {}", kUpTime,
                     registered.error().message);
    }
}

void Agent::start() {
    if (lifecycle_.resume_interrupted()) {
        return;
    }
    scheduled_.load();
    queue_bootstrap_if_owed();
    // Due while the device was off: delivered with the boot.
    commit_due_schedules();
    events_.add(cwmp::event::kBoot);
    configure_periodic();
    request_session();
}

void Agent::queue_bootstrap_if_owed() {
    // BOOTSTRAP: first contact since factory state, or a different ACS. The
    // URL last bootstrapped is recorded only once an ACS has acknowledged an
    // Inform carrying BOOTSTRAP, so a failed or interrupted first contact is
    // repeated, after a restart too.
    // No record at all means no ACS was ever contacted: owed too.
    const auto bootstrapped = model_.meta(state_key::kBootstrappedUrl);
    if ((!bootstrapped || *bootstrapped != model_.value(kUrl).value_or("")) &&
        !events_.contains(cwmp::event::kBootstrap)) {
        // What was owed to the previous ACS is not owed to this one, and it
        // reads the whole state anyway.
        events_.discard_for_new_acs();
        scheduled_.discard_all();
        if (transfers_ != nullptr) transfers_->discard_for_new_acs();
        tracker_.clear();
        events_.add(cwmp::event::kBootstrap);
    }
}

void Agent::raise(std::string_view event_code, std::string_view command_key) {
    if (engine_.active() && events_.contains(event_code)) {
        // Raised again while the Inform carrying it may be in flight: its
        // InformResponse clears the queued one, and this one must not go
        // with it (a connection request during a session gets a session).
        raised_in_session_.push_back({std::string(event_code), std::string(command_key)});
    }
    events_.add(event_code, command_key);
    if (retry_pending_ && event_code != cwmp::event::kPeriodic) {
        // A new event during a retry wait is delivered at once (TR-069
        // §3.2.1.1); a periodic one waits, so that a short interval does not
        // defeat the back-off.
        retry_timer_.cancel();
        retry_pending_ = false;
    }
    request_session();
}

void Agent::request_session() {
    if (session_queued_ || engine_.active() || retry_pending_) {
        return;
    }
    session_queued_ = true;
    // Always from a fresh io_context turn: never inside the previous
    // session's completion chain.
    boost::asio::post(io_, [this] {
        session_queued_ = false;
        start_session();
    });
}

void Agent::start_session() {
    if (lifecycle_.in_progress() || engine_.active() ||
        (events_.empty() && !tracker_.active_pending())) {
        return;
    }
    if (model_.value(kEnableCwmp).value_or("true") != "true") {
        spdlog::info("agent: EnableCWMP is false, not informing");
        return;
    }
    SessionSettings settings;
    settings.acs_url = model_.value(kUrl).value_or("");
    if (settings.acs_url.empty()) {
        spdlog::warn("agent: no ACS URL configured, waiting for one");
        return;
    }
    settings.channel = channel_settings_;
    settings.channel.username = model_.value(kUsername).value_or("");
    settings.channel.password = model_.value(kPassword).value_or("");
    std::vector<cwmp::EventStruct> events = events_.for_inform();
    if (events_.contains(cwmp::event::kBootstrap)) {
        // A new ACS reads the whole state: no change is news to it.
        tracker_.clear();
    }
    reported_ = tracker_.pending();
    if (!reported_.empty()) {
        // Not queued: whether there is a change to report is decided anew
        // for every session.
        events.push_back({std::string(cwmp::event::kValueChange), ""});
        for (const auto& change : reported_) {
            const datamodel::ParameterDefinition* definition =
                model_.definitions().find_parameter(datamodel::template_path(change.path));
            settings.changed_values.push_back(
                {change.path, change.value,
                 definition ? rpc::xsi_type_for(datamodel::value_type(definition->syntax))
                            : std::string()});
        }
    }
    if (transfers_ != nullptr) settings.requests = transfers_->completion_requests();
    engine_.start(settings, std::move(events), failed_sessions_,
                  {[this](const InformAcknowledged& ack) { on_inform_acknowledged(ack); },
                   [this](SessionOutcome outcome) { on_session_done(std::move(outcome)); },
                   [this](const std::vector<cwmp::EventStruct>& delivered) {
                       events_.delivered(delivered);
                   }});
}

void Agent::attach_transfers(transfer::TransferManager& transfers) {
    transfers_ = &transfers;
    dispatcher_.context().transfers = &transfers;
    // A transfer's outcome was committed with its events: deliver them.
    transfers.on_completed([this] {
        events_.adopt_committed();
        request_session();
    });
}

void Agent::on_inform_acknowledged(const InformAcknowledged& ack) {
    // Delivered from now on, whatever happens to the rest of the session.
    events_.delivered(ack.events);
    for (const auto& again : std::exchange(raised_in_session_, {})) {
        events_.add(again.event_code, again.command_key);
    }
    if (!reported_.empty()) {
        const bool any_active = std::any_of(reported_.begin(), reported_.end(),
                                            [](const auto& change) { return change.active; });
        if (any_active) last_active_report_ = std::chrono::steady_clock::now();
        tracker_.reported(reported_);
        reported_.clear();
    }
    const bool bootstrapped = std::any_of(
        ack.events.begin(), ack.events.end(),
        [](const cwmp::EventStruct& e) { return e.event_code == cwmp::event::kBootstrap; });
    if (bootstrapped) {
        if (auto stored =
                model_.set_meta(state_key::kBootstrappedUrl, model_.value(kUrl).value_or(""));
            !stored) {
            // BOOTSTRAP will be sent again at the next start: harmless.
            spdlog::error("agent: cannot record the bootstrapped ACS URL: {}",
                          stored.error().message);
        }
    }
}

void Agent::on_session_done(SessionOutcome outcome) {
    // Without an InformResponse the queued events were kept as they are.
    raised_in_session_.clear();
    // TR-069 3.2.1.1: only a session that ran to its end with nothing owed
    // resets the retry count; one that failed after its InformResponse, or
    // left a TransferComplete undelivered, counts as failed, so its retries
    // back off instead of starting over at #1.
    if (outcome.success && !outcome.requests_pending) {
        failed_sessions_ = 0;
    } else if (outcome.inform_acknowledged) {
        ++failed_sessions_;
    }
    if (lifecycle_.action_pending()) {
        // TR-069: Reboot and FactoryReset take effect after the session.
        lifecycle_.carry_out();
        return;
    }
    if (std::exchange(scheduled_due_, false)) {
        commit_due_schedules();
    }
    if (outcome.inform_acknowledged && outcome.requests_pending) {
        // A TransferComplete the ACS faulted or held to the end is still
        // owed: sent again on the retry schedule, not in a loop.
        queue_bootstrap_if_owed();
    } else if (outcome.inform_acknowledged) {
        // The URL may have changed during the session (SetParameterValues of
        // ManagementServer.URL): the new ACS is owed its BOOTSTRAP.
        queue_bootstrap_if_owed();
        if (!events_.empty()) {
            request_session();
        } else if (tracker_.active_pending()) {
            on_active_change();
        }
        return;
    }
    events_.session_failed();
    if (!outcome.inform_acknowledged) {
        ++failed_sessions_;
    }
    if (events_.empty()) {
        return;
    }
    const auto wait = retry_wait(failed_sessions_, uint_value(kRetryMinimum, 5),
                                 uint_value(kRetryMultiplier, 2000), random_);
    spdlog::info("agent: session retry #{} in {:.1f} s", failed_sessions_,
                 static_cast<double>(wait.count()) / 1000.0);
    retry_pending_ = true;
    retry_timer_.expires_after(wait);
    retry_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) {
            return;
        }
        retry_pending_ = false;
        request_session();
    });
}

void Agent::on_parameter_changed(const std::string& path, const std::string&) {
    if (lifecycle_.in_progress()) {
        // A factory reset rewrites everything; the restart follows.
        return;
    }
    if (path == kPeriodicEnable || path == kPeriodicInterval || path == kPeriodicTime) {
        configure_periodic();
    } else if (path == kUrl && !engine_.active()) {
        // Changed locally or by discovery: a new ACS means a new first
        // contact. (Changed by the ACS itself: handled when its session ends.)
        queue_bootstrap_if_owed();
        request_session();
    }
}

void Agent::on_active_change() {
    if (throttle_pending_) return;
    const auto throttle = std::chrono::seconds(uint_value(kActiveThrottle, 0));
    const auto now = std::chrono::steady_clock::now();
    if (!last_active_report_ || now - *last_active_report_ >= throttle) {
        request_session();
        return;
    }
    // TR-069: at most one active-notification session per throttle
    // interval; the changes gather meanwhile and go together.
    throttle_pending_ = true;
    throttle_timer_.expires_at(*last_active_report_ + throttle);
    throttle_timer_.async_wait([this](const boost::system::error_code& ec) {
        throttle_pending_ = false;
        if (!ec && tracker_.active_pending()) request_session();
    });
}

void Agent::on_schedule_due() {
    if (engine_.active() || lifecycle_.in_progress()) {
        // Not into a running session: its InformResponse would clear a
        // "3 SCHEDULED" the session's Inform did not carry.
        scheduled_due_ = true;
        return;
    }
    commit_due_schedules();
    request_session();
}

void Agent::commit_due_schedules() {
    if (scheduled_.commit_due() > 0) {
        events_.adopt_committed();
    }
}

void Agent::configure_periodic() {
    periodic_.configure(model_.value(kPeriodicEnable).value_or("false") == "true",
                        uint_value(kPeriodicInterval, 0), model_.value(kPeriodicTime).value_or(""));
}

std::uint32_t Agent::uint_value(const char* path, std::uint32_t fallback) const {
    const std::string text = model_.value(path).value_or("");
    std::uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() ? value : fallback;
}

}  // namespace agent
