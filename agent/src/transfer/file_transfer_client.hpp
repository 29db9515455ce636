// HTTP(S) file transfers for Download and Upload: a GET into a file or a PUT
// of a buffer, over libcurl's multi interface on the agent's io_context (the
// same CurlMultiClient as the ACS sessions, so nothing blocks the thread).
// Host names are resolved by our own resolver and handed to libcurl, as for
// the sessions. Every transfer is bounded in size and time.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "http/curl_multi_client.hpp"

namespace agent::transfer {

struct FileTransferRequest {
    std::string url;
    std::string username;  // empty: no authentication
    std::string password;
    std::chrono::milliseconds timeout{std::chrono::minutes(10)};
    std::string ca_file;  // empty: the system's trust store
};

// What became of a transfer, classified for TransferComplete's fault codes.
struct FileTransferResult {
    enum class Kind {
        Done,          // 2xx
        Unreachable,   // name lookup or connect failed
        AuthRejected,  // 401 / 407 / 403 after credentials
        NotFound,      // 404 / 410 and other 4xx for a download
        HttpError,     // any other HTTP status
        TooLarge,      // the size limit was exceeded
        Interrupted,   // timeout or the connection broke mid-transfer
        LocalError,    // the file could not be written
    };
    Kind kind = Kind::Done;
    long status = 0;
    std::uint64_t bytes = 0;
    std::string message;  // for the log and FaultString
};

class FileTransferClient {
public:
    using Done = std::function<void(FileTransferResult)>;

    explicit FileTransferClient(http::CurlMultiClient& client);
    ~FileTransferClient();
    FileTransferClient(const FileTransferClient&) = delete;
    FileTransferClient& operator=(const FileTransferClient&) = delete;

    // GET into `destination` (created or truncated); at most max_bytes.
    // `done` is always called later from the io_context, unless cancel()
    // comes first. One transfer at a time.
    void download(FileTransferRequest request, std::filesystem::path destination,
                  std::uint64_t max_bytes, Done done);
    // PUT of `body`.
    void upload(FileTransferRequest request, std::string body, std::string content_type, Done done);
    void cancel();
    bool busy() const { return busy_; }

private:
    static std::size_t on_write(char* data, std::size_t size, std::size_t count,
                                void* self) noexcept;
    static std::size_t on_discard(char* data, std::size_t size, std::size_t count,
                                  void* self) noexcept;
    void begin(FileTransferRequest request, Done done);
    void start(const std::string& resolve_entry);
    void finished(http::CurlMultiClient::Outcome outcome);
    void complete(FileTransferResult result);
    void fail_later(FileTransferResult::Kind kind, std::string message);

    http::CurlMultiClient& client_;
    CURL* easy_ = nullptr;
    curl_slist* resolve_ = nullptr;
    curl_slist* headers_ = nullptr;
    FileTransferRequest request_;
    bool is_upload_ = false;
    std::string upload_body_;
    std::string content_type_;
    std::filesystem::path destination_;
    std::FILE* file_ = nullptr;
    std::uint64_t max_bytes_ = 0;
    std::uint64_t written_ = 0;
    bool too_large_ = false;
    bool write_failed_ = false;
    bool busy_ = false;
    Done done_;
    unsigned generation_ = 0;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
    char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace agent::transfer
