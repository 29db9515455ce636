// One Download or Upload the ACS asked for, from acceptance until the ACS
// has acknowledged its TransferComplete. The whole queue is kept in the
// store's metadata (one JSON document under kTransfersMetaKey), so that a
// restart finds queued transfers and unsent completions again, and so that a
// transfer's outcome is committed in the same transaction as its pending
// events (and, for a configuration file, its values).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/messages.hpp"
#include "phonecwmp/expected.hpp"

namespace agent::transfer {

inline constexpr std::string_view kTransfersMetaKey = "agent.transfers";

enum class Direction { Download, Upload };

// The values of GetAllQueuedTransfers' State.
enum class TransferState { Queued = 1, InProgress = 2, Completed = 3 };

struct TransferRecord {
    std::uint64_t id = 0;
    Direction direction = Direction::Download;
    std::string command_key;
    std::string file_type;
    std::string url;
    std::string username;
    std::string password;
    std::uint32_t file_size = 0;  // 0: not announced
    std::string target_file_name;
    std::int64_t not_before = 0;  // Unix seconds: acceptance + DelaySeconds
    TransferState state = TransferState::Queued;
    // The outcome, once Completed: fault 0 is success.
    cwmp::FaultStruct fault{};
    std::string start_time = "0001-01-01T00:00:00Z";
    std::string complete_time = "0001-01-01T00:00:00Z";
    friend bool operator==(const TransferRecord&, const TransferRecord&) = default;
};

struct TransferList {
    std::uint64_t next_id = 1;
    std::vector<TransferRecord> transfers;
    friend bool operator==(const TransferList&, const TransferList&) = default;
};

std::string to_json(const TransferList& list);
// An error message naming the problem when the text is not a transfer list.
phonecwmp::Expected<TransferList, std::string> transfer_list_from_json(std::string_view text);

}  // namespace agent::transfer
