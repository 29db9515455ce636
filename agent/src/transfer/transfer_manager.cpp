#include "transfer/transfer_manager.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <fstream>
#include <iterator>
#include <system_error>

#include "cwmp/event_codes.hpp"
#include "cwmp/fault_codes.hpp"
#include "http/request_target.hpp"
#include "rpc/faults.hpp"
#include "session/event_queue.hpp"
#include "session/inform_builder.hpp"
#include "transfer/configuration_file.hpp"
#include "voice/restricted_domains.hpp"

namespace agent::transfer {

namespace {

constexpr std::string_view kFirmware = "1 Firmware Upgrade Image";
constexpr std::string_view kConfiguration = "3 Vendor Configuration File";
constexpr std::string_view kTone = "4 Tone File";
constexpr std::string_view kRinger = "5 Ringer File";
constexpr std::string_view kUploadConfiguration = "1 Vendor Configuration File";
constexpr std::string_view kUploadLog = "2 Vendor Log File";
constexpr std::size_t kMaxCommandKey = 32;
constexpr std::size_t kMaxUrl = 256;
constexpr std::size_t kMaxTargetFileName = 255;
// What a log upload sends at most: the end of the log.
constexpr std::uintmax_t kMaxLogUploadBytes = 1024 * 1024;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string_view event_for(Direction direction) {
    return direction == Direction::Download ? cwmp::event::kMDownload : cwmp::event::kMUpload;
}

// A file name the device may store under its own folder: no path, no
// hidden file, nothing a shell or a file system treats specially.
bool plain_file_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxTargetFileName || name.front() == '.') return false;
    return std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == '_';
    });
}

std::string last_segment(const std::string& url) {
    std::string path = url.substr(0, url.find_first_of("?#"));
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(slash + 1);
}

cwmp::Fault fault(std::uint32_t code, std::string message) {
    spdlog::warn("transfer: refused: {} ({})", message, code);
    return rpc::make_fault(code, std::move(message));
}

}  // namespace

TransferManager::TransferManager(boost::asio::io_context& io, datamodel::Model& model,
                                 http::CurlMultiClient& http, TransferSettings settings)
    : io_(io),
      model_(model),
      settings_(std::move(settings)),
      client_(http),
      installer_(io),
      delay_timer_(io) {}

void TransferManager::start() {
    if (const auto stored = model_.meta(kTransfersMetaKey)) {
        auto parsed = transfer_list_from_json(*stored);
        if (parsed) {
            list_ = std::move(*parsed);
        } else {
            // Kept as it is in the store: a later save replaces it.
            spdlog::error("transfer: the stored queue is unreadable ({}); starting empty",
                          parsed.error());
        }
    }
    TransferList updated = list_;
    datamodel::ChangeSet heal;
    for (auto& record : updated.transfers) {
        if (record.state == TransferState::InProgress) {
            spdlog::info("transfer: {} \"{}\" was interrupted by a restart; it runs again",
                         record.file_type, record.command_key);
            record.state = TransferState::Queued;
            record.start_time = "0001-01-01T00:00:00Z";
        }
        if (record.state == TransferState::Completed) {
            for (auto& event : missing_events(record)) heal.queue_events.push_back(event);
        }
    }
    // Two completions without their events would otherwise both re-queue
    // "7 TRANSFER COMPLETE".
    std::vector<datamodel::PendingEvent> unique;
    for (auto& event : heal.queue_events) {
        if (std::none_of(unique.begin(), unique.end(), [&](const auto& e) {
                return e.code == event.code && e.command_key == event.command_key;
            })) {
            unique.push_back(event);
        }
    }
    heal.queue_events = std::move(unique);
    if (updated != list_ || !heal.queue_events.empty()) {
        heal.meta.push_back({std::string(kTransfersMetaKey), to_json(updated)});
        if (auto committed = model_.apply(heal); committed) {
            list_ = std::move(updated);
            if (!heal.queue_events.empty() && completed_) completed_();
        } else {
            spdlog::error("transfer: cannot update the stored queue: {}",
                          committed.error().front().message);
        }
    }
    std::error_code ec;
    std::filesystem::create_directories(settings_.files_dir, ec);
    if (ec) {
        spdlog::error("transfer: cannot create {}: {}", settings_.files_dir.string(), ec.message());
    }
    schedule_next();
}

void TransferManager::discard_for_new_acs() {
    TransferList stored = list_;
    if (const auto text = model_.meta(kTransfersMetaKey)) {
        // Possibly before start(): the stored queue is the one to clear.
        if (auto parsed = transfer_list_from_json(*text)) stored = std::move(*parsed);
    }
    if (stored.transfers.empty()) return;
    spdlog::info("transfer: a new ACS: {} transfer(s) of the previous one dropped",
                 stored.transfers.size());
    client_.cancel();
    delay_timer_.cancel();
    running_.reset();
    if (!save(TransferList{std::max(stored.next_id, list_.next_id), {}})) {
        spdlog::error("transfer: cannot drop the previous ACS's transfers");
    }
}

std::vector<datamodel::PendingEvent> TransferManager::missing_events(
    const TransferRecord& record) const {
    std::vector<datamodel::PendingEvent> missing;
    const auto& pending = model_.pending_events();
    const auto has = [&](std::string_view code, std::string_view key) {
        return std::any_of(pending.begin(), pending.end(),
                           [&](const auto& e) { return e.code == code && e.command_key == key; });
    };
    if (!has(cwmp::event::kTransferComplete, "")) {
        missing.push_back(EventQueue::stored(cwmp::event::kTransferComplete, ""));
    }
    if (!has(event_for(record.direction), record.command_key)) {
        missing.push_back(EventQueue::stored(event_for(record.direction), record.command_key));
    }
    return missing;
}

phonecwmp::Expected<void, cwmp::Fault> TransferManager::check_url(
    const std::string& url, std::uint32_t failure_code) const {
    if (url.size() > kMaxUrl)
        return phonecwmp::Unexpected(
            fault(cwmp::kInvalidArguments, "URL longer than 256 characters"));
    const auto scheme_end = url.find("://");
    const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https") {
        return phonecwmp::Unexpected(
            fault(cwmp::kUnsupportedTransferProtocol, "unsupported transfer protocol in " + url));
    }
    auto target = http::parse_request_target(url);
    if (!target) {
        return phonecwmp::Unexpected(
            fault(cwmp::kInvalidArguments, "malformed URL " + url + ": " + target.error()));
    }
    const auto domains =
        voice::parse_domain_list(model_.value(kRestrictedDomainsPath).value_or(""));
    if (!voice::host_within_domains(target->host, domains)) {
        return phonecwmp::Unexpected(fault(
            failure_code, "host " + target->host + " is outside the restricted access domains"));
    }
    return {};
}

phonecwmp::Expected<void, cwmp::Fault> TransferManager::download(const cwmp::Download& request) {
    if (request.command_key.size() > kMaxCommandKey) {
        return phonecwmp::Unexpected(
            fault(cwmp::kInvalidArguments, "CommandKey longer than 32 characters"));
    }
    if (auto ok = check_url(request.url, cwmp::kRequestDenied); !ok) return ok;
    const std::string& type = request.file_type;
    if (type != kFirmware && type != kConfiguration && type != kTone && type != kRinger) {
        return phonecwmp::Unexpected(
            fault(cwmp::kDownloadFailure, "unsupported FileType \"" + type + "\""));
    }
    if (type == kFirmware && settings_.firmware_command.empty()) {
        return phonecwmp::Unexpected(fault(
            cwmp::kDownloadFailure, "firmware upgrades are off: no firmware command configured"));
    }
    const std::uint64_t limit =
        type == kConfiguration ? kMaxConfigurationFileBytes : settings_.max_file_bytes;
    if (request.file_size > limit) {
        return phonecwmp::Unexpected(
            fault(cwmp::kDownloadFailure, "FileSize " + std::to_string(request.file_size) +
                                              " above the limit of " + std::to_string(limit)));
    }
    TransferRecord record;
    record.direction = Direction::Download;
    record.command_key = request.command_key;
    record.file_type = type;
    record.url = request.url;
    record.username = request.username;
    record.password = request.password;
    record.file_size = request.file_size;
    record.target_file_name = request.target_file_name;
    if (type == kTone || type == kRinger) {
        if (record.target_file_name.empty()) record.target_file_name = last_segment(request.url);
        if (!plain_file_name(record.target_file_name)) {
            return phonecwmp::Unexpected(
                fault(cwmp::kInvalidArguments,
                      "TargetFileName \"" + record.target_file_name +
                          "\" is not a plain file name (letters, digits, '.', '-', '_')"));
        }
    }
    return accept(std::move(record), request.delay_seconds);
}

phonecwmp::Expected<void, cwmp::Fault> TransferManager::upload(const cwmp::Upload& request) {
    if (request.command_key.size() > kMaxCommandKey) {
        return phonecwmp::Unexpected(
            fault(cwmp::kInvalidArguments, "CommandKey longer than 32 characters"));
    }
    if (auto ok = check_url(request.url, cwmp::kRequestDenied); !ok) return ok;
    if (request.file_type != kUploadConfiguration && request.file_type != kUploadLog) {
        return phonecwmp::Unexpected(
            fault(cwmp::kUploadFailure, "unsupported FileType \"" + request.file_type + "\""));
    }
    TransferRecord record;
    record.direction = Direction::Upload;
    record.command_key = request.command_key;
    record.file_type = request.file_type;
    record.url = request.url;
    record.username = request.username;
    record.password = request.password;
    return accept(std::move(record), request.delay_seconds);
}

phonecwmp::Expected<void, cwmp::Fault> TransferManager::accept(TransferRecord record,
                                                               std::uint32_t delay) {
    if (list_.transfers.size() >= settings_.max_transfers) {
        return phonecwmp::Unexpected(
            fault(cwmp::kResourcesExceeded,
                  "already " + std::to_string(list_.transfers.size()) + " transfers queued"));
    }
    TransferList updated = list_;
    record.id = updated.next_id++;
    record.not_before = unix_now() + delay;
    record.state = TransferState::Queued;
    spdlog::info("transfer: accepted {} \"{}\" of {} (CommandKey \"{}\", in {} s)",
                 record.direction == Direction::Download ? "download" : "upload", record.file_type,
                 record.url, record.command_key, delay);
    updated.transfers.push_back(std::move(record));
    if (!save(updated)) {
        return phonecwmp::Unexpected(fault(cwmp::kInternalError, "cannot store the transfer"));
    }
    // Not started from inside the RPC: the DownloadResponse goes first.
    boost::asio::post(io_, [this] { schedule_next(); });
    return {};
}

bool TransferManager::save(const TransferList& list) {
    auto committed = model_.set_meta(kTransfersMetaKey, to_json(list));
    if (!committed) {
        spdlog::error("transfer: cannot store the queue: {}", committed.error().message);
        return false;
    }
    list_ = list;
    return true;
}

TransferRecord* TransferManager::find(std::uint64_t id) {
    auto it = std::find_if(list_.transfers.begin(), list_.transfers.end(),
                           [id](const auto& r) { return r.id == id; });
    return it == list_.transfers.end() ? nullptr : &*it;
}

std::vector<cwmp::QueuedTransfer> TransferManager::queued() const {
    std::vector<cwmp::QueuedTransfer> queued;
    for (const auto& record : list_.transfers) {
        queued.push_back({record.command_key, static_cast<int>(record.state),
                          record.direction == Direction::Download, record.file_type,
                          record.file_size, record.target_file_name});
    }
    return queued;
}

phonecwmp::Expected<void, cwmp::Fault> TransferManager::cancel(std::string_view command_key) {
    bool found = false;
    TransferList updated = list_;
    for (const auto& record : list_.transfers) {
        if (record.command_key != command_key) continue;
        found = true;
        if (record.state != TransferState::Queued) {
            return phonecwmp::Unexpected(
                fault(cwmp::kCancelNotPermitted,
                      "transfer \"" + record.command_key + "\" is " +
                          (record.state == TransferState::InProgress ? "in progress"
                                                                     : "already complete")));
        }
    }
    if (!found) {
        return phonecwmp::Unexpected(
            fault(cwmp::kInvalidArguments,
                  "no queued transfer with CommandKey \"" + std::string(command_key) + "\""));
    }
    std::erase_if(updated.transfers,
                  [&](const auto& record) { return record.command_key == command_key; });
    if (!save(updated)) {
        return phonecwmp::Unexpected(
            fault(cwmp::kInternalError, "cannot store the transfer queue"));
    }
    spdlog::info("transfer: cancelled \"{}\"", command_key);
    boost::asio::post(io_, [this] { schedule_next(); });
    return {};
}

void TransferManager::schedule_next() {
    if (running_) return;
    const TransferRecord* next = nullptr;
    for (const auto& record : list_.transfers) {
        if (record.state == TransferState::Queued &&
            (next == nullptr || record.not_before < next->not_before)) {
            next = &record;
        }
    }
    delay_timer_.cancel();
    if (next == nullptr) return;
    const std::int64_t wait = std::max<std::int64_t>(0, next->not_before - unix_now());
    delay_timer_.expires_after(std::chrono::seconds(wait));
    delay_timer_.async_wait([this, id = next->id](const boost::system::error_code& ec) {
        if (!ec && !running_) run(id);
    });
}

std::filesystem::path TransferManager::part_file(std::uint64_t id) const {
    return settings_.files_dir / ("transfer-" + std::to_string(id) + ".part");
}

void TransferManager::run(std::uint64_t id) {
    TransferRecord* record = find(id);
    if (record == nullptr || record->state != TransferState::Queued) {
        schedule_next();
        return;
    }
    TransferList updated = list_;
    TransferRecord& started = *std::find_if(updated.transfers.begin(), updated.transfers.end(),
                                            [id](const auto& r) { return r.id == id; });
    started.state = TransferState::InProgress;
    started.start_time = utc_now_iso8601();
    if (!save(updated)) {
        complete(id, cwmp::kInternalError, "cannot store the transfer's state");
        return;
    }
    running_ = id;
    const TransferRecord& r = *find(id);
    spdlog::info("transfer: starting {} \"{}\" ({})", r.file_type, r.command_key, r.url);
    // The domains may have changed since the transfer was accepted.
    const std::uint32_t late_code =
        r.direction == Direction::Download ? cwmp::kDownloadFailure : cwmp::kUploadFailure;
    if (auto allowed = check_url(r.url, late_code); !allowed) {
        complete(id, late_code, allowed.error().fault_string);
        return;
    }
    FileTransferRequest request{r.url, r.username, r.password, settings_.transfer_timeout,
                                settings_.ca_file};
    if (r.direction == Direction::Download) {
        // One byte more than announced is enough to know the size is wrong.
        const std::uint64_t limit =
            r.file_size > 0 ? std::uint64_t{r.file_size} + 1
                            : (r.file_type == kConfiguration ? kMaxConfigurationFileBytes
                                                             : settings_.max_file_bytes);
        const auto file = part_file(id);
        client_.download(std::move(request), file, limit,
                         [this, id, file](FileTransferResult result) {
                             downloaded(id, file, std::move(result));
                         });
        return;
    }
    std::string body =
        r.file_type == kUploadConfiguration ? export_configuration_file(model_) : log_contents();
    const std::string type = r.file_type == kUploadConfiguration ? "text/xml" : "text/plain";
    client_.upload(std::move(request), std::move(body), type,
                   [this, id](FileTransferResult result) {
                       using Kind = FileTransferResult::Kind;
                       if (result.kind == Kind::Done) {
                           complete(id, 0, {});
                       } else {
                           complete(id,
                                    result.kind == Kind::AuthRejected
                                        ? cwmp::kFileTransferServerAuthenticationFailure
                                        : cwmp::kUploadFailure,
                                    result.message);
                       }
                   });
}

std::string TransferManager::log_contents() const {
    if (!settings_.log_file.empty()) {
        std::ifstream in(settings_.log_file, std::ios::binary);
        std::error_code ec;
        const auto size = std::filesystem::file_size(settings_.log_file, ec);
        if (in && !ec) {
            if (size > kMaxLogUploadBytes)
                in.seekg(static_cast<std::streamoff>(size - kMaxLogUploadBytes));
            return std::string(std::istreambuf_iterator<char>(in), {});
        }
        spdlog::warn("transfer: cannot read the log file {}", settings_.log_file.string());
    }
    std::string text = "cwmp-agent status\n";
    text += "time: " + utc_now_iso8601() + "\n";
    for (const char* path : {"Device.DeviceInfo.SoftwareVersion", "Device.DeviceInfo.UpTime",
                             "Device.ManagementServer.URL"}) {
        text += std::string(path) + ": " + model_.value(path).value_or("") + "\n";
    }
    text += "no log file is configured\n";
    return text;
}

void TransferManager::downloaded(std::uint64_t id, const std::filesystem::path& file,
                                 FileTransferResult result) {
    const TransferRecord* record = find(id);
    if (record == nullptr) return;
    using Kind = FileTransferResult::Kind;
    std::uint32_t code = 0;
    std::string message = result.message;
    switch (result.kind) {
        case Kind::Done:
            if (record->file_size > 0 && result.bytes != record->file_size) {
                code = cwmp::kFileCorrupted;
                message = "received " + std::to_string(result.bytes) + " bytes, FileSize is " +
                          std::to_string(record->file_size);
            }
            break;
        case Kind::TooLarge:
            code = record->file_size > 0 ? cwmp::kFileCorrupted : cwmp::kDownloadFailure;
            if (record->file_size > 0) {
                message = "the file is larger than FileSize " + std::to_string(record->file_size);
            }
            break;
        case Kind::Unreachable:
            code = cwmp::kFileServerUnreachable;
            break;
        case Kind::AuthRejected:
            code = cwmp::kFileTransferServerAuthenticationFailure;
            break;
        case Kind::NotFound:
            code = cwmp::kFileAccessFailure;
            break;
        case Kind::HttpError:
            code = cwmp::kDownloadFailure;
            break;
        case Kind::Interrupted:
            code = cwmp::kDownloadIncomplete;
            break;
        case Kind::LocalError:
            code = cwmp::kInternalError;
            break;
    }
    if (code != 0) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
        complete(id, code, message);
        return;
    }
    spdlog::info("transfer: downloaded {} bytes for \"{}\"", result.bytes, record->command_key);
    if (record->file_type == kFirmware) {
        install(id, file);
    } else if (record->file_type == kConfiguration) {
        apply_configuration(id, file);
    } else {
        store_file(id, file);
    }
}

void TransferManager::install(std::uint64_t id, const std::filesystem::path& file) {
    // The image's path is quoted for the shell: the command line is never
    // built from anything the ACS sent.
    std::string quoted = "'";
    for (const char c : file.string()) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    quoted += "'";
    spdlog::info("transfer: installing the firmware image with `{} {}`", settings_.firmware_command,
                 quoted);
    installer_.start(settings_.firmware_command + " " + quoted, settings_.transfer_timeout,
                     [this, id, file](const lifecycle::ShellCommandResult& result) {
                         std::error_code ec;
                         std::filesystem::remove(file, ec);
                         if (!result.succeeded) {
                             complete(id, cwmp::kDownloadFailure,
                                      "the firmware command failed: " + result.description);
                             return;
                         }
                         // Committed before the restart: the new firmware sends
                         // "M Download" and the TransferComplete.
                         if (complete(id, 0, {}) && firmware_installed_) firmware_installed_();
                     });
}

void TransferManager::store_file(std::uint64_t id, const std::filesystem::path& file) {
    const TransferRecord& record = *find(id);
    const auto folder = settings_.files_dir / (record.file_type == kTone ? "tones" : "ringers");
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (!ec) std::filesystem::rename(file, folder / record.target_file_name, ec);
    if (ec) {
        std::filesystem::remove(file, ec);
        complete(id, cwmp::kInternalError, "cannot store the file: " + ec.message());
        return;
    }
    complete(id, 0, {});
}

void TransferManager::apply_configuration(std::uint64_t id, const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string text(std::istreambuf_iterator<char>(in), {});
    in.close();
    std::error_code ec;
    std::filesystem::remove(file, ec);
    auto writes = parse_configuration_file(text);
    if (!writes) {
        complete(id, cwmp::kFileCorrupted, writes.error());
        return;
    }
    datamodel::ChangeSet changes;
    changes.writes = std::move(*writes);
    if (!complete(id, 0, {}, std::move(changes))) {
        // complete() has recorded the refusal as the outcome.
        return;
    }
}

bool TransferManager::complete(std::uint64_t id, std::uint32_t fault_code, std::string fault_string,
                               datamodel::ChangeSet alongside) {
    running_.reset();
    TransferList updated = list_;
    auto it = std::find_if(updated.transfers.begin(), updated.transfers.end(),
                           [id](const auto& r) { return r.id == id; });
    if (it == updated.transfers.end()) {
        schedule_next();
        return false;
    }
    it->state = TransferState::Completed;
    it->complete_time = utc_now_iso8601();
    if (it->start_time == "0001-01-01T00:00:00Z") it->start_time = it->complete_time;
    it->fault = {fault_code, fault_string.substr(0, 256)};
    // A configuration file's values, the outcome and the events in one
    // transaction: after a power cut either all of it happened or none.
    alongside.meta.push_back({std::string(kTransfersMetaKey), to_json(updated)});
    alongside.queue_events = missing_events(*it);
    alongside.internal_source = datamodel::ChangeSource::Controller;
    bool alongside_applied = true;
    auto committed = model_.apply(alongside);
    if (!committed && !alongside.writes.empty()) {
        // The file's values were refused: the outcome says why, nothing else
        // changed.
        std::string why;
        for (const auto& error : committed.error()) {
            why += (why.empty() ? "" : "; ") + error.path + ": " + error.message;
        }
        spdlog::warn("transfer: configuration file of \"{}\" refused: {}", it->command_key, why);
        it->fault = {cwmp::kDownloadFailure, ("configuration refused: " + why).substr(0, 256)};
        alongside.writes.clear();
        alongside.meta.back().value = to_json(updated);
        alongside_applied = false;
        committed = model_.apply(alongside);
    }
    if (!committed) {
        spdlog::error("transfer: cannot store the outcome of \"{}\": {}", it->command_key,
                      committed.error().front().message);
        schedule_next();
        return false;
    }
    list_ = std::move(updated);
    const TransferRecord& record = *find(id);
    if (record.fault.fault_code == 0) {
        spdlog::info("transfer: \"{}\" ({}) complete", record.command_key, record.file_type);
    } else {
        spdlog::warn("transfer: \"{}\" ({}) failed: {} {}", record.command_key, record.file_type,
                     record.fault.fault_code, record.fault.fault_string);
    }
    if (completed_) completed_();
    schedule_next();
    return alongside_applied;
}

std::vector<CpeRequest> TransferManager::completion_requests() {
    std::vector<CpeRequest> requests;
    for (const auto& record : list_.transfers) {
        if (record.state != TransferState::Completed) continue;
        CpeRequest request;
        request.body = cwmp::TransferComplete{record.command_key, record.fault, record.start_time,
                                              record.complete_time};
        request.events = {{std::string(cwmp::event::kTransferComplete), ""},
                          {std::string(event_for(record.direction)), record.command_key}};
        request.answered = [this, id = record.id](const cwmp::Body&) { acknowledged(id); };
        requests.push_back(std::move(request));
    }
    return requests;
}

void TransferManager::acknowledged(std::uint64_t id) {
    TransferList updated = list_;
    std::erase_if(updated.transfers, [id](const auto& r) { return r.id == id; });
    if (updated == list_) return;
    // A transfer that completed during this session shares the
    // "7 TRANSFER COMPLETE" just delivered: it is owed a new one.
    datamodel::ChangeSet changes;
    changes.meta.push_back({std::string(kTransfersMetaKey), to_json(updated)});
    for (const auto& record : updated.transfers) {
        if (record.state != TransferState::Completed) continue;
        for (auto& event : missing_events(record)) {
            const bool queued = std::any_of(
                changes.queue_events.begin(), changes.queue_events.end(), [&](const auto& e) {
                    return e.code == event.code && e.command_key == event.command_key;
                });
            if (!queued) changes.queue_events.push_back(std::move(event));
        }
    }
    if (auto committed = model_.apply(changes); !committed) {
        // Sent again after a restart: the lesser harm.
        spdlog::error("transfer: cannot remove an acknowledged transfer from the store: {}",
                      committed.error().front().message);
        return;
    }
    list_ = std::move(updated);
    if (!changes.queue_events.empty() && completed_) completed_();
}

}  // namespace agent::transfer
