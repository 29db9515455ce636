#include "http/curl_multi_client.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <exception>
#include <stdexcept>
#include <utility>

#include "http/curl_channel.hpp"

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
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

void ensure_curl_global() {
    static CurlGlobal global;
}

}  // namespace

struct CurlMultiClient::SocketWatch {
    SocketWatch(boost::asio::io_context& io, curl_socket_t fd) : socket(fd), descriptor(io) {}
    ~SocketWatch() { descriptor.release(); }  // the socket is libcurl's: never close it
    SocketWatch(const SocketWatch&) = delete;
    SocketWatch& operator=(const SocketWatch&) = delete;

    curl_socket_t socket;
    boost::asio::posix::stream_descriptor descriptor;
    int what = 0;
    bool reading = false;
    bool writing = false;
    bool removed = false;
};

CurlMultiClient::CurlMultiClient(boost::asio::io_context& io, net::ResolverOptions resolver_options)
    : io_(io), resolver_(io, resolver_options), timer_(io) {
    ensure_curl_global();
    multi_ = curl_multi_init();
    if (multi_ == nullptr) {
        throw std::runtime_error("curl_multi_init failed");
    }
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMultiClient::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMultiClient::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
    // A session's connection lives in its channel's own cache (CurlChannel::
    // connections_) and closes with it; this bounds the other transfers'.
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 1L);
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
        boost::system::error_code ignored;
        watch->descriptor.cancel(ignored);
        watch->descriptor.release();
    }
    sockets_.clear();
}

std::unique_ptr<Channel> CurlMultiClient::open(const ChannelSettings& settings) {
    return std::make_unique<CurlChannel>(*this, settings);
}

void CurlMultiClient::add(CURL* easy, Finished done) {
    in_flight_[easy] = std::move(done);
    const CURLMcode code = curl_multi_add_handle(multi_, easy);
    if (code == CURLM_OK) {
        return;
    }
    // The session must hear about it, or it would wait for ever.
    const std::string why = std::string("cannot start the transfer: ") + curl_multi_strerror(code);
    auto it = in_flight_.find(easy);
    Finished failed = std::move(it->second);
    in_flight_.erase(it);
    curl_multi_remove_handle(multi_, easy);  // in case it was added before the failure
    complete_later(std::move(failed), Outcome{CURLE_FAILED_INIT, why});
    if (code == CURLM_ABORTED_BY_CALLBACK) {
        // A callback failed: libcurl takes no new transfer until all have left.
        fail_all(why);
    }
}

void CurlMultiClient::remove(CURL* easy) {
    if (in_flight_.erase(easy) > 0) {
        if (const CURLMcode code = curl_multi_remove_handle(multi_, easy); code != CURLM_OK) {
            spdlog::error("http: curl_multi_remove_handle: {}", curl_multi_strerror(code));
        }
    }
}

// ---- callbacks from inside libcurl (C code: nothing may propagate) -----------

int CurlMultiClient::on_socket(CURL*, curl_socket_t socket, int what, void* self, void*) noexcept {
    try {
        return static_cast<CurlMultiClient*>(self)->watch(socket, what) ? 0 : -1;
    } catch (const std::exception& e) {
        spdlog::error("http: cannot watch socket {}: {}", socket, e.what());
    } catch (...) {
        spdlog::error("http: cannot watch socket {}", socket);
    }
    return -1;  // libcurl fails its transfers; socket_action() reports it
}

int CurlMultiClient::on_timer(CURLM*, long timeout_ms, void* self) noexcept {
    try {
        static_cast<CurlMultiClient*>(self)->arm_timer(timeout_ms);
        return 0;
    } catch (const std::exception& e) {
        spdlog::error("http: cannot arm the transfer timer: {}", e.what());
    } catch (...) {
        spdlog::error("http: cannot arm the transfer timer");
    }
    return -1;
}

int CurlMultiClient::on_close_socket(void* self, curl_socket_t socket) noexcept {
    try {
        static_cast<CurlMultiClient*>(self)->forget(socket);
    } catch (...) {
        spdlog::error("http: cannot stop watching socket {}", socket);
    }
    return ::close(socket);
}

// ---- socket and timer bookkeeping --------------------------------------------

bool CurlMultiClient::watch(curl_socket_t socket, int what) {
    if (what == CURL_POLL_REMOVE) {
        forget(socket);
        return true;
    }
    auto it = sockets_.find(socket);
    if (it == sockets_.end()) {
        auto watch = std::make_shared<SocketWatch>(io_, socket);
        boost::system::error_code ec;
        watch->descriptor.assign(socket, ec);
        if (ec) {
            spdlog::error("http: cannot watch socket {}: {}", socket, ec.message());
            return false;
        }
        it = sockets_.emplace(socket, std::move(watch)).first;
    }
    it->second->what = what;
    arm(it->second);
    return true;
}

void CurlMultiClient::forget(curl_socket_t socket) {
    auto it = sockets_.find(socket);
    if (it == sockets_.end()) {
        return;
    }
    it->second->removed = true;
    boost::system::error_code ignored;
    it->second->descriptor.cancel(ignored);
    it->second->descriptor.release();  // the socket is libcurl's: never close it here
    sockets_.erase(it);
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

void CurlMultiClient::arm_timer(long timeout_ms) {
    timer_.cancel();
    if (timeout_ms < 0) {
        return;
    }
    // Never call back into libcurl from inside its own callback: the
    // timeout is acted on from the io_context.
    timer_.expires_after(std::chrono::milliseconds(timeout_ms));
    timer_.async_wait(
        [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
            if (!ec && alive.lock()) {
                socket_action(CURL_SOCKET_TIMEOUT, 0);
            }
        });
}

void CurlMultiClient::socket_action(curl_socket_t socket, int events) {
    int running = 0;
    const CURLMcode code = curl_multi_socket_action(multi_, socket, events, &running);
    collect_finished();
    if (code != CURLM_OK) {
        fail_all(std::string("libcurl: ") + curl_multi_strerror(code));
        return;
    }
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
        complete_later(std::move(done), Outcome{code, {}});
    }
}

void CurlMultiClient::fail_all(const std::string& why) {
    if (in_flight_.empty()) {
        return;
    }
    spdlog::error("http: {}; failing {} transfer(s)", why, in_flight_.size());
    auto failed = std::move(in_flight_);
    in_flight_.clear();
    for (auto& [easy, done] : failed) {
        curl_multi_remove_handle(multi_, easy);
        complete_later(std::move(done), Outcome{CURLE_ABORTED_BY_CALLBACK, why});
    }
}

void CurlMultiClient::complete_later(Finished done, Outcome outcome) {
    // Completions run from the io_context, never from inside libcurl's
    // bookkeeping, so they may start the next request at once.
    boost::asio::post(io_, [done = std::move(done), outcome = std::move(outcome)]() mutable {
        done(std::move(outcome));
    });
}

}  // namespace agent::http
