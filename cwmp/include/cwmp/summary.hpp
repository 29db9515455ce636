// One-line, human-readable summaries of CWMP messages for the log:
// "SetParameterValues Device.ManagementServer.PeriodicInformInterval=3".
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "cwmp/messages.hpp"

namespace cwmp {

// Says whether the value of a parameter must not appear in logs (passwords:
// parameters the data model declares hidden or secured).
using ValueRedactor = std::function<bool(std::string_view parameter_name)>;

// Method name followed by the interesting arguments; long lists are cut
// after a few items with "(+N more)", so a line stays short whatever the
// message. Values the redactor names are written as "<hidden>".
std::string summarize(const Body& body, const ValueRedactor& redact = {});

}  // namespace cwmp
