// Reboot and factory reset of the device, and the ACS's scheduled informs:
// the RPC handlers' LifecycleRequests, carried out by the agent once the
// session that asked has ended (TR-069: the CPE reboots after the session).
//
// Reboot: the configured command (e.g. `systemctl reboot`) if any, else the
// agent restarts itself in place. A command that fails, or a system that is
// still up after the grace period, falls back to the restart in place, so
// the ACS always hears "1 BOOT" + "M Reboot".
// Factory reset: the data model returns to its factory state (values,
// instances, attributes, metadata, pending events), the configured command
// runs, then the same restart; the next Inform carries "0 BOOTSTRAP".
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "datamodel/model.hpp"
#include "lifecycle/lifecycle_requests.hpp"
#include "lifecycle/scheduled_informs.hpp"
#include "lifecycle/shell_command.hpp"

namespace agent::lifecycle {

struct LifecycleSettings {
    std::string reboot_command{};         // run with /bin/sh -c; empty: restart in place
    std::string factory_reset_command{};  // run after the model's reset; empty: none
    std::chrono::seconds command_time_limit{120};
    // After a successful reboot command, how long to wait for the system to
    // take the agent down before restarting in place anyway.
    std::chrono::seconds reboot_grace{60};
    // Restarts the agent in place (cwmp-agent: stop the io_context, then
    // ProcessRestart::exec()). Called at most once.
    std::function<void()> restart{};
};

class DeviceLifecycle final : public LifecycleRequests {
public:
    DeviceLifecycle(boost::asio::io_context& io, datamodel::Model& model,
                    ScheduledInforms& scheduled, LifecycleSettings settings);

    phonecwmp::Expected<void, cwmp::Fault> accept_reboot(std::string_view command_key) override;
    phonecwmp::Expected<void, cwmp::Fault> accept_factory_reset() override;
    phonecwmp::Expected<void, cwmp::Fault> schedule_inform(std::chrono::seconds delay,
                                                           std::string_view command_key) override;

    // A reboot or factory reset was accepted and waits for the session's end.
    bool action_pending() const { return pending_ != Action::None; }
    // One is being carried out: no session may start any more.
    bool in_progress() const { return in_progress_; }

    // Carries out what is pending; called when the session has ended.
    void carry_out();

    // At start: a factory reset accepted before the process ended is carried
    // out now (true; the agent then does not start). If the store refuses
    // the reset again, the owed reset is dropped and the agent runs on.
    bool resume_interrupted();

    // Metadata key recording an accepted factory reset until it is done.
    static constexpr std::string_view kFactoryResetOwedKey = "agent.factory_reset_owed";

private:
    enum class Action { None, Reboot, FactoryReset };
    void reboot();
    void factory_reset_then_restart();
    void restart();

    datamodel::Model& model_;
    ScheduledInforms& scheduled_;
    LifecycleSettings settings_;
    Action pending_ = Action::None;
    bool in_progress_ = false;
    bool restarted_ = false;
    ShellCommand command_;
    boost::asio::steady_timer grace_;
};

}  // namespace agent::lifecycle
