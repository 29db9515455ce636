// Told when CWMP sessions start and end, so that an NBI call can wait for
// the session its connection request triggered.
#pragma once

#include <string_view>

namespace acssim {

class SessionListener {
public:
    virtual ~SessionListener() = default;
    // The device's Inform was accepted: a session is open.
    virtual void session_started(std::string_view device_id) = 0;
    // The session is over: ended by the ACS's 204, timed out, or replaced
    // by a new session of the same device (then session_started follows).
    virtual void session_ended(std::string_view device_id) = 0;
};

}  // namespace acssim
