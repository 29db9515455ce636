// acs-sim assembled: one io_context, the CWMP listener and the NBI listener,
// the connection-request client and the NBI calls that wait on it,
// the device registry (persisted to SQLite when a database file is given),
// a timer that ends idle CWMP sessions and one that flushes the registry,
// the files of PUT /files (in <db>.files/) and the file server CPEs
// download them from.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "auth/cpe_authenticator.hpp"
#include "connection_request/device_connection_request.hpp"
#include "phonecwmp/expected.hpp"
#include "registry/registry.hpp"
#include "session/cwmp_endpoint.hpp"

namespace acssim {

struct AcsServerOptions {
    boost::asio::ip::tcp::endpoint cwmp_listen{boost::asio::ip::make_address_v4("127.0.0.1"), 7547};
    boost::asio::ip::tcp::endpoint nbi_listen{boost::asio::ip::make_address_v4("127.0.0.1"), 7557};
    // CPEs may be slow; a GetParameterValuesResponse of a whole tree is large.
    std::chrono::seconds cwmp_timeout{30};
    std::uint64_t cwmp_max_body_bytes = 4 * 1024 * 1024;
    std::chrono::seconds nbi_timeout{10};
    std::uint64_t nbi_max_body_bytes = 1024 * 1024;
    // Open connections each listener (CWMP, NBI, files) allows at once.
    std::size_t max_connections = 4096;
    // The file server CPEs download from (GET/HEAD /<name>); none when unset.
    std::optional<boost::asio::ip::tcp::endpoint> fs_listen;
    // The URL CPEs reach the file server at ("http://host:port/..."), for
    // an fs_listen on 0.0.0.0 or ::, whose address a CPE cannot use.
    std::string fs_url_base;
    CwmpEndpointOptions cwmp;
    // Used for a device's connection request when its cache holds no
    // ConnectionRequestUsername/Password of its own.
    ConnectionRequestCredentials connection_request_credentials;
    // --cpe-credentials: per-device connection-request credentials, which
    // replace connection_request_credentials for their devices (the CPE side
    // is in cpe_auth.credentials). Null for none.
    std::shared_ptr<const CpeCredentials> device_credentials;
    // One connection request, from resolving the host to the CPE's answer.
    std::chrono::milliseconds connection_request_timeout{5000};
    // HTTPS on the CWMP endpoint when both are set (PEM files).
    std::string tls_certificate_file;
    std::string tls_private_key_file;
    // Authentication of CPEs on the CWMP endpoint. Basic sends the password
    // in clear: start() refuses it over plain HTTP unless allowed.
    CpeAuthSettings cpe_auth;
    bool allow_basic_over_http = false;
    // The SQLite file of the registry; "" or ":memory:" keeps everything in
    // memory only (lost at exit).
    std::string database_file;
    // How often changed registry entries are handed to the database writer.
    std::chrono::milliseconds database_flush_interval{200};
};

class AcsServer {
public:
    explicit AcsServer(AcsServerOptions options = {});
    ~AcsServer();
    AcsServer(const AcsServer&) = delete;
    AcsServer& operator=(const AcsServer&) = delete;

    // Opens and loads the database, binds both listeners (logging "cwmp
    // listening on HOST:PORT" and "nbi listening on HOST:PORT") and starts
    // accepting. The error names the database or the endpoint that failed.
    phonecwmp::Expected<void, std::string> start();

    // The bound endpoints (the real port when 0 was asked for); valid after start().
    boost::asio::ip::tcp::endpoint cwmp_endpoint() const;
    boost::asio::ip::tcp::endpoint nbi_endpoint() const;
    // True when the CWMP endpoint serves HTTPS.
    bool cwmp_tls() const;
    // The file server's endpoint, when --fs-listen was given.
    std::optional<boost::asio::ip::tcp::endpoint> fs_endpoint() const;

    // Runs the io_context on the calling thread until stop() has closed
    // everything, then writes every registry change to the database.
    void run();
    // From any thread: stop accepting, close connections, let run() return.
    void stop();

    boost::asio::io_context& io_context();
    // Only from the thread that runs run(), or while it is not running.
    Registry& registry();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace acssim
