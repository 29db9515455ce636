// Shared by the crash-safety test and its writer process: a small model with
// a writable table, and the deterministic stream of transactions the writer
// applies. Every field the store holds after transaction n is a function of n
// alone, so the test can tell exactly which transaction a store reflects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crashtest {

// Four settings the controller writes, the ParameterKey the device writes
// alongside, and a table whose instances are added and deleted.
inline constexpr const char* kModel = R"xml(<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-15">
  <model name="Crash:1.0">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="RowNumberOfEntries" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
    </object>
    <object name="Device.ManagementServer." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="ParameterKey" access="readOnly">
        <syntax><string><size maxLength="32"/></string></syntax>
      </parameter>
    </object>
    <object name="Device.Settings." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="A" access="readWrite">
        <syntax><unsignedLong/><default type="factory" value="0"/></syntax>
      </parameter>
      <parameter name="B" access="readWrite">
        <syntax><unsignedLong/><default type="factory" value="0"/></syntax>
      </parameter>
      <parameter name="C" access="readWrite">
        <syntax><unsignedLong/><default type="factory" value="0"/></syntax>
      </parameter>
      <parameter name="D" access="readWrite">
        <syntax><unsignedLong/><default type="factory" value="0"/></syntax>
      </parameter>
    </object>
    <object name="Device.Row.{i}." access="readWrite" minEntries="0" maxEntries="unbounded"
            numEntriesParameter="RowNumberOfEntries">
      <parameter name="Tag" access="readWrite">
        <syntax><unsignedLong/><default type="object" value="0"/></syntax>
      </parameter>
    </object>
  </model>
</dm:document>
)xml";

inline constexpr const char* kPendingEventsKey = "agent.pending_events";
inline constexpr const char* kParameterKeyPath = "Device.ManagementServer.ParameterKey";
inline constexpr const char* kSettingPaths[] = {"Device.Settings.A", "Device.Settings.B",
                                                "Device.Settings.C", "Device.Settings.D"};

// The state after transaction `seq` (0: a factory-fresh store).
struct State {
    std::uint64_t seq = 0;
    std::uint64_t settings = 0;  // the last values transaction, 0 if none yet
    std::uint32_t next_instance = 1;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> rows;  // instance, Tag
};

enum class Op { SetValues, AddRow, DeleteOldestRow };

// Transaction seq+1: an AddObject every fourth, a DeleteObject of the oldest
// row when three exist, otherwise an SPV of the four settings and of every
// row's Tag. Every transaction also writes ParameterKey and the pending-event
// sequence number.
inline Op next_op(const State& state) {
    const std::uint64_t n = state.seq + 1;
    if (n % 4 == 1) return Op::AddRow;
    if (n % 4 == 3 && state.rows.size() >= 3) return Op::DeleteOldestRow;
    return Op::SetValues;
}

inline void step(State& state) {
    const Op op = next_op(state);
    ++state.seq;
    switch (op) {
        case Op::AddRow:
            state.rows.emplace_back(state.next_instance++, 0);
            break;
        case Op::DeleteOldestRow:
            state.rows.erase(state.rows.begin());
            break;
        case Op::SetValues:
            state.settings = state.seq;
            for (auto& row : state.rows) row.second = state.seq;
            break;
    }
}

inline State state_at(std::uint64_t seq) {
    State state;
    while (state.seq < seq) step(state);
    return state;
}

inline std::string parameter_key(std::uint64_t seq) {
    return seq == 0 ? std::string() : "key-" + std::to_string(seq);
}

// Every transaction n queues the pending event ("M Crash", event_key(n)) and
// drops the one of n - 2: after n the store holds those of n - 1 and n.
inline constexpr const char* kEventCode = "M Crash";
inline std::string event_key(std::uint64_t seq) {
    return "ev-" + std::to_string(seq);
}
inline std::vector<std::string> event_keys_at(std::uint64_t seq) {
    std::vector<std::string> keys;
    if (seq >= 2) keys.push_back(event_key(seq - 1));
    if (seq >= 1) keys.push_back(event_key(seq));
    return keys;
}

inline std::string row_path(std::uint32_t instance) {
    return "Device.Row." + std::to_string(instance) + ".";
}

}  // namespace crashtest
