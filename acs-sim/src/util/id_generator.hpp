// Identifiers the simulator hands out: task ids, session cookies, cwmp:IDs.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "util/time_format.hpp"

namespace acssim {

class IdGenerator {
public:
    // Seeded from std::random_device.
    IdGenerator();
    // Deterministic, for tests.
    explicit IdGenerator(std::uint64_t seed);

    // 24 hex digits shaped like a MongoDB ObjectId (seconds since the epoch,
    // random, counter), because GenieACS task ids look like that and NBI
    // clients sometimes validate them.
    std::string task_id(TimePoint now);

    // 32 random hex digits: the value of the session cookie. Not a secret
    // worth a CSPRNG: it only tells a CPE's sessions apart.
    std::string session_token();

private:
    std::mt19937_64 rng_;
    std::uint32_t counter_;
};

}  // namespace acssim
