#include "nbi/nbi_handler.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <limits>
#include <optional>

#include "nbi/documents.hpp"
#include "nbi/query.hpp"
#include "nbi/task_request.hpp"
#include "presets/preset_json.hpp"
#include "util/url.hpp"

namespace acssim {

namespace {

constexpr std::string_view kJson = "application/json";

NbiResponse text(unsigned status, std::string message) {
    if (!message.empty()) message.push_back('\n');
    NbiResponse response;
    response.status = status;
    response.body = std::move(message);
    if (!response.body.empty()) response.content_type = "text/plain; charset=utf-8";
    return response;
}

// Preset errors are JSON, so clients can show the message as it is.
NbiResponse json_error(unsigned status, const std::string& message) {
    NbiResponse response;
    response.status = status;
    response.body = to_text(Json{{"error", message}});
    response.content_type = std::string{kJson};
    return response;
}

NbiResponse not_allowed(std::string allow) {
    NbiResponse response = text(405, "405 Method Not Allowed");
    response.headers.emplace_back("Allow", std::move(allow));
    return response;
}

std::optional<std::size_t> count_parameter(const RequestTarget& target, std::string_view name,
                                           std::string& error) {
    auto found = target.query.find(name);
    if (found == target.query.end() || found->second.empty()) return std::nullopt;
    std::size_t number = 0;
    const auto& value = found->second;
    const auto [rest, status] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (status != std::errc{} || rest != value.data() + value.size()) {
        error = std::string{name} + " must be a non-negative integer: " + value;
    }
    return number;
}

// Filters `documents` with ?query, applies ?skip/?limit and ?projection, and
// answers with a JSON array and the "total" header.
NbiResponse list(const RequestTarget& target, bool head, const std::vector<Json>& documents,
                 bool allow_projection) {
    std::string_view query_text;
    if (auto found = target.query.find("query"); found != target.query.end()) {
        query_text = found->second;
    }
    auto query = Query::parse(query_text);
    if (!query) return text(400, query.error());

    std::string error;
    const auto skip = count_parameter(target, "skip", error).value_or(0);
    const auto limit =
        count_parameter(target, "limit", error).value_or(std::numeric_limits<std::size_t>::max());
    if (!error.empty()) return text(400, error);

    std::vector<std::string> projection;
    if (auto found = target.query.find("projection");
        allow_projection && found != target.query.end()) {
        projection = parse_projection(found->second);
    }

    Json selected = Json::array();
    std::size_t total = 0;
    for (const auto& document : documents) {
        if (!query->matches(document)) continue;
        if (total >= skip && selected.size() < limit) {
            selected.push_back(project(document, projection));
        }
        ++total;
    }

    NbiResponse response;
    response.headers.emplace_back("total", std::to_string(total));
    if (!head) {
        response.body = to_text(selected);
        response.content_type = std::string{kJson};
    }
    return response;
}

std::string_view header_value(const NbiRequest& request, std::string_view name) {
    for (const auto& [field, value] : request.headers) {
        if (field.size() == name.size() &&
            std::equal(field.begin(), field.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            return value;
        }
    }
    return {};
}

}  // namespace

NbiHandler::NbiHandler(Registry& registry, IdGenerator& ids, FileStore* files)
    : registry_(registry), ids_(ids), files_(files) {}

NbiResponse NbiHandler::handle(const NbiRequest& request, TimePoint now) {
    auto target = parse_request_target(request.target);
    if (!target) return text(400, "malformed request target");
    const auto& path = target->segments;
    const auto& method = request.method;
    const bool read = method == "GET" || method == "HEAD";
    const bool head = method == "HEAD";

    if (path.size() == 1 && path[0] == "devices") {
        if (!read) return not_allowed("GET, HEAD");
        return list_devices(*target, head);
    }
    if (path.size() == 2 && path[0] == "devices") {
        if (method != "DELETE") return not_allowed("DELETE");
        return delete_device(path[1]);
    }
    if (path.size() == 3 && path[0] == "devices" && path[2] == "tasks") {
        if (method != "POST") return not_allowed("POST");
        return create_task(path[1], *target, request.body, now);
    }
    if (path.size() == 1 && path[0] == "tasks") {
        if (!read) return not_allowed("GET, HEAD");
        return list_tasks(*target, head);
    }
    if (path.size() == 2 && path[0] == "tasks") {
        if (method != "DELETE") return not_allowed("DELETE");
        return delete_task(path[1]);
    }
    if (path.size() == 3 && path[0] == "tasks" && path[2] == "retry") {
        if (method != "POST") return not_allowed("POST");
        return retry_task(path[1]);
    }
    if (path.size() == 1 && path[0] == "faults") {
        if (!read) return not_allowed("GET, HEAD");
        return list_faults(*target, head);
    }
    if (path.size() == 2 && path[0] == "faults") {
        if (method != "DELETE") return not_allowed("DELETE");
        return delete_fault(path[1]);
    }
    if (path.size() == 1 && path[0] == "presets") {
        if (!read) return not_allowed("GET, HEAD");
        return list_presets(*target, head);
    }
    if (path.size() == 2 && path[0] == "presets") {
        if (method == "PUT") return put_preset(path[1], request.body);
        if (method == "DELETE") return delete_preset(path[1]);
        return not_allowed("PUT, DELETE");
    }
    if (files_ != nullptr && path.size() == 1 && path[0] == "files") {
        if (!read) return not_allowed("GET, HEAD");
        return list_files(*target, head);
    }
    if (files_ != nullptr && path.size() == 2 && path[0] == "files") {
        if (method == "PUT") return put_file(path[1], request, now);
        if (method == "DELETE") return delete_file(path[1]);
        return not_allowed("PUT, DELETE");
    }
    return text(404, "404 Not Found");
}

NbiResponse NbiHandler::delete_device(const std::string& device_id) {
    if (!registry_.delete_device(device_id)) return text(404, "No such device");
    spdlog::info("device {} deleted with its tasks", device_id);
    return text(200, {});
}

NbiResponse NbiHandler::list_presets(const RequestTarget& target, bool head) const {
    std::vector<Json> documents;
    for (const auto& preset : registry_.presets()) documents.push_back(preset.document);
    return list(target, head, documents, true);
}

NbiResponse NbiHandler::put_preset(const std::string& name, std::string_view body) {
    Json parsed;
    try {
        parsed = Json::parse(body);
    } catch (const Json::exception& error) {  // parse_error, or out_of_range: 1e999
        return json_error(400, std::string{"preset is not valid JSON: "} + error.what());
    }
    auto preset = parse_preset(name, parsed);
    if (!preset) return json_error(400, preset.error());
    if (!registry_.has_preset(name) && registry_.preset_count() >= kMaxPresets) {
        return json_error(400, fmt::format("too many presets (at most {})", kMaxPresets));
    }
    spdlog::info("preset {} saved", name);
    registry_.put_preset(std::move(*preset));
    return text(200, {});
}

NbiResponse NbiHandler::delete_preset(const std::string& name) {
    if (!registry_.delete_preset(name)) return text(404, "Preset not found");
    spdlog::info("preset {} deleted", name);
    return text(200, {});
}

NbiResponse NbiHandler::list_files(const RequestTarget& target, bool head) const {
    std::vector<Json> documents;
    for (const auto& file : files_->list()) documents.push_back(file_document(file));
    return list(target, head, documents, true);
}

NbiResponse NbiHandler::put_file(const std::string& name, const NbiRequest& request,
                                 TimePoint now) {
    StoredFile file;
    file.name = name;
    file.file_type = std::string{header_value(request, "fileType")};
    file.oui = std::string{header_value(request, "oui")};
    file.product_class = std::string{header_value(request, "productClass")};
    file.version = std::string{header_value(request, "version")};
    file.upload_date = now;
    // A download task sends the type as the Download's FileType.
    if (file.file_type.empty()) {
        return text(400, "the fileType header is missing (e.g. \"1 Firmware Upgrade Image\")");
    }
    auto stored = files_->put(std::move(file), request.body);
    if (!stored) {
        spdlog::warn("file {} not stored: {}", name, stored.error());
        return text(400, stored.error());
    }
    spdlog::info("file {} stored ({} bytes, {})", name, stored->length, stored->file_type);
    return text(201, {});
}

NbiResponse NbiHandler::delete_file(const std::string& name) {
    auto removed = files_->remove(name);
    if (!removed) return text(500, removed.error());
    if (!*removed) return text(404, "File not found");
    spdlog::info("file {} deleted", name);
    return text(200, {});
}

NbiResponse NbiHandler::list_devices(const RequestTarget& target, bool head) const {
    std::vector<Json> documents;
    registry_.for_each_device(
        [&](const DeviceRecord& device) { documents.push_back(device_document(device)); });
    return list(target, head, documents, true);
}

NbiResponse NbiHandler::list_tasks(const RequestTarget& target, bool head) const {
    std::vector<Json> documents;
    for (const auto& task : registry_.open_tasks()) documents.push_back(task_document(task));
    return list(target, head, documents, true);
}

NbiResponse NbiHandler::list_faults(const RequestTarget& target, bool head) const {
    std::vector<Json> documents;
    for (const auto& task : registry_.faulted_tasks()) documents.push_back(fault_document(task));
    return list(target, head, documents, true);
}

NbiResponse NbiHandler::create_task(const std::string& device_id, const RequestTarget& target,
                                    std::string_view body, TimePoint now) {
    std::optional<ConnectionRequestCall> connection_request;
    if (target.query.contains("connection_request")) {
        connection_request.emplace();
        connection_request->device_id = device_id;
        if (auto found = target.query.find("timeout"); found != target.query.end()) {
            const auto& value = found->second;
            std::chrono::milliseconds::rep milliseconds = 0;
            const auto [rest, status] =
                std::from_chars(value.data(), value.data() + value.size(), milliseconds);
            if (value.empty() || status != std::errc{} || rest != value.data() + value.size() ||
                milliseconds <= 0 || milliseconds > kMaxSessionStartTimeout) {
                return text(400, fmt::format("timeout must be a number of milliseconds from 1 to "
                                             "{}: '{}'",
                                             kMaxSessionStartTimeout, value));
            }
            connection_request->session_start_timeout = std::chrono::milliseconds(milliseconds);
        }
    }
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        if (!connection_request) return text(400, "the request body must be a task (JSON object)");
        if (!registry_.has_device(device_id)) return text(404, "No such device");
        // Only a session to trigger: ConnectionRequestCalls answers.
        NbiResponse response = text(200, {});
        response.connection_request = std::move(connection_request);
        return response;
    }
    Json parsed;
    try {
        parsed = Json::parse(body);
    } catch (const Json::exception& error) {  // parse_error, or out_of_range: 1e999
        return text(400, std::string{"task is not valid JSON: "} + error.what());
    }
    if (!registry_.has_device(device_id)) return text(404, "No such device");

    auto spec =
        parse_task_request(parsed, [&](std::string_view name) -> std::optional<std::string> {
            auto parameter = registry_.find_parameter(device_id, name);
            if (!parameter) return std::nullopt;
            return parameter->type;
        });
    if (!spec) return text(400, spec.error());
    if (auto* download = std::get_if<DownloadTask>(&*spec)) {
        if (auto resolved = resolve_download(*download); !resolved) {
            return text(400, resolved.error());
        }
    }

    Task task;
    task.id = ids_.task_id(now);
    task.device_id = device_id;
    task.spec = std::move(*spec);
    task.timestamp = now;
    spdlog::info("task {} {} queued for {}", task.id, task_name(task.spec), device_id);
    NbiResponse response;
    response.status = 202;
    response.body = to_text(task_document(task));
    response.content_type = std::string{kJson};
    if (connection_request) {
        // The fallback if the call cannot wait: the task is queued all the same.
        response.reason = "Task queued but not processed";
        connection_request->task_id = task.id;
        response.connection_request = std::move(connection_request);
    }
    registry_.add_task(std::move(task));
    return response;
}

phonecwmp::Expected<void, std::string> NbiHandler::resolve_download(DownloadTask& task) const {
    if (files_ == nullptr || file_server_url_.empty()) {
        return phonecwmp::Unexpected(
            std::string{"download tasks need the file server: start acs-sim with --fs-listen"});
    }
    const StoredFile* file = files_->find(task.file_name);
    if (file == nullptr) {
        return phonecwmp::Unexpected("no file \"" + task.file_name + "\" in /files");
    }
    if (task.file_type.empty()) task.file_type = file->file_type;
    task.file_size = file->length;
    task.url = file_server_url_ + percent_encode(task.file_name);
    // The Download RPC's URL is at most 256 characters (TR-069 A.3.2.8).
    if (task.url.size() > 256) {
        return phonecwmp::Unexpected(
            "the URL of \"" + task.file_name +
            "\" is longer than the 256 characters a Download allows: " + task.url);
    }
    return {};
}

NbiResponse NbiHandler::delete_task(const std::string& task_id) {
    if (!registry_.delete_task(task_id)) return text(404, "Task not found");
    spdlog::info("task {} deleted", task_id);
    return text(200, {});
}

NbiResponse NbiHandler::retry_task(const std::string& task_id) {
    auto task = registry_.find_task(task_id);
    if (!task || task->state == TaskState::Done) return text(404, "Task not found");
    if (registry_.retry_task(task_id)) spdlog::info("task {} will be retried", task_id);
    return text(200, {});
}

NbiResponse NbiHandler::delete_fault(const std::string& id) {
    // "<device>:task_<task id>"; a device id never contains ':' (it is escaped).
    const auto colon = id.find(':');
    constexpr std::string_view kChannelPrefix = "task_";
    if (colon == std::string::npos ||
        std::string_view{id}.substr(colon + 1).substr(0, kChannelPrefix.size()) != kChannelPrefix) {
        return text(404, "Fault not found");
    }
    const std::string device = id.substr(0, colon);
    const std::string task_id = id.substr(colon + 1 + kChannelPrefix.size());
    auto task = registry_.find_task(task_id);
    if (!task || task->device_id != device || task->state != TaskState::Fault) {
        return text(404, "Fault not found");
    }
    registry_.delete_task(task_id);
    spdlog::info("fault {} deleted with its task", id);
    return text(200, {});
}

}  // namespace acssim
