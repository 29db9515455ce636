#include "nbi/connection_request_calls.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "nbi/documents.hpp"

namespace acssim {

namespace {

NbiResponse text_response(unsigned status, std::string reason, std::string message) {
    NbiResponse response;
    response.status = status;
    response.reason = std::move(reason);
    if (!message.empty()) {
        response.body = std::move(message) + "\n";
        response.content_type = "text/plain; charset=utf-8";
    }
    return response;
}

NbiResponse task_response(unsigned status, std::string reason, const Task& task) {
    NbiResponse response;
    response.status = status;
    response.reason = std::move(reason);
    response.body = to_text(task_document(task));
    response.content_type = "application/json";
    return response;
}

}  // namespace

ConnectionRequestCalls::ConnectionRequestCalls(boost::asio::io_context& io, Registry& registry,
                                               ConnectionRequestClient& client,
                                               InSession in_session,
                                               ConnectionRequestCallSettings settings)
    : io_(io),
      registry_(registry),
      client_(client),
      in_session_(std::move(in_session)),
      settings_(std::move(settings)) {}

ConnectionRequestCalls::~ConnectionRequestCalls() = default;

void ConnectionRequestCalls::start(ConnectionRequestCall call, Respond respond) {
    const std::uint64_t id = next_id_++;
    auto& waiting = calls_[id];
    waiting.call = std::move(call);
    waiting.respond = std::move(respond);
    waiting.timer = std::make_unique<boost::asio::steady_timer>(io_);
    const auto& device_id = waiting.call.device_id;

    if (calls_.size() > settings_.max_calls) {
        spdlog::warn("NBI: {} calls already wait for devices; refusing one for {}",
                     settings_.max_calls, device_id);
        return complete(id, text_response(503, {},
                                          fmt::format("too many calls waiting for devices (at "
                                                      "most {})",
                                                      settings_.max_calls)));
    }
    const auto device = registry_.find_device(device_id);
    if (!device) return complete(id, text_response(404, {}, "No such device"));
    if (waiting.call.task_id && in_session_(device_id)) {
        spdlog::info("{} is in a session: task {} waits for it, no connection request", device_id,
                     *waiting.call.task_id);
        return await(id, Phase::AwaitingEnd, settings_.session_end_timeout);
    }
    auto target = device_connection_request(*device, settings_.credentials_of
                                                         ? settings_.credentials_of(*device)
                                                         : settings_.default_credentials);
    if (!target) {
        spdlog::warn("connection request to {} failed: {}", device_id, target.error());
        return complete(id, text_response(504, {}, target.error()));
    }
    spdlog::info("connection request to {} at {}", device_id, target->url);
    const std::string url = target->url;
    client_.send(std::move(*target), [this, id, url](const ConnectionRequestResult& result) {
        on_connection_request(id, url, result);
    });
}

void ConnectionRequestCalls::on_connection_request(std::uint64_t id, const std::string& url,
                                                   const ConnectionRequestResult& result) {
    auto found = calls_.find(id);
    if (found == calls_.end()) return;
    auto& waiting = found->second;
    const auto& device_id = waiting.call.device_id;
    if (!result) {
        spdlog::warn("connection request to {} at {} failed: {}", device_id, url, result.error());
        return complete(id, text_response(504, {},
                                          fmt::format("connection request to {} failed: {}", url,
                                                      result.error())));
    }
    spdlog::info("connection request to {} accepted", device_id);
    if (!waiting.call.task_id) return complete(id, text_response(200, {}, {}));
    if (waiting.ended) return complete(id, task_outcome(waiting.call));
    if (waiting.started) return await(id, Phase::AwaitingEnd, settings_.session_end_timeout);
    await(id, Phase::AwaitingStart, waiting.call.session_start_timeout);
}

void ConnectionRequestCalls::await(std::uint64_t id, Phase phase,
                                   std::chrono::milliseconds timeout) {
    auto& waiting = calls_.at(id);
    waiting.phase = phase;
    waiting.timer->expires_after(timeout);
    waiting.timer->async_wait([this, id](const boost::system::error_code& error) {
        if (!error) on_timeout(id);
    });
}

void ConnectionRequestCalls::on_timeout(std::uint64_t id) {
    auto found = calls_.find(id);
    if (found == calls_.end()) return;
    const auto& call = found->second.call;
    if (found->second.phase == Phase::AwaitingStart) {
        spdlog::info("{} did not start a session within {} ms", call.device_id,
                     call.session_start_timeout.count());
    } else if (found->second.phase == Phase::AwaitingTransfer) {
        spdlog::info("{} did not report download task {} within {} ms", call.device_id,
                     *call.task_id, call.session_start_timeout.count());
    } else {
        spdlog::info("the session of {} did not end within {} ms", call.device_id,
                     settings_.session_end_timeout.count());
    }
    complete(id, task_outcome(call));
}

void ConnectionRequestCalls::session_started(std::string_view device_id) {
    std::vector<std::uint64_t> started;
    for (auto& [id, waiting] : calls_) {
        if (waiting.call.device_id != device_id) continue;
        if (waiting.phase == Phase::Requesting) waiting.started = true;
        if (waiting.phase == Phase::AwaitingStart) started.push_back(id);
    }
    for (const auto id : started) await(id, Phase::AwaitingEnd, settings_.session_end_timeout);
}

void ConnectionRequestCalls::session_ended(std::string_view device_id) {
    std::vector<std::uint64_t> ended;
    for (auto& [id, waiting] : calls_) {
        if (waiting.call.device_id != device_id) continue;
        if (waiting.phase == Phase::Requesting && waiting.started) waiting.ended = true;
        if (waiting.phase == Phase::AwaitingEnd || waiting.phase == Phase::AwaitingTransfer) {
            ended.push_back(id);
        }
    }
    for (const auto id : ended) {
        auto& waiting = calls_.at(id);
        if (!transferring(waiting.call)) {
            complete(id, task_outcome(waiting.call));
        } else if (waiting.phase == Phase::AwaitingEnd) {
            // The CPE reports the download in a later session: wait for its
            // TransferComplete as long again as the call waits for a session.
            spdlog::info("{} accepted download task {}; waiting for its TransferComplete",
                         device_id, *waiting.call.task_id);
            await(id, Phase::AwaitingTransfer, waiting.call.session_start_timeout);
        }
    }
}

bool ConnectionRequestCalls::transferring(const ConnectionRequestCall& call) const {
    if (!call.task_id) return false;
    const auto task = registry_.find_task(*call.task_id);
    return task && task->state == TaskState::Transferring;
}

NbiResponse ConnectionRequestCalls::task_outcome(const ConnectionRequestCall& call) const {
    const auto task = registry_.find_task(*call.task_id);
    if (!task) {
        return text_response(202, "Task deleted",
                             fmt::format("task {} was deleted before it ran", *call.task_id));
    }
    switch (task->state) {
        case TaskState::Done:
            return task_response(200, {}, *task);
        case TaskState::Fault:
            return task_response(202, "Task faulted", *task);
        case TaskState::Transferring:
            return task_response(202, "Download not yet complete", *task);
        case TaskState::Pending:
            break;
    }
    return task_response(202, "Task queued but not processed", *task);
}

void ConnectionRequestCalls::complete(std::uint64_t id, NbiResponse response) {
    auto found = calls_.find(id);
    if (found == calls_.end()) return;
    auto respond = std::move(found->second.respond);
    calls_.erase(found);
    respond(std::move(response));
}

void ConnectionRequestCalls::cancel_all() {
    std::vector<std::uint64_t> ids;
    for (const auto& [id, waiting] : calls_) ids.push_back(id);
    for (const auto id : ids) complete(id, text_response(503, {}, "acs-sim is stopping"));
}

}  // namespace acssim
