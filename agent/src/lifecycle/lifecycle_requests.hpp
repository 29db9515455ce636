// What the ACS may ask of the device's life cycle, as the RPC handlers see
// it: Reboot, FactoryReset and ScheduleInform. Each call commits what must
// survive a restart before it returns, so that the response the handler
// then sends never promises something a power cut could lose.
#pragma once

#include <chrono>
#include <string_view>

#include "cwmp/messages.hpp"
#include "phonecwmp/expected.hpp"

namespace agent::lifecycle {

class LifecycleRequests {
public:
    virtual ~LifecycleRequests() = default;

    // Commits "M Reboot" with the CommandKey; the device reboots once the
    // current session has ended.
    virtual phonecwmp::Expected<void, cwmp::Fault> accept_reboot(std::string_view command_key) = 0;

    // Records that a factory reset is owed (carried out at the next start if
    // the process dies first); it happens once the current session has ended.
    virtual phonecwmp::Expected<void, cwmp::Fault> accept_factory_reset() = 0;

    // Raises "3 SCHEDULED" + "M ScheduleInform" (CommandKey) `delay` from
    // now, wall-clock, across restarts.
    virtual phonecwmp::Expected<void, cwmp::Fault> schedule_inform(
        std::chrono::seconds delay, std::string_view command_key) = 0;
};

}  // namespace agent::lifecycle
