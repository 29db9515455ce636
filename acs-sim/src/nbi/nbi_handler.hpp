// The northbound REST API, GenieACS-compatible for the common calls, as a
// function from request to response (no transport):
//
//   GET|HEAD /devices?query=<JSON>&projection=<paths>&skip=&limit=
//   DELETE   /devices/<id>                    the device, its cache and open tasks
//   POST     /devices/<id>/tasks[?connection_request][&timeout=<ms>]
//   GET|HEAD /tasks?query=&skip=&limit=       pending and faulted tasks
//   DELETE   /tasks/<id>
//   POST     /tasks/<id>/retry                clears a task's fault
//   GET|HEAD /faults?query=&skip=&limit=
//   DELETE   /faults/<device>:task_<id>       removes the fault and its task
//   GET|HEAD /presets?query=&skip=&limit=
//   PUT      /presets/<name>                  creates or replaces (see preset_json.hpp)
//   DELETE   /presets/<name>
//   GET|HEAD /files?query=&projection=&skip=&limit=
//   PUT      /files/<name>                    headers fileType, oui, productClass, version
//   DELETE   /files/<name>
//
// Lists are JSON arrays with a "total" header (matches before skip/limit),
// as GenieACS sends. Errors are text/plain naming the problem, except for a
// rejected preset: {"error": "..."} with 400. With ?connection_request the
// answer is not complete here: the response carries a ConnectionRequestCall
// that ConnectionRequestCalls finishes (connection request, then waiting
// for the session it triggers).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "files/file_store.hpp"
#include "registry/registry.hpp"
#include "util/id_generator.hpp"
#include "util/time_format.hpp"
#include "util/url.hpp"

namespace acssim {

struct NbiRequest {
    std::string_view method;  // "GET", "POST", ...
    std::string_view target;  // origin-form: path and query
    std::string_view body;
    // Header fields; names compared case-insensitively.
    std::vector<std::pair<std::string_view, std::string_view>> headers = {};
};

// The rest of POST /devices/<id>/tasks?connection_request once the task (if
// any) is queued: make the connection request and wait for the session.
struct ConnectionRequestCall {
    std::string device_id;
    std::optional<std::string> task_id;  // none: only trigger a session
    // How long the device has to start its session after the connection
    // request (?timeout=, in ms; GenieACS's DEVICE_ONLINE_THRESHOLD default).
    std::chrono::milliseconds session_start_timeout{4000};
};

struct NbiResponse {
    unsigned status = 200;
    std::string reason;  // HTTP reason phrase; empty for the standard one
    std::string body;
    std::string content_type;  // empty when there is no body
    std::vector<std::pair<std::string, std::string>> headers;
    // Set when the answer depends on a connection request: then the fields
    // above are the answer to give if the call cannot proceed at all.
    std::optional<ConnectionRequestCall> connection_request;
};

class NbiHandler {
public:
    static constexpr std::size_t kMaxPresets = 1000;
    // Longest ?timeout= accepted, in ms.
    static constexpr std::chrono::milliseconds::rep kMaxSessionStartTimeout = 120000;

    // Without `files`, /files answers 404.
    NbiHandler(Registry& registry, IdGenerator& ids, FileStore* files = nullptr);

    NbiResponse handle(const NbiRequest& request, TimePoint now);
    void set_file_store(FileStore* files) { files_ = files; }
    // The URL the file server is reached at by CPEs, ending in '/'; a
    // download task's URL is this plus the file's percent-encoded name.
    // Without one, download tasks are refused.
    void set_file_server_url(std::string base) { file_server_url_ = std::move(base); }

private:
    NbiResponse list_devices(const RequestTarget& target, bool head) const;
    NbiResponse delete_device(const std::string& device_id);
    NbiResponse list_presets(const RequestTarget& target, bool head) const;
    NbiResponse put_preset(const std::string& name, std::string_view body);
    NbiResponse delete_preset(const std::string& name);
    NbiResponse create_task(const std::string& device_id, const RequestTarget& target,
                            std::string_view body, TimePoint now);
    NbiResponse list_tasks(const RequestTarget& target, bool head) const;
    NbiResponse delete_task(const std::string& task_id);
    NbiResponse retry_task(const std::string& task_id);
    NbiResponse list_faults(const RequestTarget& target, bool head) const;
    NbiResponse delete_fault(const std::string& fault_id);
    NbiResponse list_files(const RequestTarget& target, bool head) const;
    NbiResponse put_file(const std::string& name, const NbiRequest& request, TimePoint now);
    NbiResponse delete_file(const std::string& name);
    // Fills a download task from the file store; the error is the 400's text.
    phonecwmp::Expected<void, std::string> resolve_download(DownloadTask& task) const;

    Registry& registry_;
    IdGenerator& ids_;
    FileStore* files_;
    std::string file_server_url_;
};

}  // namespace acssim
