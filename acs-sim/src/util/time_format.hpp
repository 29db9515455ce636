// Wall-clock time as the simulator records and shows it.
#pragma once

#include <chrono>
#include <string>

namespace acssim {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// ISO 8601 in UTC with milliseconds, the way JavaScript's Date.toISOString()
// writes it, because that is what GenieACS's NBI returns and what NBI clients
// parse: 2024-05-01T12:00:00.123Z
std::string format_iso8601(TimePoint time);

}  // namespace acssim
