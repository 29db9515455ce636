#include "session/event_queue.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "cwmp/event_codes.hpp"

namespace agent {

namespace {
bool is_multiple(std::string_view code) {
    return code.rfind("M ", 0) == 0;
}
constexpr std::size_t kMaxEventsPerInform = 64;
}  // namespace

bool survives_reboot(std::string_view code) {
    namespace event = cwmp::event;
    return is_multiple(code) || code == event::kScheduled || code == event::kTransferComplete ||
           code == event::kAutonomousTransferComplete || code == event::kDuStateChangeComplete ||
           code == event::kAutonomousDuStateChangeComplete;
}

EventQueue::EventQueue(datamodel::Model& model) : model_(model) {
    adopt_committed();
}

EventQueue::Entry* EventQueue::find(std::string_view code, std::string_view command_key) {
    const bool multiple = is_multiple(code);
    for (Entry& entry : events_) {
        if (entry.event.event_code == code &&
            (!multiple || entry.event.command_key == command_key)) {
            return &entry;
        }
    }
    return nullptr;
}

void EventQueue::add(std::string_view code, std::string_view command_key) {
    if (Entry* existing = find(code, command_key)) {
        // A single event raised again carries the latest CommandKey (a
        // stored one keeps the key it was committed with).
        if (!existing->stored_id) existing->event.command_key = std::string(command_key);
        return;
    }
    if (survives_reboot(code)) {
        const auto committed =
            model_.apply(datamodel::ChangeSet{.queue_events = {stored(code, command_key)}});
        if (committed) {
            adopt_committed();
            return;
        }
        spdlog::error(
            "agent: cannot store the event \"{}\" ({}); it is kept until the next "
            "restart only",
            code, committed.error().front().message);
    }
    events_.push_back({{std::string(code), std::string(command_key)}, std::nullopt});
}

datamodel::PendingEvent EventQueue::stored(std::string_view code, std::string_view command_key) {
    return {0, std::string(code), std::string(command_key)};
}

void EventQueue::adopt_committed() {
    for (const datamodel::PendingEvent& pending : model_.pending_events()) {
        const bool known = std::any_of(events_.begin(), events_.end(), [&](const Entry& entry) {
            return entry.stored_id == pending.id;
        });
        if (!known) {
            events_.push_back({{pending.code, pending.command_key}, pending.id});
        }
    }
}

bool EventQueue::contains(std::string_view code) const {
    return std::any_of(events_.begin(), events_.end(),
                       [&](const Entry& entry) { return entry.event.event_code == code; });
}

std::vector<cwmp::EventStruct> EventQueue::events() const {
    std::vector<cwmp::EventStruct> events;
    events.reserve(events_.size());
    for (const Entry& entry : events_) events.push_back(entry.event);
    return events;
}

std::vector<cwmp::EventStruct> EventQueue::for_inform() const {
    // BOOTSTRAP and BOOT first: an ACS reading only the head still sees them.
    std::vector<cwmp::EventStruct> ordered = events();
    std::stable_partition(ordered.begin(), ordered.end(), [](const cwmp::EventStruct& e) {
        return e.event_code == cwmp::event::kBootstrap || e.event_code == cwmp::event::kBoot;
    });
    if (ordered.size() > kMaxEventsPerInform) {
        ordered.resize(kMaxEventsPerInform);
    }
    return ordered;
}

void EventQueue::forget(const std::vector<std::size_t>& indexes) {
    datamodel::ChangeSet drop;
    for (const std::size_t index : indexes) {
        if (events_[index].stored_id) drop.drop_events.push_back(*events_[index].stored_id);
    }
    if (!drop.drop_events.empty()) {
        if (const auto committed = model_.apply(drop); !committed) {
            // Delivered twice after a restart is the lesser harm.
            spdlog::error("agent: cannot remove delivered events from the store: {}",
                          committed.error().front().message);
        }
    }
    std::vector<Entry> kept;
    for (std::size_t i = 0; i < events_.size(); ++i) {
        if (std::find(indexes.begin(), indexes.end(), i) == indexes.end()) {
            kept.push_back(std::move(events_[i]));
        }
    }
    events_ = std::move(kept);
}

void EventQueue::delivered(const std::vector<cwmp::EventStruct>& sent) {
    std::vector<std::size_t> indexes;
    for (std::size_t i = 0; i < events_.size(); ++i) {
        if (std::find(sent.begin(), sent.end(), events_[i].event) != sent.end()) {
            indexes.push_back(i);
        }
    }
    forget(indexes);
}

void EventQueue::session_failed() {
    std::vector<std::size_t> indexes;
    for (std::size_t i = 0; i < events_.size(); ++i) {
        if (events_[i].event.event_code == cwmp::event::kConnectionRequest) indexes.push_back(i);
    }
    forget(indexes);
}

void EventQueue::discard_for_new_acs() {
    std::vector<std::size_t> indexes;
    for (std::size_t i = 0; i < events_.size(); ++i) {
        const std::string& code = events_[i].event.event_code;
        if (code != cwmp::event::kBoot && code != cwmp::event::kBootstrap) indexes.push_back(i);
    }
    forget(indexes);
}

}  // namespace agent
