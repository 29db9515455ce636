// How long the agent's DNS resolver waits for name servers.
#pragma once

#include <chrono>

namespace agent::net {

struct ResolverOptions {
    // Wait for one server's answer before asking again; c-ares doubles the
    // wait on each round over the server list.
    std::chrono::milliseconds attempt_timeout{1000};
    // Rounds over the server list before a lookup fails.
    int tries = 2;
};

}  // namespace agent::net
