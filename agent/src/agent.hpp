// The agent's top level: owns the event queue, decides when a session runs,
// retries failed sessions, and keeps the periodic Inform schedule in step
// with the data model.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <random>

#include "cwmp/codec.hpp"
#include "datamodel/model.hpp"
#include "datamodel/notification_tracker.hpp"
#include "http/http_types.hpp"
#include "lifecycle/device_lifecycle.hpp"
#include "lifecycle/scheduled_informs.hpp"
#include "rpc/rpc_dispatcher.hpp"
#include "session/event_queue.hpp"
#include "session/periodic_inform.hpp"
#include "session/session_engine.hpp"
#include "transfer/transfer_manager.hpp"

namespace agent {

class Agent {
public:
    // `lifecycle`: how Reboot and FactoryReset are carried out (its
    // `restart` is what restarts the agent in place).
    Agent(boost::asio::io_context& io, datamodel::Model& model, http::ChannelFactory& http,
          cwmp::Codec& codec, lifecycle::LifecycleSettings lifecycle = {});

    // Queues the boot events and starts the first session; first carries out
    // a factory reset the ACS asked for before the process ended, if any.
    void start();

    // Queues an event and starts a session as soon as none is running.
    void raise(std::string_view event_code, std::string_view command_key = {});

    std::uint32_t failed_sessions() const { return failed_sessions_; }
    std::size_t scheduled_informs() const { return scheduled_.outstanding(); }

    // TLS files and limits of every session's HTTP connection (local
    // configuration); the ACS credentials come from the data model.
    void set_channel_settings(http::ChannelSettings settings) {
        channel_settings_ = std::move(settings);
    }

    // Download, Upload and their TransferCompletes go through `transfers`
    // (it must outlive the agent's sessions).
    void attach_transfers(transfer::TransferManager& transfers);

private:
    void queue_bootstrap_if_owed();
    void request_session();
    void start_session();
    void on_inform_acknowledged(const InformAcknowledged& ack);
    void on_session_done(SessionOutcome outcome);
    void on_parameter_changed(const std::string& path, const std::string& value);
    void on_active_change();
    void on_schedule_due();
    void commit_due_schedules();
    void register_live_parameters();
    void configure_periodic();
    std::uint32_t uint_value(const char* path, std::uint32_t fallback) const;

    boost::asio::io_context& io_;
    datamodel::Model& model_;
    rpc::RpcDispatcher dispatcher_;
    SessionEngine engine_;
    EventQueue events_;
    // Events raised again during a session while already queued (see raise()).
    std::vector<cwmp::EventStruct> raised_in_session_;
    datamodel::NotificationTracker tracker_;
    // The changes the running session's Inform carries.
    std::vector<datamodel::NotificationTracker::Change> reported_;
    PeriodicInformScheduler periodic_;
    lifecycle::ScheduledInforms scheduled_;
    // A schedule fell due during a session: its events wait for the end.
    bool scheduled_due_ = false;
    lifecycle::DeviceLifecycle lifecycle_;
    boost::asio::steady_timer retry_timer_;
    // Active notifications wait for DefaultActiveNotificationThrottle after
    // the last Inform that reported one.
    boost::asio::steady_timer throttle_timer_;
    bool throttle_pending_ = false;
    std::optional<std::chrono::steady_clock::time_point> last_active_report_;
    std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
    bool retry_pending_ = false;
    bool session_queued_ = false;
    http::ChannelSettings channel_settings_;
    transfer::TransferManager* transfers_ = nullptr;
    std::uint32_t failed_sessions_ = 0;
    std::mt19937_64 random_{std::random_device{}()};
    // Last: the model stops calling this object before its members go.
    datamodel::Observations observations_{model_};
};

// Keys of the agent's state kept beside the values in the store.
namespace state_key {
inline constexpr std::string_view kBootstrappedUrl = "agent.bootstrapped_acs_url";
}  // namespace state_key

}  // namespace agent
