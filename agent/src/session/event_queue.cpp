#include "session/event_queue.hpp"

#include <algorithm>

#include "cwmp/event_codes.hpp"

namespace agent {

namespace {
bool is_multiple(std::string_view code) {
    return code.rfind("M ", 0) == 0;
}
constexpr std::size_t kMaxEventsPerInform = 64;
}  // namespace

void EventQueue::add(std::string_view code, std::string_view command_key) {
    const bool multiple = is_multiple(code);
    for (auto& event : events_) {
        if (event.event_code != code) {
            continue;
        }
        if (!multiple) {
            event.command_key = std::string(command_key);
            return;
        }
        if (event.command_key == command_key) {
            return;
        }
    }
    events_.push_back({std::string(code), std::string(command_key)});
}

bool EventQueue::contains(std::string_view code) const {
    return std::any_of(events_.begin(), events_.end(),
                       [&](const cwmp::EventStruct& e) { return e.event_code == code; });
}

std::vector<cwmp::EventStruct> EventQueue::for_inform() const {
    // BOOTSTRAP and BOOT first: an ACS reading only the head still sees them.
    std::vector<cwmp::EventStruct> ordered = events_;
    std::stable_partition(ordered.begin(), ordered.end(), [](const cwmp::EventStruct& e) {
        return e.event_code == cwmp::event::kBootstrap || e.event_code == cwmp::event::kBoot;
    });
    if (ordered.size() > kMaxEventsPerInform) {
        ordered.resize(kMaxEventsPerInform);
    }
    return ordered;
}

void EventQueue::delivered(const std::vector<cwmp::EventStruct>& sent) {
    std::erase_if(events_, [&](const cwmp::EventStruct& e) {
        return std::find(sent.begin(), sent.end(), e) != sent.end();
    });
}

void EventQueue::session_failed() {
    std::erase_if(events_, [](const cwmp::EventStruct& e) {
        return e.event_code == cwmp::event::kConnectionRequest;
    });
}

}  // namespace agent
