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
//
// Lists are JSON arrays with a "total" header (matches before skip/limit),
// as GenieACS sends. Errors are text/plain naming the problem, except for a
// rejected preset: {"error": "..."} with 400. Connection
// requests are not made yet: with ?connection_request the task is queued
// and the answer is 202 "Task queued but not processed", as GenieACS answers
// when the device did not come online in time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "registry/registry.hpp"
#include "util/id_generator.hpp"
#include "util/time_format.hpp"
#include "util/url.hpp"

namespace acssim {

struct NbiRequest {
    std::string_view method;  // "GET", "POST", ...
    std::string_view target;  // origin-form: path and query
    std::string_view body;
};

struct NbiResponse {
    unsigned status = 200;
    std::string reason;  // HTTP reason phrase; empty for the standard one
    std::string body;
    std::string content_type;  // empty when there is no body
    std::vector<std::pair<std::string, std::string>> headers;
};

class NbiHandler {
public:
    static constexpr std::size_t kMaxPresets = 1000;

    NbiHandler(Registry& registry, IdGenerator& ids);

    NbiResponse handle(const NbiRequest& request, TimePoint now);

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

    Registry& registry_;
    IdGenerator& ids_;
};

}  // namespace acssim
