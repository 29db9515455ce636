#include "session/cwmp_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "cwmp/fault_codes.hpp"
#include "cwmp/summary.hpp"
#include "util/secret_names.hpp"

namespace acssim {

namespace {

// A CPE's answer to an ACS request: any *Response, or a Fault.
bool is_answer(const cwmp::Body& body) {
    return std::holds_alternative<cwmp::Fault>(body) ||
           cwmp::method_name(body).ends_with("Response");
}

}  // namespace

CwmpSession::CwmpSession(std::string token, std::string device_id, cwmp::Namespace ns,
                         TimePoint now, std::optional<PresetRun> presets)
    : token_(std::move(token)),
      device_id_(std::move(device_id)),
      ns_(ns),
      last_activity_(now),
      presets_(std::move(presets)) {}

CwmpSession::Reply CwmpSession::respond(SessionContext& context, std::optional<std::string> id,
                                        cwmp::Body body, cwmp::Namespace ns) const {
    cwmp::Envelope envelope;
    envelope.header.id = std::move(id);
    envelope.body = std::move(body);
    return Reply{200, context.codec.encode(envelope, ns), false};
}

CwmpSession::Reply CwmpSession::on_empty_post(SessionContext& context, TimePoint now) {
    last_activity_ = now;
    if (in_flight_) {
        spdlog::warn("{} sent an empty POST instead of answering {} (cwmp:ID {})", device_id_,
                     cwmp::method_name(in_flight_->execution.request()), in_flight_->rpc_id);
        abandon(context, "the CPE sent an empty POST instead of an answer", now);
        spdlog::info("session end {}", device_id_);
        return Reply{204, {}, true};
    }
    return next_request_or_end(context, now);
}

CwmpSession::Reply CwmpSession::on_message(SessionContext& context, const cwmp::Decoded& message,
                                           TimePoint now) {
    last_activity_ = now;
    const cwmp::Body& body = message.envelope.body;
    const auto& id = message.envelope.header.id;

    if (const auto* transfer = std::get_if<cwmp::TransferComplete>(&body)) {
        spdlog::info("{} <- {}", device_id_, cwmp::summarize(body, is_secret_parameter));
        if (transfer->fault_struct.fault_code != 0) {
            spdlog::warn("{} transfer {} failed: {} {}", device_id_, transfer->command_key,
                         transfer->fault_struct.fault_code, transfer->fault_struct.fault_string);
        }
        finish_download(context, *transfer, now);
        return respond(context, id, cwmp::TransferCompleteResponse{}, message.ns);
    }
    if (std::holds_alternative<cwmp::GetRPCMethods>(body)) {
        spdlog::info("{} <- GetRPCMethods", device_id_);
        cwmp::GetRPCMethodsResponse response;
        response.method_list.assign(std::begin(kAcsMethods), std::end(kAcsMethods));
        return respond(context, id, std::move(response), message.ns);
    }
    if (is_answer(body)) return accept_answer(context, message.envelope, now);

    spdlog::warn("{} <- {}: not a method the ACS serves, answering fault {}", device_id_,
                 cwmp::method_name(body), static_cast<unsigned>(cwmp::kAcsMethodNotSupported));
    return respond(context, id,
                   cwmp::Fault{cwmp::kAcsMethodNotSupported,
                               std::string{cwmp::fault_description(cwmp::kAcsMethodNotSupported)},
                               {}},
                   message.ns);
}

CwmpSession::Reply CwmpSession::on_unknown_method(SessionContext& context,
                                                  const cwmp::DecodeError& error, TimePoint now) {
    last_activity_ = now;
    spdlog::warn("{} <- {}: unknown method, answering fault {}", device_id_, error.method,
                 static_cast<unsigned>(cwmp::kAcsMethodNotSupported));
    return respond(context, error.id,
                   cwmp::Fault{cwmp::kAcsMethodNotSupported,
                               std::string{cwmp::fault_description(cwmp::kAcsMethodNotSupported)},
                               {}},
                   error.ns.value_or(ns_));
}

CwmpSession::Reply CwmpSession::accept_answer(SessionContext& context, const cwmp::Envelope& answer,
                                              TimePoint now) {
    spdlog::info("{} <- {}", device_id_, cwmp::summarize(answer.body, is_secret_parameter));
    if (!in_flight_) {
        spdlog::warn("{} answered {} but no request was in flight; ignored", device_id_,
                     cwmp::method_name(answer.body));
        return next_request_or_end(context, now);
    }
    if (answer.header.id && *answer.header.id != in_flight_->rpc_id) {
        spdlog::warn("{} answered with cwmp:ID {} but the request had {}", device_id_,
                     *answer.header.id, in_flight_->rpc_id);
    }

    auto outcome = in_flight_->execution.accept(answer.body, context.registry, now);
    const std::string task_id = in_flight_->execution.task().id;
    const std::string name{task_name(in_flight_->execution.task().spec)};
    if (in_flight_->preset && outcome.status != TaskExecution::Status::Continue) {
        if (outcome.status == TaskExecution::Status::Done) {
            spdlog::info("{} {} {} done", device_id_, task_id, name);
        } else {
            spdlog::warn("{} {} {} fault {}: {}", device_id_, task_id, name, outcome.fault->code,
                         outcome.fault->message);
        }
        in_flight_.reset();
        return next_request_or_end(context, now);
    }
    switch (outcome.status) {
        case TaskExecution::Status::Continue: {
            in_flight_->rpc_id = fmt::format("{}-{}", token_.substr(0, 8), ++rpc_count_);
            auto request = in_flight_->execution.request();
            spdlog::info("{} -> {}", device_id_, cwmp::summarize(request, is_secret_parameter));
            return respond(context, in_flight_->rpc_id, std::move(request), ns_);
        }
        case TaskExecution::Status::Done:
            context.registry.complete_task(task_id);
            spdlog::info("{} task {} {} done", device_id_, task_id, name);
            break;
        case TaskExecution::Status::AwaitingTransfer:
            context.registry.mark_task_transferring(task_id);
            spdlog::info("{} task {} {} accepted, awaiting TransferComplete", device_id_, task_id,
                         name);
            break;
        case TaskExecution::Status::Faulted:
            spdlog::warn("{} task {} {} fault {}: {}", device_id_, task_id, name,
                         outcome.fault->code, outcome.fault->message);
            context.registry.fail_task(task_id, std::move(*outcome.fault));
            break;
    }
    in_flight_.reset();
    return next_request_or_end(context, now);
}

CwmpSession::Reply CwmpSession::send(SessionContext& context, Task task, bool preset) {
    std::string rpc_id = fmt::format("{}-{}", token_.substr(0, 8), ++rpc_count_);
    in_flight_.emplace(InFlight{TaskExecution{std::move(task)}, std::move(rpc_id), preset});
    auto request = in_flight_->execution.request();
    spdlog::info("{} -> {}", device_id_, cwmp::summarize(request, is_secret_parameter));
    return respond(context, in_flight_->rpc_id, std::move(request), ns_);
}

CwmpSession::Reply CwmpSession::next_request_or_end(SessionContext& context, TimePoint now) {
    if (presets_) {
        const auto device = context.registry.find_device(device_id_);
        auto task = device ? presets_->next(*device, now) : std::nullopt;
        if (task) return send(context, std::move(*task), true);
        presets_.reset();
    }
    while (auto task = context.registry.next_pending_task(device_id_)) {
        if (task->attempts >= context.max_task_attempts) {
            context.registry.fail_task(
                task->id,
                TaskFault{"session_terminated",
                          fmt::format("sent in {} sessions without an answer", task->attempts),
                          std::nullopt, now});
            spdlog::warn("{} task {} {} fault session_terminated", device_id_, task->id,
                         task_name(task->spec));
            continue;
        }
        context.registry.mark_task_sent(task->id);
        return send(context, std::move(*task), false);
    }
    spdlog::info("session end {}", device_id_);
    return Reply{204, {}, true};
}

void CwmpSession::finish_download(SessionContext& context, const cwmp::TransferComplete& transfer,
                                  TimePoint now) {
    // The CommandKey is the task id (TaskExecution::request). A download
    // still Pending was accepted in a session that died before its
    // DownloadResponse arrived; it is finished all the same.
    const auto task = context.registry.find_task(transfer.command_key);
    if (!task || task->device_id != device_id_ ||
        !std::holds_alternative<DownloadTask>(task->spec) ||
        (task->state != TaskState::Transferring && task->state != TaskState::Pending)) {
        spdlog::info(
            "{} TransferComplete {}: no open download task of this device has that "
            "CommandKey",
            device_id_, transfer.command_key);
        return;
    }
    const auto& fault = transfer.fault_struct;
    if (fault.fault_code == 0) {
        context.registry.complete_task(task->id);
        spdlog::info("{} task {} download done", device_id_, task->id);
        return;
    }
    std::string message = fault.fault_string;
    if (message.empty()) message = std::string{cwmp::fault_description(fault.fault_code)};
    spdlog::warn("{} task {} download fault cwmp.{}: {}", device_id_, task->id, fault.fault_code,
                 message);
    context.registry.fail_task(
        task->id, TaskFault{fmt::format("cwmp.{}", fault.fault_code), message,
                            cwmp::Fault{fault.fault_code, fault.fault_string, {}}, now});
}

void CwmpSession::abandon(SessionContext& context, std::string_view reason, TimePoint now) {
    if (!in_flight_) return;
    const Task& sent = in_flight_->execution.task();
    if (in_flight_->preset) {
        spdlog::info("{} {} {} not answered: {}", device_id_, sent.id, task_name(sent.spec),
                     reason);
        in_flight_.reset();
        return;
    }
    const auto task = context.registry.find_task(sent.id);
    if (task && task->state == TaskState::Pending) {
        if (task->attempts >= context.max_task_attempts) {
            spdlog::warn("{} task {} {} fault session_terminated: {}", device_id_, task->id,
                         task_name(task->spec), reason);
            context.registry.fail_task(
                task->id,
                TaskFault{"session_terminated",
                          fmt::format("no answer in {} sessions; last: {}", task->attempts, reason),
                          std::nullopt, now});
        } else {
            spdlog::info("{} task {} {} stays pending: {}", device_id_, task->id,
                         task_name(task->spec), reason);
        }
    }
    in_flight_.reset();
}

}  // namespace acssim
