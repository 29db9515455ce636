#include "transfer/file_transfer_client.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <utility>

#include "http/request_target.hpp"

namespace agent::transfer {

FileTransferClient::FileTransferClient(http::CurlMultiClient& client) : client_(client) {}

FileTransferClient::~FileTransferClient() {
    cancel();
    if (easy_ != nullptr) curl_easy_cleanup(easy_);
    curl_slist_free_all(resolve_);
    curl_slist_free_all(headers_);
}

void FileTransferClient::download(FileTransferRequest request, std::filesystem::path destination,
                                  std::uint64_t max_bytes, Done done) {
    cancel();
    is_upload_ = false;
    destination_ = std::move(destination);
    max_bytes_ = max_bytes;
    begin(std::move(request), std::move(done));
}

void FileTransferClient::upload(FileTransferRequest request, std::string body,
                                std::string content_type, Done done) {
    cancel();
    is_upload_ = true;
    upload_body_ = std::move(body);
    content_type_ = std::move(content_type);
    begin(std::move(request), std::move(done));
}

void FileTransferClient::begin(FileTransferRequest request, Done done) {
    request_ = std::move(request);
    done_ = std::move(done);
    busy_ = true;
    ++generation_;
    auto target = http::parse_request_target(request_.url);
    if (!target) {
        fail_later(FileTransferResult::Kind::Unreachable, target.error());
        return;
    }
    if (target->ip_literal) {
        start({});
        return;
    }
    client_.resolver().resolve(
        target->host, request_.timeout,
        [this, alive = std::weak_ptr<int>(alive_), generation = generation_,
         target = *target](net::ResolveResult result) {
            if (!alive.lock() || generation != generation_) return;
            if (!result) {
                fail_later(FileTransferResult::Kind::Unreachable,
                           "cannot resolve " + target.host + ": " + result.error().message);
                return;
            }
            const std::string entry = http::resolve_entry(target, *result);
            if (entry.empty()) {
                fail_later(FileTransferResult::Kind::Unreachable,
                           "cannot resolve " + target.host + ": no usable address");
                return;
            }
            start(entry);
        });
}

void FileTransferClient::start(const std::string& resolve_entry) {
    if (easy_ != nullptr) curl_easy_cleanup(easy_);
    easy_ = curl_easy_init();
    if (easy_ == nullptr) {
        fail_later(FileTransferResult::Kind::LocalError, "curl_easy_init failed");
        return;
    }
    curl_slist_free_all(resolve_);
    resolve_ = nullptr;
    if (!resolve_entry.empty()) {
        resolve_ = curl_slist_append(nullptr, resolve_entry.c_str());
        if (resolve_ == nullptr) {
            fail_later(FileTransferResult::Kind::LocalError, "out of memory");
            return;
        }
    }
    curl_slist_free_all(headers_);
    headers_ = curl_slist_append(nullptr, "Expect:");
    if (is_upload_ && headers_ != nullptr) {
        headers_ = curl_slist_append(headers_, ("Content-Type: " + content_type_).c_str());
    }
    if (headers_ == nullptr) {
        fail_later(FileTransferResult::Kind::LocalError, "out of memory");
        return;
    }
    if (!is_upload_) {
        file_ = std::fopen(destination_.c_str(), "wb");
        if (file_ == nullptr) {
            fail_later(FileTransferResult::Kind::LocalError,
                       "cannot write " + destination_.string());
            return;
        }
    }
    written_ = 0;
    too_large_ = false;
    write_failed_ = false;
    error_[0] = '\0';

    curl_easy_setopt(easy_, CURLOPT_URL, request_.url.c_str());
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
    // Redirects would make libcurl resolve a new host by itself.
    curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy_, CURLOPT_PROXY, "");
    curl_easy_setopt(easy_, CURLOPT_RESOLVE, resolve_);
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!request_.ca_file.empty())
        curl_easy_setopt(easy_, CURLOPT_CAINFO, request_.ca_file.c_str());
    if (!request_.username.empty()) {
        curl_easy_setopt(easy_, CURLOPT_USERNAME, request_.username.c_str());
        curl_easy_setopt(easy_, CURLOPT_PASSWORD, request_.password.c_str());
        // Whatever the server asks for of the two; libcurl probes first, so
        // Basic is used only when the server offers nothing better.
        curl_easy_setopt(easy_, CURLOPT_HTTPAUTH,
                         static_cast<long>(CURLAUTH_DIGEST | CURLAUTH_BASIC));
    }
    curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(request_.timeout.count()));
    curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request_.timeout.count()));
    curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, static_cast<char*>(error_));
    curl_easy_setopt(easy_, CURLOPT_CLOSESOCKETFUNCTION, &http::CurlMultiClient::on_close_socket);
    curl_easy_setopt(easy_, CURLOPT_CLOSESOCKETDATA, static_cast<void*>(&client_));
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, static_cast<void*>(this));
    if (is_upload_) {
        curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, upload_body_.data());
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(upload_body_.size()));
        curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &FileTransferClient::on_discard);
    } else {
        curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &FileTransferClient::on_write);
        // An error page is not the file: only a 2xx body is written.
        curl_easy_setopt(easy_, CURLOPT_FAILONERROR, 0L);
    }
    client_.add(easy_, [this, alive = std::weak_ptr<int>(alive_),
                        generation = generation_](http::CurlMultiClient::Outcome outcome) {
        if (alive.lock() && generation == generation_) finished(std::move(outcome));
    });
}

std::size_t FileTransferClient::on_write(char* data, std::size_t size, std::size_t count,
                                         void* self) noexcept {
    auto* client = static_cast<FileTransferClient*>(self);
    const std::size_t bytes = size * count;
    long status = 0;
    curl_easy_getinfo(client->easy_, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300) {
        return bytes;  // the body of a 401 or 404: not the file, not kept
    }
    if (client->written_ + bytes > client->max_bytes_) {
        client->too_large_ = true;
        return 0;  // libcurl aborts with CURLE_WRITE_ERROR
    }
    if (std::fwrite(data, 1, bytes, client->file_) != bytes) {
        client->write_failed_ = true;
        return 0;
    }
    client->written_ += bytes;
    return bytes;
}

std::size_t FileTransferClient::on_discard(char*, std::size_t size, std::size_t count,
                                           void* self) noexcept {
    auto* client = static_cast<FileTransferClient*>(self);
    // The server's answer to a PUT is not needed, but it is bounded.
    client->written_ += size * count;
    return client->written_ > 64 * 1024 ? 0 : size * count;
}

void FileTransferClient::finished(http::CurlMultiClient::Outcome outcome) {
    FileTransferResult result;
    result.bytes = written_;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &result.status);
    bool closed = true;
    if (file_ != nullptr) {
        closed = std::fclose(file_) == 0;
        file_ = nullptr;
    }
    using Kind = FileTransferResult::Kind;
    if (!outcome.failure.empty()) {
        result.kind = Kind::LocalError;
        result.message = outcome.failure;
    } else if (too_large_) {
        result.kind = Kind::TooLarge;
        result.message = "file larger than " + std::to_string(max_bytes_) + " bytes";
    } else if (write_failed_ || !closed) {
        result.kind = Kind::LocalError;
        result.message = "cannot write " + destination_.string();
    } else if (outcome.code != CURLE_OK) {
        const bool no_contact = outcome.code == CURLE_COULDNT_CONNECT ||
                                outcome.code == CURLE_COULDNT_RESOLVE_HOST ||
                                outcome.code == CURLE_SSL_CONNECT_ERROR ||
                                outcome.code == CURLE_PEER_FAILED_VERIFICATION ||
                                (outcome.code == CURLE_OPERATION_TIMEDOUT && result.status == 0);
        result.kind = no_contact ? Kind::Unreachable : Kind::Interrupted;
        result.message = curl_easy_strerror(outcome.code);
        if (error_[0] != '\0') result.message += std::string(": ") + error_;
    } else if (result.status >= 200 && result.status < 300) {
        result.kind = Kind::Done;
    } else if (result.status == 401 || result.status == 403 || result.status == 407) {
        result.kind = Kind::AuthRejected;
        result.message =
            "the file server refused the credentials (HTTP " + std::to_string(result.status) + ")";
    } else if (result.status >= 400 && result.status < 500) {
        result.kind = Kind::NotFound;
        result.message = "the file server answered HTTP " + std::to_string(result.status);
    } else {
        result.kind = Kind::HttpError;
        result.message = "the file server answered HTTP " + std::to_string(result.status);
    }
    complete(std::move(result));
}

void FileTransferClient::cancel() {
    if (!busy_) return;
    if (easy_ != nullptr) client_.remove(easy_);
    if (file_ != nullptr) {
        std::fclose(file_);
        file_ = nullptr;
    }
    busy_ = false;
    done_ = nullptr;
    ++generation_;
}

void FileTransferClient::fail_later(FileTransferResult::Kind kind, std::string message) {
    boost::asio::post(client_.io(), [this, alive = std::weak_ptr<int>(alive_),
                                     generation = generation_, kind, message = std::move(message)] {
        if (alive.lock() && generation == generation_) {
            complete(FileTransferResult{kind, 0, 0, message});
        }
    });
}

void FileTransferClient::complete(FileTransferResult result) {
    busy_ = false;
    auto done = std::move(done_);
    done_ = nullptr;
    if (done) done(std::move(result));
}

}  // namespace agent::transfer
