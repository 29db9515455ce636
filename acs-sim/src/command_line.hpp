// acs-sim's command line, and the ready file it writes for test harnesses.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "phonecwmp/expected.hpp"

namespace CLI {
class App;
}

namespace acssim {

struct CommandLine {
    std::string cwmp_listen = "127.0.0.1:7547";
    std::string nbi_listen = "127.0.0.1:7557";
    std::string log_level = "info";
    std::string ready_file;
    // The registry's SQLite file, relative to the working folder; ":memory:"
    // for none.
    std::string database_file = "acs-sim.sqlite";
    // Connection requests: credentials for devices whose cache has none of
    // their own, and the time one request may take.
    std::string cr_username;
    std::string cr_password;
    unsigned cr_timeout_ms = 5000;
    unsigned max_connections = 4096;
    // Authentication of CPEs: none, basic or digest, one shared user.
    std::string cpe_auth = "none";
    std::string cpe_username;
    std::string cpe_password;
    bool allow_basic_over_http = false;
    // HTTPS on the CWMP endpoint: both or neither.
    std::string tls_certificate_file;
    std::string tls_private_key_file;
    // The file server for downloads; "" for none.
    std::string fs_listen;
    // The URL CPEs reach the file server at, when it listens on 0.0.0.0/::.
    std::string fs_url_base;
    // Per-device CPE and connection-request credentials (JSON file).
    std::string cpe_credentials_file;
};

// Declares the options on `app`, storing into `values`:
//   --cwmp-listen HOST:PORT   --nbi-listen HOST:PORT
//   --log-level trace|debug|info|warn|error   --ready-file PATH
//   --db FILE|:memory:
//   --cr-username U --cr-password P --cr-timeout MS
//   --cpe-auth none|basic|digest --cpe-username U --cpe-password P --allow-basic-over-http
//   --cpe-credentials FILE
//   --tls-cert FILE --tls-key FILE   --fs-listen HOST:PORT --fs-url-base URL
void configure_command_line(CLI::App& app, CommandLine& values);

// "127.0.0.1:7547", "[::1]:7547", "0.0.0.0:0". HOST must be an IP address
// (no name resolution); port 0 asks the system for a free port.
phonecwmp::Expected<boost::asio::ip::tcp::endpoint, std::string> parse_listen_address(
    std::string_view text);

// The ready file's content, one JSON object:
// {"pid": 1234,
//  "cwmp": {"host": "127.0.0.1", "port": 41234, "url": "http://127.0.0.1:41234/"},
//  "nbi":  {"host": "127.0.0.1", "port": 41235, "url": "http://127.0.0.1:41235/"}}
// The CWMP URL is https:// when `cwmp_tls`; "fs" is there with a file server.
std::string ready_file_content(const boost::asio::ip::tcp::endpoint& cwmp,
                               const boost::asio::ip::tcp::endpoint& nbi, long pid,
                               bool cwmp_tls = false,
                               const std::optional<boost::asio::ip::tcp::endpoint>& fs = {});

// Writes `content` to `path` atomically (a temporary file renamed over it),
// so a harness polling for the file never reads half of it.
phonecwmp::Expected<void, std::string> write_file_atomically(const std::string& path,
                                                             std::string_view content);

}  // namespace acssim
