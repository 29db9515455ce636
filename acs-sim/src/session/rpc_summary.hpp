// One-line, human-readable summaries of CWMP messages for the log:
// "SetParameterValues Device.ManagementServer.PeriodicInformInterval=3".
#pragma once

#include <string>

#include "cwmp/messages.hpp"

namespace acssim {

// Method name followed by the interesting arguments; long lists are cut
// after a few items with "(+N more)".
std::string summarize(const cwmp::Body& body);

}  // namespace acssim
