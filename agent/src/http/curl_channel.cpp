#include "http/curl_channel.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <exception>
#include <utility>

#include "http/tls_failure.hpp"

namespace agent::http {

CurlChannel::CurlChannel(CurlMultiClient& client, ChannelSettings settings)
    : client_(client),
      settings_(std::move(settings)),
      easy_(curl_easy_init()),
      session_deadline_(std::chrono::steady_clock::now() + settings_.session_timeout) {
    if (easy_ == nullptr) {
        setup_error_ = "curl_easy_init failed";
        return;
    }
    configure();
}

CurlChannel::~CurlChannel() {
    cancel();
    if (easy_ != nullptr) {
        curl_easy_cleanup(easy_);
    }
    if (connections_ != nullptr) {
        curl_share_cleanup(connections_);  // closes the session's connection
    }
    curl_slist_free_all(headers_);
    curl_slist_free_all(resolve_);
}

void CurlChannel::configure() {
    const auto set = [this](CURLoption option, auto value, const char* name) {
        if (!setup_error_.empty()) {
            return;
        }
        if (const CURLcode code = curl_easy_setopt(easy_, option, value); code != CURLE_OK) {
            setup_error_ = std::string("cannot set ") + name + ": " + curl_easy_strerror(code);
        }
    };
    // An empty cookie file turns on the cookie engine: cookies set by the
    // ACS are echoed for the life of this channel, i.e. one CWMP session.
    set(CURLOPT_COOKIEFILE, "", "CURLOPT_COOKIEFILE");
    set(CURLOPT_NOSIGNAL, 1L, "CURLOPT_NOSIGNAL");
    set(CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR");
    // TR-069 sessions are HTTP/1.1 persistent connections: no h2 over TLS.
    set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1), "CURLOPT_HTTP_VERSION");
    // A redirect is the session engine's decision (Response::redirect_url),
    // and following one here would make libcurl resolve the new host itself.
    set(CURLOPT_FOLLOWLOCATION, 0L, "CURLOPT_FOLLOWLOCATION");
    // No proxy from the environment: the only host libcurl connects to is
    // the one we resolved.
    set(CURLOPT_PROXY, "", "CURLOPT_PROXY");
    // Belt and braces: should libcurl ever miss our CURLOPT_RESOLVE entry it
    // must fail rather than run its own resolver (whose thread is joined on
    // the io_context thread when a transfer is removed mid-resolve).
    set(CURLOPT_RESOLVER_START_FUNCTION, &CurlChannel::on_curl_resolve,
        "CURLOPT_RESOLVER_START_FUNCTION");
    set(CURLOPT_RESOLVER_START_DATA, static_cast<void*>(this), "CURLOPT_RESOLVER_START_DATA");
    // The ACS's chain and host name are always verified: there is no
    // setting that turns verification off, and no fallback to plain HTTP.
    set(CURLOPT_SSL_VERIFYPEER, 1L, "CURLOPT_SSL_VERIFYPEER");
    set(CURLOPT_SSL_VERIFYHOST, 2L, "CURLOPT_SSL_VERIFYHOST");
    set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2), "CURLOPT_SSLVERSION");
    if (!settings_.ca_file.empty()) {
        set(CURLOPT_CAINFO, settings_.ca_file.c_str(), "CURLOPT_CAINFO");
    }
    if (!settings_.client_key.empty() && settings_.client_certificate.empty()) {
        setup_error_ = "a client key needs its client certificate";
    }
    if (!settings_.client_certificate.empty()) {
        set(CURLOPT_SSLCERT, settings_.client_certificate.c_str(), "CURLOPT_SSLCERT");
        set(CURLOPT_SSLCERTTYPE, "PEM", "CURLOPT_SSLCERTTYPE");
        // Without a key file libcurl reads the key from the certificate file.
        if (!settings_.client_key.empty()) {
            set(CURLOPT_SSLKEY, settings_.client_key.c_str(), "CURLOPT_SSLKEY");
        }
    }
    if (!settings_.username.empty()) {
        set(CURLOPT_USERNAME, settings_.username.c_str(), "CURLOPT_USERNAME");
        set(CURLOPT_PASSWORD, settings_.password.c_str(), "CURLOPT_PASSWORD");
    }
    set(CURLOPT_POST, 1L, "CURLOPT_POST");
    set(CURLOPT_WRITEFUNCTION, &CurlChannel::on_body, "CURLOPT_WRITEFUNCTION");
    set(CURLOPT_WRITEDATA, static_cast<void*>(this), "CURLOPT_WRITEDATA");
    set(CURLOPT_OPENSOCKETFUNCTION, &CurlChannel::on_open_socket, "CURLOPT_OPENSOCKETFUNCTION");
    set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(this), "CURLOPT_OPENSOCKETDATA");
    set(CURLOPT_CLOSESOCKETFUNCTION, &CurlMultiClient::on_close_socket,
        "CURLOPT_CLOSESOCKETFUNCTION");
    set(CURLOPT_CLOSESOCKETDATA, static_cast<void*>(&client_), "CURLOPT_CLOSESOCKETDATA");
    set(CURLOPT_ERRORBUFFER, static_cast<char*>(error_), "CURLOPT_ERRORBUFFER");
}

void CurlChannel::post(Request request, Completion done) {
    cancel();
    request_ = std::move(request);
    done_ = std::move(done);
    busy_ = true;
    ++generation_;
    started_ = std::chrono::steady_clock::now();
    if (!setup_error_.empty()) {
        fail_later(setup_error_);
        return;
    }
    if (started_ >= session_deadline_) {
        fail_later(session_expired());
        return;
    }
    auto target = parse_request_target(request_.url);
    if (!target) {
        fail_later(target.error());
        return;
    }
    if (target->ip_literal) {
        start(*target, {});
        return;
    }
    if (target->host == resolved_host_ && !resolved_addresses_.empty()) {
        start(*target, resolved_addresses_);
        return;
    }
    // A cancelled or destroyed channel, or one already on its next request,
    // ignores the answer: the lookup itself runs to its (bounded) end.
    client_.resolver().resolve(target->host, time_left(started_),
                               [this, alive = std::weak_ptr<int>(alive_), generation = generation_,
                                target = *target](net::ResolveResult result) {
                                   if (alive.lock() && generation == generation_) {
                                       resolved(target, std::move(result));
                                   }
                               });
}

void CurlChannel::cancel() {
    if (!busy_) {
        return;
    }
    client_.remove(easy_);  // nothing to do while the host is being resolved
    busy_ = false;
    done_ = nullptr;
    ++generation_;
}

void CurlChannel::end() {
    cancel();
    // Not in the multi handle any more (cancel() or the finished transfer
    // removed it), so the cache may go, and the connection with it.
    close_connection_cache();
    connected_origin_.clear();
}

void CurlChannel::resolved(const RequestTarget& target, net::ResolveResult result) {
    if (!result) {
        fail_later(result.error().message);
        return;
    }
    resolved_host_ = target.host;
    resolved_addresses_ = std::move(*result);
    start(target, resolved_addresses_);
}

void CurlChannel::start(const RequestTarget& target, const net::Addresses& addresses) {
    curl_slist* resolve = nullptr;
    if (!target.ip_literal) {
        const std::string entry = resolve_entry(target, addresses);
        if (entry.empty()) {
            fail_later("cannot resolve " + target.host + ": no usable address");
            return;
        }
        resolve = curl_slist_append(nullptr, entry.c_str());
        if (resolve == nullptr) {
            fail_later("out of memory");
            return;
        }
    }
    literal_host_ = target.ip_literal;
    // One session, one connection (TR-069 §3.4.1): a new session never
    // continues on the connection of the previous one, which an ACS may still
    // associate with that session.
    curl_easy_setopt(easy_, CURLOPT_FRESH_CONNECT, first_request_ ? 1L : 0L);
    first_request_ = false;
    // Once the session has its connection to this ACS, it keeps it: when the
    // ACS closed it, libcurl would quietly resend on a new one, which the
    // ACS would not know as part of this session. A redirect to another
    // host, port or scheme needs a connection of its own.
    const std::string origin =
        target.scheme + "://" + target.host + ":" + std::to_string(target.port);
    may_connect_ = origin != connected_origin_;
    request_origin_ = origin;
    refused_connection_ = false;
    if (may_connect_ && !renew_connection_cache()) {
        fail_later("cannot set up libcurl's connection cache");
        return;
    }
    // Loaded into libcurl's DNS cache when the transfer starts, replacing
    // any older entry for host:port; an IP literal needs none.
    curl_easy_setopt(easy_, CURLOPT_RESOLVE, resolve);
    curl_slist_free_all(resolve_);
    resolve_ = resolve;

    curl_slist* headers = nullptr;
    bool headers_ok = true;
    const auto add_header = [&headers, &headers_ok](const char* header) {
        curl_slist* more = curl_slist_append(headers, header);
        if (more == nullptr) {
            headers_ok = false;
            return;
        }
        headers = more;
    };
    // No "Expect: 100-continue": CWMP messages are small and some ACSes
    // do not answer it.
    add_header("Expect:");
    if (request_.body.empty()) {
        add_header("Content-Type:");  // the CWMP empty POST carries no type
    }
    for (const auto& header : request_.headers) {
        add_header(header.c_str());
    }
    if (!headers_ok) {
        curl_slist_free_all(headers);
        fail_later("out of memory");
        return;
    }
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers);
    curl_slist_free_all(headers_);
    headers_ = headers;

    curl_easy_setopt(easy_, CURLOPT_URL, request_.url.c_str());
    // HTTP Basic sends the password in clear: only over TLS (TR-069 §3.4.4).
    // Two or more methods (or CURLAUTH_ONLY) make libcurl send the real POST
    // and answer the 401 challenge, instead of first probing with an empty
    // POST that an ACS would take for a message outside any session.
    const unsigned long auth = target.scheme == "https" ? (CURLAUTH_DIGEST | CURLAUTH_BASIC)
                                                        : (CURLAUTH_DIGEST | CURLAUTH_ONLY);
    curl_easy_setopt(easy_, CURLOPT_HTTPAUTH, auth);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request_.body.data());
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request_.body.size()));

    // The request timeout covers the name lookup and the transfer.
    const auto left = time_left(std::chrono::steady_clock::now());
    if (left.count() <= 0) {
        fail_later(timed_out());
        return;
    }
    curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
    curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(left.count()));

    response_ = Response{};
    error_[0] = '\0';
    too_large_ = false;
    // The completion is posted to the io_context; by the time it runs this
    // channel may be gone or on its next request.
    client_.add(easy_, [this, alive = std::weak_ptr<int>(alive_),
                        generation = generation_](CurlMultiClient::Outcome outcome) {
        if (alive.lock() && generation == generation_) {
            finished(std::move(outcome));
        }
    });
}

std::size_t CurlChannel::on_body(char* data, std::size_t size, std::size_t count,
                                 void* self) noexcept {
    auto* channel = static_cast<CurlChannel*>(self);
    const std::size_t bytes = size * count;
    if (channel->response_.body.size() + bytes > channel->settings_.max_response_bytes) {
        channel->too_large_ = true;
        return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
    }
    try {
        channel->response_.body.append(data, bytes);
    } catch (...) {
        return 0;
    }
    return bytes;
}

curl_socket_t CurlChannel::on_open_socket(void* self, curlsocktype,
                                          curl_sockaddr* address) noexcept {
    auto* channel = static_cast<CurlChannel*>(self);
    if (!channel->may_connect_) {
        channel->refused_connection_ = true;
        return CURL_SOCKET_BAD;
    }
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

int CurlChannel::on_curl_resolve(void*, void*, void* self) noexcept {
    const auto* channel = static_cast<CurlChannel*>(self);
    if (channel->literal_host_) {
        return 0;  // an IP literal: libcurl converts it without resolving
    }
    try {
        spdlog::error("http: libcurl tried to resolve {} by itself; refused",
                      channel->request_.url);
    } catch (...) {
    }
    return 1;
}

void CurlChannel::finished(CurlMultiClient::Outcome outcome) {
    if (!outcome.failure.empty()) {
        complete(phonecwmp::Unexpected(TransportError{std::move(outcome.failure)}));
        return;
    }
    if (outcome.code != CURLE_OK) {
        std::string message;
        long verify_result = 0;
        curl_easy_getinfo(easy_, CURLINFO_SSL_VERIFYRESULT, &verify_result);
        if (refused_connection_) {
            message = "the ACS closed the session's connection";
        } else if (too_large_) {
            message =
                "response larger than " + std::to_string(settings_.max_response_bytes) + " bytes";
        } else if (outcome.code == CURLE_OPERATION_TIMEDOUT) {
            message = timed_out();
        } else if (const auto tls = classify_tls_failure(outcome.code, verify_result, error_)) {
            message = "TLS: " + std::string(to_string(*tls)) + ": " +
                      (error_[0] != '\0' ? error_ : curl_easy_strerror(outcome.code));
        } else {
            message = curl_easy_strerror(outcome.code);
            if (error_[0] != '\0') {
                message += ": ";
                message += error_;
            }
        }
        complete(phonecwmp::Unexpected(TransportError{std::move(message)}));
        return;
    }
    connected_origin_ = request_origin_;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &response_.status);
    char* content_type = nullptr;
    curl_easy_getinfo(easy_, CURLINFO_CONTENT_TYPE, &content_type);
    response_.content_type = content_type != nullptr ? content_type : "";
    if (response_.status >= 300 && response_.status < 400) {
        char* location = nullptr;  // absolute, resolved against the request URL
        curl_easy_getinfo(easy_, CURLINFO_REDIRECT_URL, &location);
        response_.redirect_url = location != nullptr ? location : "";
    }
    complete(std::move(response_));
}

bool CurlChannel::renew_connection_cache() {
    close_connection_cache();
    connections_ = curl_share_init();
    if (connections_ == nullptr) {
        return false;
    }
    if (curl_share_setopt(connections_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK ||
        curl_easy_setopt(easy_, CURLOPT_SHARE, connections_) != CURLE_OK) {
        close_connection_cache();
        return false;
    }
    return true;
}

void CurlChannel::close_connection_cache() {
    if (connections_ == nullptr) {
        return;
    }
    // Detached first: libcurl refuses to clean up a share still in use. The
    // easy handle is not in the multi handle here (no transfer running).
    curl_easy_setopt(easy_, CURLOPT_SHARE, static_cast<CURLSH*>(nullptr));
    if (const CURLSHcode code = curl_share_cleanup(connections_); code != CURLSHE_OK) {
        spdlog::error("http: cannot close the previous connection: {}", curl_share_strerror(code));
    }
    connections_ = nullptr;
}

std::chrono::milliseconds CurlChannel::time_left(std::chrono::steady_clock::time_point now) const {
    const auto request_left = started_ + settings_.request_timeout - now;
    const auto session_left = session_deadline_ - now;
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::min(request_left, session_left));
}

std::string CurlChannel::timed_out() const {
    // Whichever bound ran out first names the failure.
    if (started_ + settings_.request_timeout <= session_deadline_) {
        return "no answer within " + std::to_string(settings_.request_timeout.count()) + " ms";
    }
    return session_expired();
}

std::string CurlChannel::session_expired() const {
    return "session exceeded its limit of " + std::to_string(settings_.session_timeout.count()) +
           " ms";
}

void CurlChannel::fail_later(std::string message) {
    boost::asio::post(client_.io(), [this, alive = std::weak_ptr<int>(alive_),
                                     generation = generation_, message = std::move(message)] {
        if (alive.lock() && generation == generation_) {
            complete(phonecwmp::Unexpected(TransportError{message}));
        }
    });
}

void CurlChannel::complete(Result result) {
    busy_ = false;
    auto done = std::move(done_);
    done_ = nullptr;
    if (done) {
        done(std::move(result));
    }
}

}  // namespace agent::http
