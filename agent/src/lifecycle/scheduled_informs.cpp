#include "lifecycle/scheduled_informs.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cwmp/event_codes.hpp"
#include "cwmp/fault_codes.hpp"
#include "rpc/faults.hpp"
#include "session/event_queue.hpp"

namespace agent::lifecycle {

namespace {

std::int64_t unix_seconds(std::chrono::system_clock::time_point at) {
    return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

}  // namespace

ScheduledInforms::ScheduledInforms(boost::asio::io_context& io, datamodel::Model& model,
                                   std::function<void()> due, Clock now)
    : io_(io), model_(model), due_(std::move(due)), now_(std::move(now)), timer_(io) {}

std::string ScheduledInforms::encode(const std::vector<Schedule>& schedules) {
    nlohmann::json list = nlohmann::json::array();
    for (const Schedule& schedule : schedules) {
        list.push_back({{"due", schedule.due_unix_seconds}, {"command_key", schedule.command_key}});
    }
    return list.dump();
}

void ScheduledInforms::load() {
    schedules_.clear();
    const auto stored = model_.meta(kMetaKey);
    if (!stored) {
        arm();
        return;
    }
    std::string problem;
    try {
        const auto list = nlohmann::json::parse(*stored);
        if (!list.is_array()) {
            problem = "not a list";
        } else {
            for (const auto& entry : list) {
                schedules_.push_back({entry.at("due").get<std::int64_t>(),
                                      entry.at("command_key").get<std::string>()});
            }
        }
    } catch (const nlohmann::json::exception& error) {
        problem = error.what();
    }
    if (!problem.empty()) {
        // Nothing better can be done with a damaged record than to say so.
        spdlog::error("agent: the stored scheduled informs ({}) cannot be read, dropping them: {}",
                      kMetaKey, problem);
        schedules_.clear();
        if (auto erased = model_.erase_meta(kMetaKey); !erased) {
            spdlog::error("agent: cannot erase {}: {}", kMetaKey, erased.error().message);
        }
    }
    arm();
}

phonecwmp::Expected<void, cwmp::Fault> ScheduledInforms::add(std::chrono::seconds delay,
                                                             std::string_view command_key) {
    if (schedules_.size() >= kMaxOutstanding) {
        return phonecwmp::Unexpected(rpc::make_fault(
            cwmp::kResourcesExceeded, "too many outstanding ScheduleInform requests (at most " +
                                          std::to_string(kMaxOutstanding) + ")"));
    }
    auto updated = schedules_;
    updated.push_back({unix_seconds(now_()) + delay.count(), std::string(command_key)});
    if (auto committed = model_.set_meta(kMetaKey, encode(updated)); !committed) {
        return phonecwmp::Unexpected(rpc::make_fault(
            cwmp::kInternalError, "cannot store the schedule: " + committed.error().message));
    }
    schedules_ = std::move(updated);
    arm();
    return {};
}

std::size_t ScheduledInforms::commit_due() {
    const std::int64_t now = unix_seconds(now_());
    std::vector<Schedule> kept;
    datamodel::ChangeSet change;
    for (const Schedule& schedule : schedules_) {
        if (schedule.due_unix_seconds > now) {
            kept.push_back(schedule);
            continue;
        }
        change.queue_events.push_back(
            EventQueue::stored(cwmp::event::kMScheduleInform, schedule.command_key));
    }
    const std::size_t due = change.queue_events.size();
    if (due == 0) {
        arm();
        return 0;
    }
    // "3 SCHEDULED" is a single event: one pending is enough for all.
    const auto& pending = model_.pending_events();
    if (std::none_of(pending.begin(), pending.end(), [](const datamodel::PendingEvent& event) {
            return event.code == cwmp::event::kScheduled;
        })) {
        change.queue_events.insert(change.queue_events.begin(),
                                   EventQueue::stored(cwmp::event::kScheduled, ""));
    }
    change.meta.push_back({std::string(kMetaKey),
                           kept.empty() ? std::nullopt : std::optional<std::string>(encode(kept))});
    if (auto committed = model_.apply(change); !committed) {
        spdlog::error("agent: cannot commit the scheduled inform events: {}",
                      committed.error().front().message);
        arm();
        return 0;
    }
    schedules_ = std::move(kept);
    arm();
    return due;
}

void ScheduledInforms::discard_all() {
    if (schedules_.empty()) return;
    if (auto erased = model_.erase_meta(kMetaKey); !erased) {
        spdlog::error("agent: cannot drop the scheduled informs: {}", erased.error().message);
        return;
    }
    spdlog::info("agent: {} scheduled inform(s) dropped with the previous ACS", schedules_.size());
    schedules_.clear();
    arm();
}

void ScheduledInforms::arm() {
    timer_.cancel();
    if (schedules_.empty()) return;
    const auto earliest = std::min_element(
        schedules_.begin(), schedules_.end(),
        [](const auto& a, const auto& b) { return a.due_unix_seconds < b.due_unix_seconds; });
    // Relative to the injected clock, so that tests and wall-clock jumps
    // agree on what is due; Asio re-checks a system_timer at least every
    // five minutes.
    const auto wait = std::chrono::seconds(
        std::max<std::int64_t>(0, earliest->due_unix_seconds - unix_seconds(now_())));
    timer_.expires_after(wait);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec && due_) due_();
    });
}

}  // namespace agent::lifecycle
