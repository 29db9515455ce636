// Events waiting to be delivered in an Inform.
//
// Single events ("1 BOOT", "2 PERIODIC", ...) are queued at most once;
// multiple events ("M Download", ...) once per CommandKey (TR-069 §3.7.1.5).
//
// Events that must survive a reboot until delivered (TRANSFER COMPLETE, the
// "M" events, SCHEDULED, ...) are kept in the data model's store as pending
// events, so that they are committed with the change that caused them and
// found again after a restart. The others live in memory: "1 BOOT" is
// raised anew by every start, and a reboot makes "2 PERIODIC" and
// "4 VALUE CHANGE" moot. "0 BOOTSTRAP" is not stored either: the agent
// derives it from the ACS URL last bootstrapped.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "cwmp/messages.hpp"
#include "datamodel/model.hpp"

namespace agent {

// True for the events the standard says must be retried across a reboot
// until delivered.
bool survives_reboot(std::string_view code);

class EventQueue {
public:
    // Takes over the events the store still holds.
    explicit EventQueue(datamodel::Model& model);

    // Queues an event; one that survives reboots is committed to the store
    // first (a store failure is logged and the event kept in memory).
    void add(std::string_view code, std::string_view command_key = {});
    bool contains(std::string_view code) const;
    bool empty() const { return events_.empty(); }
    std::vector<cwmp::EventStruct> events() const;

    // The events of one Inform (at most 64, the schema's limit).
    std::vector<cwmp::EventStruct> for_inform() const;

    // After the ACS acknowledged an Inform: forget what it carried.
    void delivered(const std::vector<cwmp::EventStruct>& sent);

    // After a failed session: events that must not be retried are dropped
    // ("6 CONNECTION REQUEST": the ACS will ask again if it still wants to).
    void session_failed();

    // A new ACS: what was owed to the old one is dropped (TR-069: pending
    // transfers' completions, scheduled informs, ...); "1 BOOT" stays, as
    // the device did boot.
    void discard_for_new_acs();

    // The pending event to commit with a change that causes it: for
    // datamodel::ChangeSet::queue_events. Call adopt_committed() after the
    // commit.
    static datamodel::PendingEvent stored(std::string_view code, std::string_view command_key);
    // Takes over events committed by someone else (see stored()).
    void adopt_committed();

private:
    struct Entry {
        cwmp::EventStruct event;
        std::optional<std::uint64_t> stored_id;
    };
    void forget(const std::vector<std::size_t>& indexes);
    Entry* find(std::string_view code, std::string_view command_key);

    datamodel::Model& model_;
    std::vector<Entry> events_;
};

}  // namespace agent
