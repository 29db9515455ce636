// The transfers the ACS asked for (Download, Upload): accepted into a queue
// kept in the store, run one at a time when their DelaySeconds have passed,
// and completed by committing the outcome together with the events
// "7 TRANSFER COMPLETE" and "M Download" / "M Upload" (and, for a
// configuration file, with its values). The TransferComplete of a completed
// transfer goes in the next session after the InformResponse; the record
// and its events are removed only when the ACS acknowledges it, so both
// survive restarts until then.
//
// File types: Download "1 Firmware Upgrade Image" (handed to the firmware
// command, then the device restarts), "3 Vendor Configuration File" (applied
// as one transaction, see configuration_file.hpp), "4 Tone File" and
// "5 Ringer File" (stored under the files folder); Upload "1 Vendor
// Configuration File" and "2 Vendor Log File".
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cwmp/messages.hpp"
#include "datamodel/model.hpp"
#include "http/curl_multi_client.hpp"
#include "lifecycle/shell_command.hpp"
#include "phonecwmp/expected.hpp"
#include "session/session_engine.hpp"
#include "transfer/file_transfer_client.hpp"
#include "transfer/transfer_record.hpp"

namespace agent::transfer {

inline constexpr std::string_view kRestrictedDomainsPath =
    "Device.Services.VoiceService.1.X_PHONECWMP_RestrictedAccessDomains";

struct TransferSettings {
    // Tone and ringer files (tones/, ringers/) and downloads in progress.
    std::filesystem::path files_dir;
    // Installs a firmware image: run by /bin/sh with the image's path as
    // its last argument; exit status 0 = installed. Empty: firmware
    // downloads are refused.
    std::string firmware_command;
    std::filesystem::path log_file;  // what "2 Vendor Log File" uploads, if set
    std::size_t max_transfers = 16;  // accepted and not yet acknowledged
    std::uint64_t max_file_bytes = 64ull * 1024 * 1024;
    std::chrono::milliseconds transfer_timeout{std::chrono::minutes(10)};
    std::string ca_file;  // for HTTPS file servers; empty: the system's store
};

class TransferManager {
public:
    TransferManager(boost::asio::io_context& io, datamodel::Model& model,
                    http::CurlMultiClient& http, TransferSettings settings);
    TransferManager(const TransferManager&) = delete;
    TransferManager& operator=(const TransferManager&) = delete;

    // Takes over the stored queue: a transfer a restart interrupted runs
    // again; a completion whose events were lost has them queued again.
    void start();

    // The RPCs. A fault when the request is refused; the transfer then never
    // produces a TransferComplete.
    phonecwmp::Expected<void, cwmp::Fault> download(const cwmp::Download& request);
    phonecwmp::Expected<void, cwmp::Fault> upload(const cwmp::Upload& request);
    std::vector<cwmp::QueuedTransfer> queued() const;
    phonecwmp::Expected<void, cwmp::Fault> cancel(std::string_view command_key);

    // A new ACS (BOOTSTRAP): what the old one asked for is dropped, queued
    // transfers and unsent completions alike (their events are dropped by
    // the agent's event queue).
    void discard_for_new_acs();

    // One TransferComplete per completed transfer, for the next session; the
    // record is removed when the ACS answers it.
    std::vector<CpeRequest> completion_requests();

    // After a transfer's outcome and events were committed: the agent takes
    // the events over and starts a session.
    void on_completed(std::function<void()> callback) { completed_ = std::move(callback); }
    // After a firmware image was installed and its outcome committed: the
    // device must restart to run it.
    void on_firmware_installed(std::function<void()> callback) {
        firmware_installed_ = std::move(callback);
    }

    const TransferList& list() const { return list_; }

private:
    phonecwmp::Expected<void, cwmp::Fault> accept(TransferRecord record, std::uint32_t delay);
    phonecwmp::Expected<void, cwmp::Fault> check_url(const std::string& url,
                                                     std::uint32_t failure_code) const;
    bool save(const TransferList& list);
    TransferRecord* find(std::uint64_t id);
    void schedule_next();
    void run(std::uint64_t id);
    void downloaded(std::uint64_t id, const std::filesystem::path& file, FileTransferResult result);
    void install(std::uint64_t id, const std::filesystem::path& file);
    void store_file(std::uint64_t id, const std::filesystem::path& file);
    void apply_configuration(std::uint64_t id, const std::filesystem::path& file);
    std::string log_contents() const;
    // Commits the outcome with its events (and `alongside`'s writes); false
    // when the store refused `alongside` (nothing committed then).
    bool complete(std::uint64_t id, std::uint32_t fault_code, std::string fault_string,
                  datamodel::ChangeSet alongside = {});
    void acknowledged(std::uint64_t id);
    std::vector<datamodel::PendingEvent> missing_events(const TransferRecord& record) const;
    std::filesystem::path part_file(std::uint64_t id) const;

    boost::asio::io_context& io_;
    datamodel::Model& model_;
    TransferSettings settings_;
    FileTransferClient client_;
    lifecycle::ShellCommand installer_;
    boost::asio::steady_timer delay_timer_;
    TransferList list_;
    std::optional<std::uint64_t> running_;
    std::function<void()> completed_;
    std::function<void()> firmware_installed_;
};

}  // namespace agent::transfer
