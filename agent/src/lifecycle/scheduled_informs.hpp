// Outstanding ScheduleInform requests. Each is kept in the store as a
// wall-clock due time and its CommandKey, so that a restart before the due
// time still delivers it then, and one due while the device was off is
// delivered at the next start. When due, "3 SCHEDULED" and
// "M ScheduleInform" are committed as pending events in the same
// transaction that removes the schedule: never lost, never doubled.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/system_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/messages.hpp"
#include "datamodel/model.hpp"
#include "phonecwmp/expected.hpp"

namespace agent::lifecycle {

class ScheduledInforms {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    // More outstanding schedules than this are refused with 9004: each one
    // costs an event in a later Inform, which carries at most 64.
    static constexpr std::size_t kMaxOutstanding = 32;

    // `due` is called on the io_context when a schedule falls due; the
    // owner then calls commit_due() when no session is running.
    ScheduledInforms(
        boost::asio::io_context& io, datamodel::Model& model, std::function<void()> due,
        Clock now = [] { return std::chrono::system_clock::now(); });

    // Reads the schedules kept in the store and arms the timer. A record
    // that cannot be read is logged and dropped.
    void load();

    // Keeps a new schedule (committed before returning). 9004 beyond
    // kMaxOutstanding, 9002 when the store refuses.
    phonecwmp::Expected<void, cwmp::Fault> add(std::chrono::seconds delay,
                                               std::string_view command_key);

    // Commits the events of every schedule now due and forgets those
    // schedules, in one transaction. Returns how many were due (0 also when
    // the store refused: they are tried again on the next call).
    std::size_t commit_due();

    // A new ACS: what was scheduled by the old one is dropped.
    void discard_all();

    std::size_t outstanding() const { return schedules_.size(); }

    // The store's metadata key of the schedules.
    static constexpr std::string_view kMetaKey = "agent.scheduled_informs";

private:
    struct Schedule {
        std::int64_t due_unix_seconds = 0;
        std::string command_key;
    };
    static std::string encode(const std::vector<Schedule>& schedules);
    void arm();

    boost::asio::io_context& io_;
    datamodel::Model& model_;
    std::function<void()> due_;
    Clock now_;
    std::vector<Schedule> schedules_;
    boost::asio::system_timer timer_;
};

}  // namespace agent::lifecycle
