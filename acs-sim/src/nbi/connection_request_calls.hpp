// The NBI calls that wait on a device: POST /devices/<id>/tasks with
// ?connection_request. Each call makes the connection request, then waits
// for the session it triggers, and answers as GenieACS does:
//
//   no task:   200 once the CPE accepted the connection request;
//   with task: 200 (the task document) when the task was done in the
//              session, 202 "Task faulted" (with its fault) when it faulted,
//              202 "Task queued but not processed" when the device did not
//              start a session within the call's timeout or the session
//              ended (or ran past the end bound) without doing it;
//              a download is done when its TransferComplete arrives, in a
//              later session within the call's timeout, else 202
//              "Download not yet complete";
//   either:    504 with the reason when the connection request failed
//              (no ConnectionRequestURL, unreachable, refused, 401 after
//              authentication, timeout). The task stays queued.
//
// When the device is already in a session, no connection request is made:
// the task is picked up by that session, and the call waits for its end.
// Everything runs on the simulator's io_context thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "connection_request/connection_request_client.hpp"
#include "connection_request/device_connection_request.hpp"
#include "nbi/nbi_handler.hpp"
#include "registry/registry.hpp"
#include "session/session_listener.hpp"

namespace acssim {

struct ConnectionRequestCallSettings {
    ConnectionRequestCredentials default_credentials;
    // When set, the defaults for one device instead (--cpe-credentials).
    std::function<ConnectionRequestCredentials(const DeviceRecord& device)> credentials_of =
        nullptr;
    // Longest wait for a started session to end (GenieACS waits 120 s).
    std::chrono::milliseconds session_end_timeout{120000};
    // Calls waiting at once; more are answered 503.
    std::size_t max_calls = 1000;
};

class ConnectionRequestCalls : public SessionListener {
public:
    using Respond = std::function<void(NbiResponse response)>;
    using InSession = std::function<bool(std::string_view device_id)>;

    ConnectionRequestCalls(boost::asio::io_context& io, Registry& registry,
                           ConnectionRequestClient& client, InSession in_session,
                           ConnectionRequestCallSettings settings);
    ~ConnectionRequestCalls() override;
    ConnectionRequestCalls(const ConnectionRequestCalls&) = delete;
    ConnectionRequestCalls& operator=(const ConnectionRequestCalls&) = delete;

    // `respond` is called once, later, on the io_context's thread.
    void start(ConnectionRequestCall call, Respond respond);

    void session_started(std::string_view device_id) override;
    void session_ended(std::string_view device_id) override;

    // Answers every waiting call with 503 (the simulator is stopping).
    void cancel_all();

    std::size_t waiting() const { return calls_.size(); }

private:
    // AwaitingTransfer: the session ended with the call's download task
    // accepted; a later session's TransferComplete finishes it.
    enum class Phase { Requesting, AwaitingStart, AwaitingEnd, AwaitingTransfer };
    struct Waiting {
        ConnectionRequestCall call;
        Respond respond;
        Phase phase = Phase::Requesting;
        // Seen while the connection request was in flight: the CPE may
        // inform before its answer to the request arrives here.
        bool started = false;
        bool ended = false;
        std::unique_ptr<boost::asio::steady_timer> timer;
    };

    void on_connection_request(std::uint64_t id, const std::string& url,
                               const ConnectionRequestResult& result);
    void await(std::uint64_t id, Phase phase, std::chrono::milliseconds timeout);
    void on_timeout(std::uint64_t id);
    // The call's task is a download the CPE accepted but has not reported.
    bool transferring(const ConnectionRequestCall& call) const;
    // The answer for a task whose session is over (or timed out).
    NbiResponse task_outcome(const ConnectionRequestCall& call) const;
    void complete(std::uint64_t id, NbiResponse response);

    boost::asio::io_context& io_;
    Registry& registry_;
    ConnectionRequestClient& client_;
    InSession in_session_;
    ConnectionRequestCallSettings settings_;
    std::map<std::uint64_t, Waiting> calls_;
    std::uint64_t next_id_ = 1;
};

}  // namespace acssim
