// Lossless JSON text for what a task row keeps: its spec and its fault.
// Values stay strings, whatever their xsi:type, so nothing is reformatted
// on the way through the database (unlike the NBI's typed documents).
#pragma once

#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"
#include "registry/task.hpp"

namespace acssim {

std::string serialize_task_spec(const TaskSpec& spec);
phonecwmp::Expected<TaskSpec, std::string> parse_task_spec(std::string_view text);

std::string serialize_task_fault(const TaskFault& fault);
phonecwmp::Expected<TaskFault, std::string> parse_task_fault(std::string_view text);

// Nanoseconds since the epoch: exact for the system clock's resolution.
long long to_stored_time(TimePoint time);
TimePoint from_stored_time(long long nanoseconds);

}  // namespace acssim
