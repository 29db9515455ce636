#include "http/curl_multi_client.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <stdexcept>
#include <utility>

namespace agent::http {

namespace {

// libcurl must be initialised once per process before any handle exists.
struct CurlGlobal {
    CurlGlobal() {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("curl_global_init failed");
        }
    }
    ~CurlGlobal() { curl_global_cleanup(); }
};

void ensure_curl_global() {
    static CurlGlobal global;
}

}  // namespace

struct CurlMultiClient::SocketWatch {
    SocketWatch(boost::asio::io_context& io, curl_socket_t fd) : socket(fd), descriptor(io, fd) {}
    curl_socket_t socket;
    boost::asio::posix::stream_descriptor descriptor;
    int what = 0;
    bool reading = false;
    bool writing = false;
    bool removed = false;
};

// ---- channel -----------------------------------------------------------------

class CurlChannel final : public Channel {
public:
    CurlChannel(CurlMultiClient& client, ChannelSettings settings)
        : client_(client), settings_(std::move(settings)), easy_(curl_easy_init()) {
        if (easy_ == nullptr) {
            throw std::runtime_error("curl_easy_init failed");
        }
        // An empty cookie file turns on the cookie engine: cookies set by the
        // ACS are echoed for the life of this channel, i.e. one CWMP session.
        curl_easy_setopt(easy_, CURLOPT_COOKIEFILE, "");
        curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(easy_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(easy_, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(easy_, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));
        curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!settings_.ca_file.empty()) {
            curl_easy_setopt(easy_, CURLOPT_CAINFO, settings_.ca_file.c_str());
        }
        if (!settings_.client_certificate.empty()) {
            curl_easy_setopt(easy_, CURLOPT_SSLCERT, settings_.client_certificate.c_str());
            curl_easy_setopt(easy_, CURLOPT_SSLKEY, settings_.client_key.c_str());
        }
        if (!settings_.username.empty()) {
            curl_easy_setopt(easy_, CURLOPT_USERNAME, settings_.username.c_str());
            curl_easy_setopt(easy_, CURLOPT_PASSWORD, settings_.password.c_str());
        }
        curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS,
                         static_cast<long>(settings_.request_timeout.count()));
        curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(settings_.request_timeout.count()));
        curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &CurlChannel::on_body);
        curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
        curl_easy_setopt(easy_, CURLOPT_CLOSESOCKETFUNCTION, &CurlMultiClient::on_close_socket);
        curl_easy_setopt(easy_, CURLOPT_CLOSESOCKETDATA, &client_);
        curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_);
    }

    ~CurlChannel() override {
        cancel();
        curl_slist_free_all(headers_);
        curl_easy_cleanup(easy_);
    }

    void post(Request request, Completion done) override {
        cancel();
        request_ = std::move(request);
        response_ = Response{};
        error_[0] = '\0';
        too_large_ = false;

        curl_easy_setopt(easy_, CURLOPT_URL, request_.url.c_str());
        // HTTP Basic sends the password in clear: only over TLS (TR-069 §3.4.4).
        const bool tls = request_.url.rfind("https://", 0) == 0;
        curl_easy_setopt(easy_, CURLOPT_HTTPAUTH,
                         tls ? (CURLAUTH_DIGEST | CURLAUTH_BASIC) : CURLAUTH_DIGEST);
        curl_easy_setopt(easy_, CURLOPT_POST, 1L);
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request_.body.data());
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(request_.body.size()));

        curl_slist_free_all(headers_);
        headers_ = nullptr;
        // No "Expect: 100-continue": CWMP messages are small and some ACSes
        // do not answer it.
        headers_ = curl_slist_append(headers_, "Expect:");
        if (request_.body.empty()) {
            headers_ = curl_slist_append(headers_, "Content-Type:");
        }
        for (const auto& header : request_.headers) {
            headers_ = curl_slist_append(headers_, header.c_str());
        }
        curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);

        done_ = std::move(done);
        busy_ = true;
        // The completion is posted to the io_context; by the time it runs this
        // channel may be gone or on its next request.
        client_.add(easy_, [this, alive = std::weak_ptr<int>(alive_),
                            generation = ++generation_](CURLcode code) {
            if (alive.lock() && generation == generation_) {
                finished(code);
            }
        });
    }

    void cancel() override {
        if (busy_) {
            client_.remove(easy_);
            busy_ = false;
            done_ = nullptr;
            ++generation_;
        }
    }

private:
    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
        auto* channel = static_cast<CurlChannel*>(self);
        const std::size_t bytes = size * count;
        if (channel->response_.body.size() + bytes > channel->settings_.max_response_bytes) {
            channel->too_large_ = true;
            return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
        }
        channel->response_.body.append(data, bytes);
        return bytes;
    }

    void finished(CURLcode code) {
        busy_ = false;
        auto done = std::move(done_);
        done_ = nullptr;
        if (!done) {
            return;
        }
        if (code != CURLE_OK) {
            std::string message = too_large_
                                      ? "response larger than " +
                                            std::to_string(settings_.max_response_bytes) + " bytes"
                                      : std::string(curl_easy_strerror(code));
            if (!too_large_ && error_[0] != '\0') {
                message += ": ";
                message += error_;
            }
            done(phonecwmp::Unexpected(TransportError{std::move(message)}));
            return;
        }
        curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &response_.status);
        char* content_type = nullptr;
        curl_easy_getinfo(easy_, CURLINFO_CONTENT_TYPE, &content_type);
        response_.content_type = content_type != nullptr ? content_type : "";
        done(std::move(response_));
    }

    CurlMultiClient& client_;
    ChannelSettings settings_;
    CURL* easy_;
    curl_slist* headers_ = nullptr;
    Request request_;
    Response response_;
    Completion done_;
    bool busy_ = false;
    bool too_large_ = false;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
    unsigned generation_ = 0;
    char error_[CURL_ERROR_SIZE] = {};
};

// ---- multi -------------------------------------------------------------------

CurlMultiClient::CurlMultiClient(boost::asio::io_context& io) : io_(io), timer_(io) {
    ensure_curl_global();
    multi_ = curl_multi_init();
    if (multi_ == nullptr) {
        throw std::runtime_error("curl_multi_init failed");
    }
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMultiClient::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMultiClient::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlMultiClient::~CurlMultiClient() {
    for (auto& [easy, done] : in_flight_) {
        curl_multi_remove_handle(multi_, easy);
    }
    in_flight_.clear();
    timer_.cancel();
    curl_multi_cleanup(multi_);  // closes cached connections through on_close_socket
    for (auto& [socket, watch] : sockets_) {
        watch->removed = true;
        watch->descriptor.release();
    }
    sockets_.clear();
}

std::unique_ptr<Channel> CurlMultiClient::open(const ChannelSettings& settings) {
    return std::make_unique<CurlChannel>(*this, settings);
}

void CurlMultiClient::add(CURL* easy, std::function<void(CURLcode)> done) {
    in_flight_[easy] = std::move(done);
    curl_multi_add_handle(multi_, easy);
}

void CurlMultiClient::remove(CURL* easy) {
    if (in_flight_.erase(easy) > 0) {
        curl_multi_remove_handle(multi_, easy);
    }
}

int CurlMultiClient::on_socket(CURL*, curl_socket_t socket, int what, void* self, void*) {
    static_cast<CurlMultiClient*>(self)->watch(socket, what);
    return 0;
}

int CurlMultiClient::on_timer(CURLM*, long timeout_ms, void* self) {
    auto* client = static_cast<CurlMultiClient*>(self);
    client->timer_.cancel();
    if (timeout_ms >= 0) {
        // Never call back into libcurl from inside its own callback: the
        // timeout is acted on from the io_context.
        client->timer_.expires_after(std::chrono::milliseconds(timeout_ms));
        client->timer_.async_wait([client](const boost::system::error_code& ec) {
            if (!ec) {
                client->socket_action(CURL_SOCKET_TIMEOUT, 0);
            }
        });
    }
    return 0;
}

int CurlMultiClient::on_close_socket(void* self, curl_socket_t socket) {
    auto* client = static_cast<CurlMultiClient*>(self);
    if (auto it = client->sockets_.find(socket); it != client->sockets_.end()) {
        it->second->removed = true;
        it->second->descriptor.cancel();
        it->second->descriptor.release();
        client->sockets_.erase(it);
    }
    return ::close(socket);
}

void CurlMultiClient::watch(curl_socket_t socket, int what) {
    if (what == CURL_POLL_REMOVE) {
        if (auto it = sockets_.find(socket); it != sockets_.end()) {
            it->second->removed = true;
            it->second->descriptor.cancel();
            // The socket belongs to libcurl: stop watching without closing it.
            it->second->descriptor.release();
            sockets_.erase(it);
        }
        return;
    }
    auto& watch = sockets_[socket];
    if (!watch) {
        watch = std::make_shared<SocketWatch>(io_, socket);
    }
    watch->what = what;
    arm(watch);
}

void CurlMultiClient::arm(const std::shared_ptr<SocketWatch>& watch) {
    using boost::asio::posix::stream_descriptor;
    if ((watch->what & CURL_POLL_IN) != 0 && !watch->reading) {
        watch->reading = true;
        watch->descriptor.async_wait(stream_descriptor::wait_read,
                                     [this, watch](const boost::system::error_code& ec) {
                                         watch->reading = false;
                                         if (!ec && !watch->removed) {
                                             socket_action(watch->socket, CURL_CSELECT_IN);
                                         }
                                     });
    }
    if ((watch->what & CURL_POLL_OUT) != 0 && !watch->writing) {
        watch->writing = true;
        watch->descriptor.async_wait(stream_descriptor::wait_write,
                                     [this, watch](const boost::system::error_code& ec) {
                                         watch->writing = false;
                                         if (!ec && !watch->removed) {
                                             socket_action(watch->socket, CURL_CSELECT_OUT);
                                         }
                                     });
    }
}

void CurlMultiClient::socket_action(curl_socket_t socket, int events) {
    int running = 0;
    curl_multi_socket_action(multi_, socket, events, &running);
    collect_finished();
    // libcurl may still want the socket after acting on it: wait again.
    if (socket != CURL_SOCKET_TIMEOUT) {
        if (auto it = sockets_.find(socket); it != sockets_.end()) {
            arm(it->second);
        }
    }
}

void CurlMultiClient::collect_finished() {
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
        if (message->msg != CURLMSG_DONE) {
            continue;
        }
        CURL* easy = message->easy_handle;
        const CURLcode code = message->data.result;
        curl_multi_remove_handle(multi_, easy);
        auto it = in_flight_.find(easy);
        if (it == in_flight_.end()) {
            continue;
        }
        auto done = std::move(it->second);
        in_flight_.erase(it);
        // Completions run from the io_context, never from inside libcurl's
        // bookkeeping, so they may start the next request at once.
        boost::asio::post(io_, [done = std::move(done), code] { done(code); });
    }
}

}  // namespace agent::http
