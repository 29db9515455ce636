#include "command_line.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace acssim {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::tcp;

TEST(ListenAddress, ParsesIpv4AndBracketedIpv6) {
    EXPECT_EQ(*parse_listen_address("127.0.0.1:7547"),
              tcp::endpoint(make_address("127.0.0.1"), 7547));
    EXPECT_EQ(*parse_listen_address("0.0.0.0:0"), tcp::endpoint(make_address("0.0.0.0"), 0));
    EXPECT_EQ(*parse_listen_address("[::1]:7557"), tcp::endpoint(make_address("::1"), 7557));
}

TEST(ListenAddress, RejectsWhatIsNotIpColonPort) {
    for (const char* text : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:x",
                             "localhost:7547", ":7547", "::1:7547", "[::1]7547", "[::1]:"}) {
        auto parsed = parse_listen_address(text);
        EXPECT_FALSE(parsed) << text;
        if (!parsed) {
            EXPECT_NE(parsed.error().find(text), std::string::npos) << parsed.error();
        }
    }
}

int parse(CLI::App& app, std::vector<std::string> arguments) {
    std::vector<const char*> argv{"acs-sim"};
    for (const auto& argument : arguments) argv.push_back(argument.c_str());
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
        return 0;
    } catch (const CLI::ParseError& error) {
        return error.get_exit_code();
    }
}

TEST(CommandLineOptions, DefaultsToTheStandardLoopbackPorts) {
    CLI::App app;
    CommandLine values;
    configure_command_line(app, values);
    ASSERT_EQ(parse(app, {}), 0);
    EXPECT_EQ(values.cwmp_listen, "127.0.0.1:7547");
    EXPECT_EQ(values.nbi_listen, "127.0.0.1:7557");
    EXPECT_EQ(values.log_level, "info");
    EXPECT_EQ(values.ready_file, "");
    EXPECT_EQ(values.database_file, "acs-sim.sqlite");
}

TEST(CommandLineOptions, TakesAConnectionLimitOfAtLeastOne) {
    {
        CLI::App app;
        CommandLine values;
        configure_command_line(app, values);
        ASSERT_EQ(parse(app, {}), 0);
        EXPECT_EQ(values.max_connections, 4096U);
    }
    {
        CLI::App app;
        CommandLine values;
        configure_command_line(app, values);
        ASSERT_EQ(parse(app, {"--max-connections", "20000"}), 0);
        EXPECT_EQ(values.max_connections, 20000U);
    }
    for (const char* bad : {"0", "-1", "many"}) {
        CLI::App app;
        CommandLine values;
        configure_command_line(app, values);
        EXPECT_NE(parse(app, {"--max-connections", bad}), 0) << bad;
    }
}

TEST(CommandLineOptions, TakesEveryOption) {
    CLI::App app;
    CommandLine values;
    configure_command_line(app, values);
    ASSERT_EQ(parse(app, {"--cwmp-listen", "127.0.0.1:0", "--nbi-listen", "[::1]:0", "--log-level",
                          "debug", "--ready-file", "/tmp/ready.json", "--db", ":memory:"}),
              0);
    EXPECT_EQ(values.cwmp_listen, "127.0.0.1:0");
    EXPECT_EQ(values.nbi_listen, "[::1]:0");
    EXPECT_EQ(values.log_level, "debug");
    EXPECT_EQ(values.ready_file, "/tmp/ready.json");
    EXPECT_EQ(values.database_file, ":memory:");
}

TEST(CommandLineOptions, RejectsBadValues) {
    for (std::vector<std::string> arguments :
         {std::vector<std::string>{"--cwmp-listen", "nowhere"},
          std::vector<std::string>{"--nbi-listen", "127.0.0.1:99999"},
          std::vector<std::string>{"--log-level", "loud"}, std::vector<std::string>{"--db", ""},
          std::vector<std::string>{"--unknown"}}) {
        CLI::App app;
        CommandLine values;
        configure_command_line(app, values);
        EXPECT_NE(parse(app, arguments), 0) << arguments[0];
    }
}

TEST(ReadyFile, NamesBothEndpointsAsJson) {
    const auto content = ready_file_content(tcp::endpoint(make_address("127.0.0.1"), 41234),
                                            tcp::endpoint(make_address("::1"), 41235), 99);
    EXPECT_EQ(nlohmann::json::parse(content), nlohmann::json::parse(R"({
        "pid": 99,
        "cwmp": {"host": "127.0.0.1", "port": 41234, "url": "http://127.0.0.1:41234/"},
        "nbi": {"host": "::1", "port": 41235, "url": "http://[::1]:41235/"}})"));
}

TEST(ReadyFile, IsWrittenWholeAndReplaced) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("acs-sim-ready-test-" + std::to_string(::getpid()) + ".json");
    ASSERT_TRUE(write_file_atomically(path.string(), "first"));
    ASSERT_TRUE(write_file_atomically(path.string(), "{\"second\": 2}\n"));
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "{\"second\": 2}\n");
    EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
    std::filesystem::remove(path);

    auto failed = write_file_atomically("/nonexistent-dir/ready.json", "x");
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().find("/nonexistent-dir/ready.json"), std::string::npos);
}

}  // namespace
}  // namespace acssim
