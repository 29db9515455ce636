// Events waiting to be delivered in an Inform.
//
// Single events ("1 BOOT", "2 PERIODIC", ...) are queued at most once;
// multiple events ("M Download", ...) once per CommandKey (TR-069 §3.7.1.5).
#pragma once

#include <string_view>
#include <vector>

#include "cwmp/messages.hpp"

namespace agent {

class EventQueue {
public:
    void add(std::string_view code, std::string_view command_key = {});
    bool contains(std::string_view code) const;
    bool empty() const { return events_.empty(); }
    const std::vector<cwmp::EventStruct>& events() const { return events_; }

    // The events of one Inform (at most 64, the schema's limit).
    std::vector<cwmp::EventStruct> for_inform() const;

    // After a successful session: forget what was delivered.
    void delivered(const std::vector<cwmp::EventStruct>& sent);

    // After a failed session: events that must not be retried are dropped
    // ("6 CONNECTION REQUEST": the ACS will ask again if it still wants to).
    void session_failed();

private:
    std::vector<cwmp::EventStruct> events_;
};

}  // namespace agent
