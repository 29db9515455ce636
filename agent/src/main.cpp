// cwmp-agent: one process, one io_context, one thread.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <system_error>

#include "agent.hpp"
#include "agent_options.hpp"
#include "connection_request/connection_request_server.hpp"
#include "cwmp/event_codes.hpp"
#include "http/curl_multi_client.hpp"
#include "local_configuration.hpp"
#include "voice/restricted_domains_rule.hpp"

int main(int argc, char** argv) {
    auto parsed = agent::parse_options(argc, argv, agent::default_definitions_file(),
                                       agent::default_factory_file());
    if (!parsed.options) {
        return parsed.exit_code;
    }
    const agent::AgentOptions& options = *parsed.options;
    spdlog::set_level(spdlog::level::from_str(options.log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

    auto definitions = datamodel::Definitions::load_file(options.definitions_file);
    if (!definitions) {
        spdlog::critical("cannot load definitions {}: {}", definitions.error().file,
                         definitions.error().message);
        return 1;
    }
    std::error_code ec;
    std::filesystem::create_directories(options.state_dir, ec);
    if (ec) {
        spdlog::critical("cannot create state folder {}: {}", options.state_dir.string(),
                         ec.message());
        return 1;
    }
    if (!options.factory_file.empty() && !std::filesystem::exists(options.factory_file, ec)) {
        spdlog::critical(
            "factory file {} not found (give --factory FILE, or --factory \"\" to start from "
            "the definitions' defaults only)",
            options.factory_file.string());
        return 1;
    }
    auto shared_definitions =
        std::make_shared<const datamodel::Definitions>(std::move(*definitions));
    const auto store_file = options.state_dir / "store.sqlite";
    auto model = options.factory_file.empty()
                     ? datamodel::Model::open(shared_definitions, store_file)
                     : datamodel::Model::open(shared_definitions, store_file, options.factory_file);
    if (!model) {
        spdlog::critical("cannot open the store in {}: {}", options.state_dir.string(),
                         model.error().message);
        return 1;
    }

    // Rules across parameters hold for every writer, local configuration
    // included.
    agent::voice::register_restricted_domains_rule(**model);

    // Local configuration is applied before the first Inform; a bad value
    // stops the agent instead of running half-configured.
    agent::LocalValues local = options.initial_values;
    if (options.acs_url) {
        local.emplace_back("Device.ManagementServer.URL", *options.acs_url);
    }
    if (auto applied = agent::apply_local_configuration(**model, local); !applied) {
        for (const auto& error : applied.error()) {
            spdlog::critical("local configuration {}: {}", error.path, error.message);
        }
        return 2;
    }

    boost::asio::io_context io;
    agent::http::CurlMultiClient http(io);
    auto codec = cwmp::make_codec();
    agent::Agent agent(io, **model, http, *codec);

    // Started before the first Inform, so that it carries the URL. A port
    // already taken does not stop the agent: it still informs periodically.
    agent::connection_request::ServerSettings connection_request_settings;
    connection_request_settings.listen = options.cr_listen;
    agent::connection_request::ConnectionRequestServer connection_requests(
        io, **model, connection_request_settings,
        [&agent] { agent.raise(cwmp::event::kConnectionRequest); });
    if (auto started = connection_requests.start(); !started) {
        spdlog::error("{}: connection requests are off", started.error());
    }

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&io](const boost::system::error_code&, int signal) {
        spdlog::info("signal {}: stopping", signal);
        io.stop();
    });

    spdlog::info("cwmp-agent starting: state {}, ACS {}", options.state_dir.string(),
                 (*model)->value("Device.ManagementServer.URL").value_or("(none)"));
    agent.start();
    io.run();
    return 0;
}
