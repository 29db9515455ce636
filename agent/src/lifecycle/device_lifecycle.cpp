#include "lifecycle/device_lifecycle.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "cwmp/event_codes.hpp"
#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"
#include "session/event_queue.hpp"

namespace agent::lifecycle {

DeviceLifecycle::DeviceLifecycle(boost::asio::io_context& io, datamodel::Model& model,
                                 ScheduledInforms& scheduled, LifecycleSettings settings)
    : model_(model),
      scheduled_(scheduled),
      settings_(std::move(settings)),
      command_(io),
      grace_(io) {}

phonecwmp::Expected<void, cwmp::Fault> DeviceLifecycle::accept_reboot(
    std::string_view command_key) {
    const auto& pending = model_.pending_events();
    const bool already = std::any_of(pending.begin(), pending.end(), [&](const auto& event) {
        return event.code == cwmp::event::kMReboot && event.command_key == command_key;
    });
    if (!already) {
        // In the store before the RebootResponse leaves: after any restart,
        // whatever its cause, the ACS learns that its Reboot was done.
        const auto committed = model_.apply(datamodel::ChangeSet{
            .queue_events = {EventQueue::stored(cwmp::event::kMReboot, command_key)}});
        if (!committed) {
            return phonecwmp::Unexpected(rpc::make_fault(
                cwmp::kInternalError,
                "cannot store the M Reboot event: " + committed.error().front().message));
        }
    }
    if (pending_ == Action::None) pending_ = Action::Reboot;
    spdlog::info("agent: Reboot accepted (CommandKey \"{}\"), after this session", command_key);
    return {};
}

phonecwmp::Expected<void, cwmp::Fault> DeviceLifecycle::accept_factory_reset() {
    if (auto recorded = model_.set_meta(kFactoryResetOwedKey, "1"); !recorded) {
        return phonecwmp::Unexpected(rpc::make_fault(
            cwmp::kInternalError, "cannot record the factory reset: " + recorded.error().message));
    }
    pending_ = Action::FactoryReset;
    spdlog::info("agent: FactoryReset accepted, after this session");
    return {};
}

phonecwmp::Expected<void, cwmp::Fault> DeviceLifecycle::schedule_inform(
    std::chrono::seconds delay, std::string_view command_key) {
    return scheduled_.add(delay, command_key);
}

void DeviceLifecycle::carry_out() {
    if (in_progress_ || pending_ == Action::None) return;
    in_progress_ = true;
    if (pending_ == Action::FactoryReset) {
        factory_reset_then_restart();
    } else {
        reboot();
    }
}

bool DeviceLifecycle::resume_interrupted() {
    if (!model_.meta(kFactoryResetOwedKey)) return false;
    spdlog::warn("agent: a factory reset accepted before the last stop is carried out now");
    if (auto reset = model_.factory_reset(); !reset) {
        spdlog::critical("agent: factory reset failed again ({}); giving it up and running on",
                         reset.error().message);
        if (auto erased = model_.erase_meta(kFactoryResetOwedKey); !erased) {
            spdlog::critical("agent: cannot drop the owed factory reset: {}",
                             erased.error().message);
        }
        return false;
    }
    pending_ = Action::FactoryReset;
    in_progress_ = true;
    // The model is reset; the command and the restart (which applies the
    // local configuration again) remain.
    if (settings_.factory_reset_command.empty()) {
        restart();
        return true;
    }
    command_.start(settings_.factory_reset_command, settings_.command_time_limit,
                   [this](const ShellCommandResult& result) {
                       if (!result.succeeded) {
                           spdlog::error("agent: factory-reset command failed ({})",
                                         result.description);
                       }
                       restart();
                   });
    return true;
}

void DeviceLifecycle::reboot() {
    if (settings_.reboot_command.empty()) {
        spdlog::info("agent: rebooting: the agent restarts in place");
        restart();
        return;
    }
    spdlog::info("agent: rebooting: running `{}`", settings_.reboot_command);
    command_.start(settings_.reboot_command, settings_.command_time_limit,
                   [this](const ShellCommandResult& result) {
                       if (!result.succeeded) {
                           spdlog::error(
                               "agent: reboot command `{}` failed ({}); the agent restarts in "
                               "place instead",
                               settings_.reboot_command, result.description);
                           restart();
                           return;
                       }
                       spdlog::info(
                           "agent: reboot command done; waiting up to {} s for the system to "
                           "go down",
                           settings_.reboot_grace.count());
                       grace_.expires_after(settings_.reboot_grace);
                       grace_.async_wait([this](const boost::system::error_code& ec) {
                           if (ec) return;
                           spdlog::warn(
                               "agent: the system is still up {} s after the reboot command; the "
                               "agent restarts in place",
                               settings_.reboot_grace.count());
                           restart();
                       });
                   });
}

void DeviceLifecycle::factory_reset_then_restart() {
    spdlog::warn(
        "agent: factory reset: erasing the data model's values, instances, "
        "attributes and pending events");
    if (auto reset = model_.factory_reset(); !reset) {
        // The owed-reset record is still in the store: the next start tries
        // once more.
        spdlog::critical("agent: factory reset failed: {}", reset.error().message);
        restart();
        return;
    }
    if (settings_.factory_reset_command.empty()) {
        restart();
        return;
    }
    spdlog::info("agent: factory reset: running `{}`", settings_.factory_reset_command);
    command_.start(settings_.factory_reset_command, settings_.command_time_limit,
                   [this](const ShellCommandResult& result) {
                       if (!result.succeeded) {
                           spdlog::error("agent: factory-reset command `{}` failed ({})",
                                         settings_.factory_reset_command, result.description);
                       }
                       restart();
                   });
}

void DeviceLifecycle::restart() {
    if (std::exchange(restarted_, true)) return;
    if (!settings_.restart) {
        spdlog::critical("agent: no way to restart is configured; the agent stays down");
        return;
    }
    settings_.restart();
}

}  // namespace agent::lifecycle
