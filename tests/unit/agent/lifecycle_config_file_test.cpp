// cwmp-agent's configuration file (--config): every option as a key, the
// command line winning, and errors that name the file and the key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agent_options.hpp"
#include "temp_folder.hpp"

namespace agent {
namespace {

class ConfigFileTest : public ::testing::Test {
protected:
    testing::TempFolder folder;
    std::string error_output;

    std::string write(const std::string& text) {
        const auto file = folder.path() / "cwmp-agent.conf";
        std::ofstream(file) << text;
        return file.string();
    }
    OptionsOutcome parse(std::vector<std::string> arguments) {
        arguments.insert(arguments.begin(), "cwmp-agent");
        std::vector<char*> argv;
        for (auto& argument : arguments) argv.push_back(argument.data());
        ::testing::internal::CaptureStderr();
        auto outcome = parse_options(static_cast<int>(argv.size()), argv.data(),
                                     PHONECWMP_DEFINITIONS_FILE, "");
        error_output = ::testing::internal::GetCapturedStderr();
        return outcome;
    }
};

TEST_F(ConfigFileTest, EveryKindOfValueIsReadFromTheFile) {
    const auto file = write(
        "# comment\n"
        "state-dir = \"" +
        (folder.path() / "state").string() +
        "\"\n"
        "acs-url = \"http://acs.example.test:7547/\"\n"
        "cr-listen = \"127.0.0.1:17547\"\n"
        "log-level = \"debug\"\n"
        "reboot-command = \"systemctl reboot\"\n"
        "factory-reset-command = \"rm -rf /var/lib/phone/ringtones\"\n"
        "set = [\"Device.DeviceInfo.SerialNumber=SN1\", \"Device.ManagementServer.Username=u\"]\n");
    const auto outcome = parse({"--config", file});
    ASSERT_TRUE(outcome.options.has_value()) << error_output;
    const AgentOptions& options = *outcome.options;
    EXPECT_EQ(options.state_dir, folder.path() / "state");
    EXPECT_EQ(options.acs_url.value_or(""), "http://acs.example.test:7547/");
    EXPECT_EQ(options.cr_listen.port, 17547);
    EXPECT_EQ(options.log_level, "debug");
    EXPECT_EQ(options.reboot_command, "systemctl reboot");
    EXPECT_EQ(options.factory_reset_command, "rm -rf /var/lib/phone/ringtones");
    ASSERT_EQ(options.initial_values.size(), 2u);
    EXPECT_EQ(options.initial_values[0].first, "Device.DeviceInfo.SerialNumber");
    EXPECT_EQ(options.initial_values[0].second, "SN1");
    EXPECT_EQ(options.config_file.string(), file);
}

TEST_F(ConfigFileTest, TheCommandLineWinsOverTheFile) {
    const auto file = write("log-level = \"debug\"\nreboot-command = \"from-file\"\n");
    const auto outcome = parse({"--config", file, "--log-level", "warn"});
    ASSERT_TRUE(outcome.options.has_value()) << error_output;
    EXPECT_EQ(outcome.options->log_level, "warn");
    EXPECT_EQ(outcome.options->reboot_command, "from-file");
}

TEST_F(ConfigFileTest, UnknownKeyIsAnErrorNamingFileAndKey) {
    const auto file = write("log-level = \"info\"\nreboot-comand = \"typo\"\n");
    const auto outcome = parse({"--config", file});
    EXPECT_FALSE(outcome.options.has_value());
    EXPECT_NE(outcome.exit_code, 0);
    EXPECT_NE(error_output.find(file), std::string::npos) << error_output;
    EXPECT_NE(error_output.find("reboot-comand"), std::string::npos) << error_output;
}

TEST_F(ConfigFileTest, BadValueIsAnErrorNamingFileAndKey) {
    const auto file = write("log-level = \"loud\"\n");
    const auto outcome = parse({"--config", file});
    EXPECT_FALSE(outcome.options.has_value());
    EXPECT_NE(outcome.exit_code, 0);
    EXPECT_NE(error_output.find(file), std::string::npos) << error_output;
    EXPECT_NE(error_output.find("log-level"), std::string::npos) << error_output;
}

TEST_F(ConfigFileTest, BadListenAddressInTheFileNamesFileAndKey) {
    const auto file = write("cr-listen = \"no-port-here\"\n");
    const auto outcome = parse({"--config", file});
    EXPECT_FALSE(outcome.options.has_value());
    EXPECT_NE(error_output.find(file), std::string::npos) << error_output;
    EXPECT_NE(error_output.find("cr-listen"), std::string::npos) << error_output;
}

TEST_F(ConfigFileTest, BadCommandLineValueIsNotBlamedOnTheFile) {
    const auto file = write("log-level = \"info\"\n");
    const auto outcome = parse({"--config", file, "--log-level", "loud"});
    EXPECT_FALSE(outcome.options.has_value());
    EXPECT_EQ(error_output.find("configuration file"), std::string::npos) << error_output;
    EXPECT_NE(error_output.find("log-level"), std::string::npos) << error_output;
}

TEST_F(ConfigFileTest, MissingFileIsAnError) {
    const auto outcome = parse({"--config", (folder.path() / "absent.conf").string()});
    EXPECT_FALSE(outcome.options.has_value());
    EXPECT_NE(error_output.find("absent.conf"), std::string::npos) << error_output;
}

TEST_F(ConfigFileTest, SampleFileParsesAndNamesOnlyRealOptions) {
    const auto sample =
        std::filesystem::path(__FILE__).parent_path() / "../../../packaging/cwmp-agent.conf";
    std::ifstream in(sample);
    ASSERT_TRUE(in) << "cannot read " << sample;
    const auto outcome = parse({"--config", sample.string()});
    ASSERT_TRUE(outcome.options.has_value()) << error_output;

    ::testing::internal::CaptureStdout();
    parse({"--help"});
    const std::string help = ::testing::internal::GetCapturedStdout();
    // Every commented-out "#key = value" line names an option of --help.
    std::string line;
    int keys = 0;
    while (std::getline(in, line)) {
        const auto equals = line.find(" = ");
        if (line.size() < 2 || line[0] != '#' || line[1] == ' ' || equals == std::string::npos) {
            continue;
        }
        const std::string key = line.substr(1, equals - 1);
        ++keys;
        EXPECT_NE(help.find("--" + key + " "), std::string::npos) << key << " is not an option";
    }
    EXPECT_GE(keys, 10);
}

}  // namespace
}  // namespace agent
