#include "command_line.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

namespace acssim {

namespace {

nlohmann::ordered_json endpoint_json(const boost::asio::ip::tcp::endpoint& endpoint,
                                     std::string_view scheme) {
    const auto address = endpoint.address();
    const std::string host = address.to_string();
    const std::string authority = address.is_v6() ? fmt::format("[{}]:{}", host, endpoint.port())
                                                  : fmt::format("{}:{}", host, endpoint.port());
    return {{"host", host},
            {"port", endpoint.port()},
            {"url", fmt::format("{}://{}/", scheme, authority)}};
}

}  // namespace

phonecwmp::Expected<boost::asio::ip::tcp::endpoint, std::string> parse_listen_address(
    std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (text.starts_with('[')) {
        const auto close = text.find("]:");
        if (close == std::string_view::npos) {
            return phonecwmp::Unexpected(fmt::format("expected [IPv6]:PORT, got '{}'", text));
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return phonecwmp::Unexpected(fmt::format("expected HOST:PORT, got '{}'", text));
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            return phonecwmp::Unexpected(
                fmt::format("an IPv6 address needs brackets: [ADDRESS]:PORT, got '{}'", text));
        }
    }
    unsigned number = 0;
    const auto [rest, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || error != std::errc{} || rest != port.data() + port.size() ||
        number > 65535) {
        return phonecwmp::Unexpected(fmt::format("invalid port '{}' in '{}'", port, text));
    }
    boost::system::error_code address_error;
    const auto address = boost::asio::ip::make_address(std::string{host}, address_error);
    if (address_error) {
        return phonecwmp::Unexpected(fmt::format("'{}' in '{}' is not an IP address", host, text));
    }
    return boost::asio::ip::tcp::endpoint{address, static_cast<unsigned short>(number)};
}

void configure_command_line(CLI::App& app, CommandLine& values) {
    const CLI::Validator listen_address(
        [](std::string& text) -> std::string {
            auto parsed = parse_listen_address(text);
            return parsed ? std::string{} : parsed.error();
        },
        "");
    app.add_option("--cwmp-listen", values.cwmp_listen,
                   "Address for CPEs (CWMP over HTTP); port 0 picks a free port")
        ->check(listen_address)
        ->type_name("HOST:PORT")
        ->capture_default_str();
    app.add_option("--nbi-listen", values.nbi_listen,
                   "Address of the GenieACS-compatible northbound REST API; port 0 picks a "
                   "free port")
        ->check(listen_address)
        ->type_name("HOST:PORT")
        ->capture_default_str();
    app.add_option("--log-level", values.log_level, "Log level")
        ->type_name("LEVEL")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
        ->capture_default_str();
    app.add_option("--ready-file", values.ready_file,
                   "Once both listeners are bound, write their endpoints here as JSON "
                   "(removed on a clean exit)");
    app.add_option("--db", values.database_file,
                   "SQLite file of devices, parameter caches, tasks and presets, kept across "
                   "restarts; :memory: keeps nothing")
        ->type_name("FILE")
        ->check([](const std::string& text) {
            return text.empty() ? std::string{"--db needs a file name or :memory:"} : std::string{};
        })
        ->capture_default_str();
    app.add_option("--cr-username", values.cr_username,
                   "Connection-request user name for devices whose cached "
                   "ManagementServer.ConnectionRequestUsername is empty");
    app.add_option("--cr-password", values.cr_password,
                   "Connection-request password for devices whose cached "
                   "ManagementServer.ConnectionRequestPassword is empty");
    app.add_option("--cr-timeout", values.cr_timeout_ms,
                   "Longest time one connection request may take, in milliseconds")
        ->check(CLI::Range(100U, 120000U))
        ->capture_default_str();
    app.add_option("--max-connections", values.max_connections,
                   "Connections each listener keeps open at once; more are closed as they "
                   "arrive")
        ->check(CLI::Range(1U, 1000000U))
        ->capture_default_str();
    app.add_option("--cpe-auth", values.cpe_auth,
                   "Authentication CPEs must pass on the CWMP endpoint (shared user, see "
                   "--cpe-username/--cpe-password)")
        ->check(CLI::IsMember({"none", "basic", "digest"}))
        ->capture_default_str();
    app.add_option("--cpe-credentials", values.cpe_credentials_file,
                   "JSON file of per-device credentials: what each CPE authenticates with under "
                   "--cpe-auth (its user name selects its password) and each device's "
                   "connection-request user (replacing --cr-username/--cr-password); see "
                   "docs/acs-sim.md")
        ->type_name("FILE");
    app.add_option("--cpe-username", values.cpe_username, "User name CPEs authenticate with");
    app.add_option("--cpe-password", values.cpe_password, "Password CPEs authenticate with");
    app.add_flag("--allow-basic-over-http", values.allow_basic_over_http,
                 "Accept --cpe-auth basic on plain HTTP (passwords in clear)");
    auto* certificate = app.add_option("--tls-cert", values.tls_certificate_file,
                                       "PEM certificate chain: the CWMP endpoint serves HTTPS "
                                       "(TLS 1.2 or newer); needs --tls-key")
                            ->type_name("FILE")
                            ->check(CLI::ExistingFile);
    auto* key =
        app.add_option("--tls-key", values.tls_private_key_file, "PEM private key of --tls-cert")
            ->type_name("FILE")
            ->check(CLI::ExistingFile);
    certificate->needs(key);
    key->needs(certificate);
    app.add_option("--fs-listen", values.fs_listen,
                   "Address of the file server CPEs download PUT /files from; none without it")
        ->check(listen_address)
        ->type_name("HOST:PORT");
    app.add_option("--fs-url-base", values.fs_url_base,
                   "URL CPEs reach the file server at (download tasks send it plus the file "
                   "name); needed when --fs-listen is 0.0.0.0 or ::, default "
                   "http://<--fs-listen>/")
        ->type_name("URL");
}

std::string ready_file_content(const boost::asio::ip::tcp::endpoint& cwmp,
                               const boost::asio::ip::tcp::endpoint& nbi, long pid, bool cwmp_tls,
                               const std::optional<boost::asio::ip::tcp::endpoint>& fs) {
    nlohmann::ordered_json content = {{"pid", pid},
                                      {"cwmp", endpoint_json(cwmp, cwmp_tls ? "https" : "http")},
                                      {"nbi", endpoint_json(nbi, "http")}};
    if (fs) content["fs"] = endpoint_json(*fs, "http");
    return content.dump() + "\n";
}

phonecwmp::Expected<void, std::string> write_file_atomically(const std::string& path,
                                                             std::string_view content) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.close();
        if (!out) return phonecwmp::Unexpected(fmt::format("cannot write {}", temporary));
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const auto reason = std::error_code(errno, std::generic_category()).message();
        std::remove(temporary.c_str());
        return phonecwmp::Unexpected(
            fmt::format("cannot rename {} to {}: {}", temporary, path, reason));
    }
    return {};
}

}  // namespace acssim
