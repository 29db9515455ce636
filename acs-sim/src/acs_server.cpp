#include "acs_server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <optional>

#include "connection_request/connection_request_client.hpp"
#include "cwmp/codec.hpp"
#include "files/file_store.hpp"
#include "http/http_server.hpp"
#include "http/tls_context.hpp"
#include "nbi/connection_request_calls.hpp"
#include "nbi/nbi_handler.hpp"
#include "registry/device_id.hpp"
#include "registry/in_memory_registry.hpp"
#include "registry/registry_persistence.hpp"
#include "util/id_generator.hpp"
#include "util/url.hpp"

namespace acssim {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

constexpr char kServerName[] = "acs-sim";
constexpr auto kSweepInterval = std::chrono::seconds(1);

std::string_view view(boost::beast::string_view text) {
    return {text.data(), text.size()};
}

http::Response text_response(const http::Request& request, unsigned status, std::string text) {
    http::Response response;
    response.result(status);
    response.set(bhttp::field::server, kServerName);
    response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    response.body() = std::move(text) + "\n";
    response.keep_alive(request.keep_alive());
    return response;
}

// Where CPEs fetch the files from, ending in '/': `configured` (--fs-url-base)
// when given, else the listener's own address, which must then be one a
// CPE can connect to.
phonecwmp::Expected<std::string, std::string> file_server_url(
    const std::string& configured, const asio::ip::tcp::endpoint& listening) {
    if (!configured.empty()) {
        if (!configured.starts_with("http://") && !configured.starts_with("https://")) {
            return phonecwmp::Unexpected("--fs-url-base must be an http:// or https:// URL: " +
                                         configured);
        }
        return configured.ends_with('/') ? configured : configured + "/";
    }
    const auto address = listening.address();
    if (address.is_unspecified()) {
        return phonecwmp::Unexpected(fmt::format(
            "the file server listens on {}, which CPEs cannot connect to: give the URL they "
            "reach it at with --fs-url-base",
            address.to_string()));
    }
    return address.is_v6() ? fmt::format("http://[{}]:{}/", address.to_string(), listening.port())
                           : fmt::format("http://{}:{}/", address.to_string(), listening.port());
}

ConnectionRequestCallSettings connection_request_call_settings(const AcsServerOptions& options) {
    ConnectionRequestCallSettings settings;
    settings.default_credentials = options.connection_request_credentials;
    if (options.device_credentials) {
        settings.credentials_of =
            [credentials = options.device_credentials,
             defaults = options.connection_request_credentials](const DeviceRecord& device) {
                const auto* own =
                    credentials->connection_request_of(device.id, device.device_id.serial_number);
                return own != nullptr ? ConnectionRequestCredentials{own->username, own->password}
                                      : defaults;
            };
    }
    return settings;
}

}  // namespace

struct AcsServer::Impl {
    explicit Impl(AcsServerOptions server_options)
        : options(std::move(server_options)),
          codec(cwmp::make_codec(cwmp::CodecLimits{options.cwmp_max_body_bytes, 20000})),
          cwmp(registry, *codec, ids, options.cwmp),
          nbi(registry, ids),
          connection_requests(io, ConnectionRequestLimits{options.connection_request_timeout}),
          nbi_calls(
              io, registry, connection_requests,
              [this](std::string_view device_id) { return cwmp.in_session(device_id); },
              connection_request_call_settings(options)),
          sweep_timer(io),
          flush_timer(io) {
        cwmp.set_session_listener(&nbi_calls);
    }

    http::Response on_cwmp(http::Request& request, http::ConnectionState& connection) {
        if (cpe_auth && !connection.authenticated) {
            const auto authorization = view(request[bhttp::field::authorization]);
            auto refusal = cpe_auth->check(authorization, view(request.method_string()),
                                           view(request.target()), &connection.cpe_user);
            if (refusal) {
                // The first 401 is the normal start of a connection: only
                // refused credentials are worth a warning.
                if (!authorization.empty()) {
                    spdlog::warn("cwmp {}: CPE authentication failed: {}",
                                 http::format_endpoint(connection.remote), refusal->reason);
                }
                auto response = text_response(request, 401, "authentication required");
                for (const auto& challenge : refusal->challenges) {
                    response.insert(bhttp::field::www_authenticate, challenge);
                }
                return response;
            }
            connection.authenticated = true;
        }
        if (request.method() != bhttp::verb::post) {
            auto response = text_response(request, 405, "the CWMP endpoint accepts POST only");
            response.set(bhttp::field::allow, "POST");
            return response;
        }
        const CwmpRequest in{request.body(), view(request[bhttp::field::cookie]),
                             connection.cwmp_session, connection.cpe_user};
        CwmpReply out = cwmp.handle(in, Clock::now());
        connection.cwmp_session = out.session;
        if (out.status == 401 && cpe_auth) {
            // The Inform named a device these credentials are not for: the
            // connection must authenticate again, as that device.
            connection.authenticated = false;
            connection.cpe_user.clear();
            auto response = text_response(request, 401, out.body);
            for (const auto& challenge : cpe_auth->challenges(false)) {
                response.insert(bhttp::field::www_authenticate, challenge);
            }
            return response;
        }

        http::Response response;
        response.result(out.status);
        response.set(bhttp::field::server, kServerName);
        if (!out.content_type.empty()) response.set(bhttp::field::content_type, out.content_type);
        if (!out.set_cookie.empty()) response.set(bhttp::field::set_cookie, out.set_cookie);
        response.body() = std::move(out.body);
        response.keep_alive(request.keep_alive());
        return response;
    }

    std::optional<http::Response> on_nbi(http::Request& request, http::ConnectionState&,
                                         const http::Respond& respond) {
        NbiRequest in{view(request.method_string()), view(request.target()), request.body()};
        for (const auto& field : request)
            in.headers.emplace_back(view(field.name_string()), view(field.value()));
        NbiResponse out = nbi.handle(in, Clock::now());
        const bool keep_alive = request.keep_alive();
        if (!out.connection_request || stopping) return to_http(std::move(out), keep_alive);
        nbi_calls.start(std::move(*out.connection_request),
                        [respond, keep_alive](NbiResponse answer) {
                            respond(to_http(std::move(answer), keep_alive));
                        });
        return std::nullopt;
    }

    // The file server: the content of a stored file by its name.
    http::Response on_fs(http::Request& request, http::ConnectionState&) {
        const bool head = request.method() == bhttp::verb::head;
        if (request.method() != bhttp::verb::get && !head) {
            auto response = text_response(request, 405, "the file server answers GET and HEAD");
            response.set(bhttp::field::allow, "GET, HEAD");
            return response;
        }
        auto target = parse_request_target(view(request.target()));
        const StoredFile* file = nullptr;
        if (target && target->segments.size() == 1) file = files->find(target->segments[0]);
        if (file == nullptr) return text_response(request, 404, "no such file");
        http::Response response;
        response.result(bhttp::status::ok);
        response.set(bhttp::field::server, kServerName);
        response.set(bhttp::field::content_type, "application/octet-stream");
        response.keep_alive(request.keep_alive());
        if (head) {
            response.content_length(file->length);
            return response;
        }
        auto content = files->read(file->name);
        if (!content) {
            spdlog::error("file server: {}", content.error());
            return text_response(request, 500, content.error());
        }
        response.body() = std::move(*content);
        return response;
    }

    static http::Response to_http(NbiResponse out, bool keep_alive) {
        http::Response response;
        response.result(out.status);
        if (!out.reason.empty()) response.reason(out.reason);
        response.set(bhttp::field::server, kServerName);
        if (!out.content_type.empty()) response.set(bhttp::field::content_type, out.content_type);
        for (const auto& [name, value] : out.headers) response.set(name, value);
        response.body() = std::move(out.body);
        response.keep_alive(keep_alive);
        return response;
    }

    void schedule_sweep() {
        sweep_timer.expires_after(kSweepInterval);
        sweep_timer.async_wait([this](const boost::system::error_code& error) {
            if (error || stopping) return;
            cwmp.expire_idle_sessions(Clock::now());
            schedule_sweep();
        });
    }

    void schedule_flush() {
        flush_timer.expires_after(options.database_flush_interval);
        flush_timer.async_wait([this](const boost::system::error_code& error) {
            if (error || stopping) return;
            persistence->flush();
            schedule_flush();
        });
    }

    void shutdown() {
        if (stopping) return;
        stopping = true;
        spdlog::info("shutting down");
        sweep_timer.cancel();
        flush_timer.cancel();
        nbi_calls.cancel_all();
        connection_requests.cancel_all();
        if (cwmp_listener) cwmp_listener->stop();
        if (nbi_listener) nbi_listener->stop();
        if (fs_listener) fs_listener->stop();
    }

    // Declared first, destroyed last: handlers still queued in it refer to
    // the members below only through objects it owns.
    asio::io_context io;
    AcsServerOptions options;
    std::unique_ptr<cwmp::Codec> codec;
    InMemoryRegistry registry;
    IdGenerator ids;
    CwmpEndpoint cwmp;
    NbiHandler nbi;
    ConnectionRequestClient connection_requests;
    ConnectionRequestCalls nbi_calls;
    asio::steady_timer sweep_timer;
    asio::steady_timer flush_timer;
    std::optional<CpeAuthenticator> cpe_auth;          // none without --cpe-auth
    std::unique_ptr<RegistryPersistence> persistence;  // null when in memory only
    std::unique_ptr<FileStore> files;                  // opened by start()
    std::shared_ptr<http::Listener> cwmp_listener;
    std::shared_ptr<http::Listener> nbi_listener;
    std::shared_ptr<http::Listener> fs_listener;  // null without --fs-listen
    bool stopping = false;
};

AcsServer::AcsServer(AcsServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

AcsServer::~AcsServer() = default;

phonecwmp::Expected<void, std::string> AcsServer::start() {
    auto& impl = *impl_;
    const auto& auth = impl.options.cpe_auth;
    const bool tls =
        !impl.options.tls_certificate_file.empty() || !impl.options.tls_private_key_file.empty();
    std::shared_ptr<asio::ssl::context> tls_context;
    if (tls) {
        auto context = http::make_tls_server_context(impl.options.tls_certificate_file,
                                                     impl.options.tls_private_key_file);
        if (!context) return phonecwmp::Unexpected(context.error());
        tls_context = std::move(*context);
    }
    if (auth.mode != CpeAuthMode::None) {
        if (auth.username.empty() && !auth.credentials) {
            return phonecwmp::Unexpected(std::string{
                "CPE authentication needs a user name (--cpe-username) or --cpe-credentials"});
        }
        if (auth.mode == CpeAuthMode::Basic && !tls && !impl.options.allow_basic_over_http) {
            return phonecwmp::Unexpected(std::string{
                "CPE authentication with Basic would send passwords in clear over HTTP; "
                "use HTTPS (--tls-cert, --tls-key) or Digest, or allow it explicitly "
                "(--allow-basic-over-http)"});
        }
        if (!impl.cpe_auth) impl.cpe_auth.emplace(auth);
        if (auth.credentials) {
            impl.cwmp.set_inform_guard([credentials = auth.credentials](
                                           const cwmp::DeviceId& device,
                                           std::string_view user) -> std::optional<std::string> {
                const std::string id = make_device_id(device);
                const auto* own = credentials->cpe_of(id, device.serial_number);
                if (own == nullptr) {
                    return "the credentials file has no entry for it and no \"default\"";
                }
                if (own->username != user) {
                    return fmt::format("authenticated as \"{}\", its user name is \"{}\"", user,
                                       own->username);
                }
                return std::nullopt;
            });
        }
    }
    const auto& database = impl.options.database_file;
    if (!database.empty() && database != ":memory:" && !impl.persistence) {
        auto persistence = RegistryPersistence::open(database, impl.registry);
        if (!persistence) return phonecwmp::Unexpected(persistence.error());
        impl.persistence = std::move(*persistence);
    }
    if (!impl.files) {
        auto files = database.empty() || database == ":memory:"
                         ? FileStore::open_temporary()
                         : FileStore::open(database + ".files", false);
        if (!files) return phonecwmp::Unexpected(files.error());
        impl.files = std::move(*files);
        impl.nbi.set_file_store(impl.files.get());
    }
    auto cwmp = http::Listener::open(
        impl.io, impl.options.cwmp_listen, "cwmp",
        http::Limits{impl.options.cwmp_timeout, impl.options.cwmp_max_body_bytes,
                     http::Limits{}.max_header_bytes, nullptr, impl.options.max_connections},
        [&impl](http::Request& request, http::ConnectionState& connection) {
            return impl.on_cwmp(request, connection);
        },
        std::move(tls_context));
    if (!cwmp) return phonecwmp::Unexpected(cwmp.error());
    auto nbi = http::Listener::open(
        impl.io, impl.options.nbi_listen, "nbi",
        http::Limits{impl.options.nbi_timeout, FileStore::kMaxFileBytes,
                     http::Limits{}.max_header_bytes,
                     [max = impl.options.nbi_max_body_bytes](const http::Request& header) {
                         const bool upload = header.method() == bhttp::verb::put &&
                                             view(header.target()).starts_with("/files/");
                         return upload ? FileStore::kMaxFileBytes : max;
                     },
                     impl.options.max_connections},
        [&impl](http::Request& request, http::ConnectionState& connection, http::Respond respond) {
            return impl.on_nbi(request, connection, respond);
        });
    if (!nbi) return phonecwmp::Unexpected(nbi.error());
    if (impl.options.fs_listen) {
        auto fs = http::Listener::open(
            impl.io, *impl.options.fs_listen, "fs",
            http::Limits{impl.options.nbi_timeout, impl.options.nbi_max_body_bytes,
                         http::Limits{}.max_header_bytes, nullptr, impl.options.max_connections},
            [&impl](http::Request& request, http::ConnectionState& connection) {
                return impl.on_fs(request, connection);
            });
        if (!fs) return phonecwmp::Unexpected(fs.error());
        impl.fs_listener = std::move(*fs);
        auto base = file_server_url(impl.options.fs_url_base, impl.fs_listener->local_endpoint());
        if (!base) return phonecwmp::Unexpected(base.error());
        impl.nbi.set_file_server_url(std::move(*base));
    }
    impl.cwmp_listener = std::move(*cwmp);
    impl.nbi_listener = std::move(*nbi);
    impl.cwmp_listener->start();
    impl.nbi_listener->start();
    if (impl.fs_listener) impl.fs_listener->start();
    impl.schedule_sweep();
    if (impl.persistence) impl.schedule_flush();
    return {};
}

boost::asio::ip::tcp::endpoint AcsServer::cwmp_endpoint() const {
    return impl_->cwmp_listener ? impl_->cwmp_listener->local_endpoint()
                                : boost::asio::ip::tcp::endpoint{};
}

std::optional<boost::asio::ip::tcp::endpoint> AcsServer::fs_endpoint() const {
    if (!impl_->fs_listener) return std::nullopt;
    return impl_->fs_listener->local_endpoint();
}

bool AcsServer::cwmp_tls() const {
    return !impl_->options.tls_certificate_file.empty();
}

boost::asio::ip::tcp::endpoint AcsServer::nbi_endpoint() const {
    return impl_->nbi_listener ? impl_->nbi_listener->local_endpoint()
                               : boost::asio::ip::tcp::endpoint{};
}

void AcsServer::run() {
    impl_->io.run();
    if (impl_->persistence) {
        const auto pending = impl_->persistence->pending_changes();
        if (impl_->persistence->close()) {
            spdlog::info("database {}: {} last changes written", impl_->options.database_file,
                         pending);
        }
    }
}

void AcsServer::stop() {
    asio::post(impl_->io, [impl = impl_.get()] { impl->shutdown(); });
}

boost::asio::io_context& AcsServer::io_context() {
    return impl_->io;
}

Registry& AcsServer::registry() {
    return impl_->registry;
}

}  // namespace acssim
