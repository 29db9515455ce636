#include "cli/http_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cctype>
#include <mutex>

namespace acssim::cli {

namespace {

void initialise_curl_once() {
    // curl_global_init is not thread-safe; every client shares one call.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    std::string* body;
    HttpReply* reply;
    std::size_t max_bytes;
    bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto& transfer = *static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    if (transfer.body->size() + bytes > transfer.max_bytes) {
        transfer.too_large = true;
        return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
    }
    transfer.body->append(data, bytes);
    return bytes;
}

bool starts_with_no_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) !=
            std::tolower(static_cast<unsigned char>(prefix[i]))) {
            return false;
        }
    }
    return true;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& transfer = *static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    std::string_view line{data, bytes};
    constexpr std::string_view kSetCookie = "set-cookie:";
    if (transfer.reply->cookie.empty() && starts_with_no_case(line, kSetCookie)) {
        line.remove_prefix(kSetCookie.size());
        const auto begin = line.find_first_not_of(" \t");
        if (begin != std::string_view::npos) {
            line.remove_prefix(begin);
            transfer.reply->cookie = std::string{line.substr(0, line.find_first_of(";\r\n"))};
        }
    }
    return bytes;
}

}  // namespace

struct HttpClient::Impl {
    HttpClientLimits limits;
    CURL* handle = nullptr;
};

HttpClient::HttpClient(HttpClientLimits limits) : impl_(std::make_unique<Impl>()) {
    initialise_curl_once();
    impl_->limits = limits;
    impl_->handle = curl_easy_init();
}

HttpClient::~HttpClient() {
    if (impl_->handle != nullptr) curl_easy_cleanup(impl_->handle);
}

phonecwmp::Expected<HttpReply, std::string> HttpClient::request(std::string_view method,
                                                                const std::string& url,
                                                                std::string_view body,
                                                                std::string_view content_type,
                                                                std::string_view cookie) {
    CURL* curl = impl_->handle;
    if (curl == nullptr) return phonecwmp::Unexpected(std::string{"libcurl could not start"});
    curl_easy_reset(curl);

    HttpReply reply;
    Transfer transfer{&reply.body, &reply, impl_->limits.max_reply_bytes};
    const std::string method_text{method};
    const std::string body_text{body};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(impl_->limits.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    if (method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_text.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body_text.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(body_text.size()));
    }
    curl_slist* headers = nullptr;
    // An empty body is a CWMP empty POST or a bodiless NBI call: no type.
    const std::string type_header = fmt::format("Content-Type: {}", content_type);
    if (!content_type.empty()) headers = curl_slist_append(headers, type_header.c_str());
    // curl would otherwise wait a second for "100 Continue" on large bodies.
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    const std::string cookie_text{cookie};
    if (!cookie_text.empty()) curl_easy_setopt(curl, CURLOPT_COOKIE, cookie_text.c_str());

    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (transfer.too_large) {
        return phonecwmp::Unexpected(fmt::format("{} {}: reply larger than {} bytes", method, url,
                                                 impl_->limits.max_reply_bytes));
    }
    if (code != CURLE_OK) {
        return phonecwmp::Unexpected(
            fmt::format("{} {}: {}", method, url, curl_easy_strerror(code)));
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    char* type = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    if (type != nullptr) reply.content_type = type;
    return reply;
}

}  // namespace acssim::cli
