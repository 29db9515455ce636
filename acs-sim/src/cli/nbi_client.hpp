// The northbound API of a running acs-sim (or GenieACS) seen from a client:
// the few calls the command-line tools and the scenario runner make.
// Errors name the call and, when the NBI refused it, its status and message.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "cli/http_client.hpp"
#include "nbi/documents.hpp"
#include "phonecwmp/expected.hpp"

namespace acssim::cli {

struct QueuedTask {
    // 200: done in a session the connection request triggered; 202: queued
    // (or faulted) for the device's next session.
    long status = 0;
    Json task;  // the task document, with its "_id"
};

class NbiClient {
public:
    // `base_url` like "http://127.0.0.1:7557" (a trailing '/' is ignored).
    NbiClient(std::string base_url, HttpClientLimits limits = {});

    // Checks the URL's form (http:// or https:// and a host); the error says
    // what is wrong.
    static phonecwmp::Expected<void, std::string> check_base_url(std::string_view url);

    // GET /devices?query=<query>&projection=<projection>: the JSON array.
    phonecwmp::Expected<Json, std::string> devices(const Json& query,
                                                   std::string_view projection = {});

    // POST /devices/<id>/tasks[?connection_request&timeout=<ms>].
    phonecwmp::Expected<QueuedTask, std::string> queue_task(
        const std::string& device_id, const Json& task, bool connection_request,
        std::chrono::milliseconds wait = std::chrono::milliseconds{0});

    // The task's document while it is pending or faulted; nullopt once done
    // (GenieACS forgets done tasks) or deleted.
    phonecwmp::Expected<std::optional<Json>, std::string> open_task(const std::string& task_id);

    phonecwmp::Expected<void, std::string> delete_task(const std::string& task_id);

    // POST /devices/<id>/tasks?connection_request with no body: asks the ACS
    // to make a connection request. The reply is returned whatever its
    // status (GenieACS: 200 session done, 202 queued, 504 the request failed).
    phonecwmp::Expected<HttpReply, std::string> request_session(const std::string& device_id);

    const std::string& base_url() const { return base_url_; }

private:
    phonecwmp::Expected<HttpReply, std::string> call(std::string_view method,
                                                     const std::string& target,
                                                     std::string_view body = {});

    std::string base_url_;
    HttpClient http_;
};

// The message of an NBI error reply: {"error": "..."} or the text itself.
std::string nbi_error_message(const HttpReply& reply);

}  // namespace acssim::cli
