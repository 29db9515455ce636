// A load run: `concurrency` workers spread over `threads` I/O threads (one
// io_context and one codec each), each worker cycling through its share of
// the devices one session at a time, until the duration is over or every
// device did `rounds` sessions.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "virtual_cpe.hpp"
#include "virtual_device.hpp"

namespace swarm {

struct SwarmOptions {
    AcsTarget acs;
    DeviceIdentity identity;
    unsigned devices = 1000;
    unsigned concurrency = 0;  // 0: one worker per device
    unsigned threads = 2;
    std::chrono::milliseconds duration{10000};
    unsigned rounds = 0;                 // sessions per device; 0: until the duration is over
    std::chrono::milliseconds pause{0};  // a worker's pause between sessions
};

struct SwarmReport {
    std::uint64_t sessions = 0;  // completed (ended with the ACS's 204)
    std::uint64_t failures = 0;
    double seconds = 0;  // from the first connection to the last session's end
    double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
    std::map<std::string, std::uint64_t> failure_kinds;  // message -> count
};

SwarmReport run_swarm(const SwarmOptions& options);

}  // namespace swarm
