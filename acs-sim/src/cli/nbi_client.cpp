#include "cli/nbi_client.hpp"

#include <fmt/format.h>

#include "util/url.hpp"

namespace acssim::cli {

namespace {

constexpr std::string_view kJsonType = "application/json";

std::string trimmed(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    const auto end = text.find_last_not_of(" \t\r\n");
    return std::string{text.substr(begin, end - begin + 1)};
}

phonecwmp::Expected<Json, std::string> parse_json_reply(const HttpReply& reply,
                                                        std::string_view call) {
    try {
        return Json::parse(reply.body);
    } catch (const Json::exception& error) {
        return phonecwmp::Unexpected(
            fmt::format("{}: the NBI's reply is not JSON ({})", call, error.what()));
    }
}

}  // namespace

std::string nbi_error_message(const HttpReply& reply) {
    if (reply.content_type.starts_with(kJsonType)) {
        try {
            const auto document = Json::parse(reply.body);
            if (document.is_object() && document.contains("error") &&
                document["error"].is_string()) {
                return document["error"].get<std::string>();
            }
        } catch (const Json::exception&) {
            // Not JSON after all: show the text below.
        }
    }
    auto text = trimmed(reply.body);
    return text.empty() ? std::string{"(no message)"} : text;
}

NbiClient::NbiClient(std::string base_url, HttpClientLimits limits)
    : base_url_(std::move(base_url)), http_(limits) {
    while (base_url_.ends_with('/')) base_url_.pop_back();
}

phonecwmp::Expected<void, std::string> NbiClient::check_base_url(std::string_view url) {
    std::string_view rest;
    if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else {
        return phonecwmp::Unexpected(
            fmt::format("NBI URL '{}' must start with http:// or https://", url));
    }
    if (rest.empty() || rest.front() == '/') {
        return phonecwmp::Unexpected(fmt::format("NBI URL '{}' has no host", url));
    }
    return {};
}

phonecwmp::Expected<HttpReply, std::string> NbiClient::call(std::string_view method,
                                                            const std::string& target,
                                                            std::string_view body) {
    return http_.request(method, base_url_ + target, body, body.empty() ? "" : kJsonType);
}

phonecwmp::Expected<Json, std::string> NbiClient::devices(const Json& query,
                                                          std::string_view projection) {
    std::string target = "/devices?query=" + percent_encode(query.dump());
    if (!projection.empty()) target += "&projection=" + percent_encode(projection);
    auto reply = call("GET", target);
    if (!reply) return phonecwmp::Unexpected(reply.error());
    if (reply->status != 200) {
        return phonecwmp::Unexpected(fmt::format("GET /devices: the NBI answered {}: {}",
                                                 reply->status, nbi_error_message(*reply)));
    }
    auto document = parse_json_reply(*reply, "GET /devices");
    if (document && !document->is_array()) {
        return phonecwmp::Unexpected(std::string{"GET /devices: the NBI's reply is not an array"});
    }
    return document;
}

phonecwmp::Expected<QueuedTask, std::string> NbiClient::queue_task(const std::string& device_id,
                                                                   const Json& task,
                                                                   bool connection_request,
                                                                   std::chrono::milliseconds wait) {
    std::string target = "/devices/" + percent_encode(device_id) + "/tasks";
    if (connection_request) {
        target += "?connection_request";
        if (wait.count() > 0) target += fmt::format("&timeout={}", wait.count());
    }
    const std::string call_name = fmt::format("POST /devices/{}/tasks", device_id);
    auto reply = call("POST", target, task.dump());
    if (!reply) return phonecwmp::Unexpected(reply.error());
    if (reply->status != 200 && reply->status != 202) {
        return phonecwmp::Unexpected(fmt::format("{}: the NBI answered {}: {}", call_name,
                                                 reply->status, nbi_error_message(*reply)));
    }
    auto document = parse_json_reply(*reply, call_name);
    if (!document) return phonecwmp::Unexpected(document.error());
    if (!document->is_object() || !document->contains("_id") || !(*document)["_id"].is_string()) {
        return phonecwmp::Unexpected(fmt::format("{}: the reply has no task \"_id\"", call_name));
    }
    return QueuedTask{reply->status, std::move(*document)};
}

phonecwmp::Expected<std::optional<Json>, std::string> NbiClient::open_task(
    const std::string& task_id) {
    const Json query = {{"_id", task_id}};
    auto reply = call("GET", "/tasks?query=" + percent_encode(query.dump()));
    if (!reply) return phonecwmp::Unexpected(reply.error());
    if (reply->status != 200) {
        return phonecwmp::Unexpected(fmt::format("GET /tasks: the NBI answered {}: {}",
                                                 reply->status, nbi_error_message(*reply)));
    }
    auto document = parse_json_reply(*reply, "GET /tasks");
    if (!document) return phonecwmp::Unexpected(document.error());
    if (!document->is_array()) {
        return phonecwmp::Unexpected(std::string{"GET /tasks: the NBI's reply is not an array"});
    }
    for (auto& task : *document) {
        if (task.is_object() && task.value("_id", std::string{}) == task_id) {
            return std::optional<Json>{std::move(task)};
        }
    }
    return std::optional<Json>{};
}

phonecwmp::Expected<void, std::string> NbiClient::delete_task(const std::string& task_id) {
    auto reply = call("DELETE", "/tasks/" + percent_encode(task_id));
    if (!reply) return phonecwmp::Unexpected(reply.error());
    if (reply->status != 200 && reply->status != 404) {
        return phonecwmp::Unexpected(fmt::format("DELETE /tasks/{}: the NBI answered {}: {}",
                                                 task_id, reply->status,
                                                 nbi_error_message(*reply)));
    }
    return {};
}

phonecwmp::Expected<HttpReply, std::string> NbiClient::request_session(
    const std::string& device_id) {
    return call("POST", "/devices/" + percent_encode(device_id) + "/tasks?connection_request");
}

}  // namespace acssim::cli
