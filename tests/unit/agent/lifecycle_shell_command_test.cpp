// The hook runner: /bin/sh -c, exit status, time limit, never blocking.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "io_loop.hpp"
#include "lifecycle/shell_command.hpp"
#include "temp_folder.hpp"

namespace agent::lifecycle {
namespace {

using namespace std::chrono_literals;

class ShellCommandTest : public ::testing::Test {
protected:
    testing::TempFolder folder;
    boost::asio::io_context io;
    ShellCommand command{io};
    std::optional<ShellCommandResult> result;

    void run(const std::string& text, std::chrono::milliseconds limit = 10s) {
        command.start(text, limit, [this](const ShellCommandResult& r) { result = r; });
        ASSERT_TRUE(testing::run_until(
            io, [this] { return result.has_value(); }, 20s))
            << "the command did not complete";
    }
};

TEST_F(ShellCommandTest, SuccessfulCommandRunsThroughTheShell) {
    const auto marker = folder.path() / "marker";
    run("echo hooked > '" + marker.string() + "' && test -s '" + marker.string() + "'");
    ASSERT_TRUE(result.has_value());
    EXPECT_TRUE(result->succeeded) << result->description;
    EXPECT_TRUE(std::filesystem::exists(marker));
    EXPECT_FALSE(command.running());
}

TEST_F(ShellCommandTest, NonZeroExitIsAFailureNamingTheStatus) {
    run("exit 3");
    EXPECT_FALSE(result->succeeded);
    EXPECT_EQ(result->description, "exit status 3");
}

TEST_F(ShellCommandTest, CommandOverItsTimeLimitIsKilled) {
    run("sleep 30", 200ms);
    EXPECT_FALSE(result->succeeded);
    EXPECT_NE(result->description.find("timed out"), std::string::npos) << result->description;
    EXPECT_FALSE(command.running());
}

TEST_F(ShellCommandTest, ATimeoutKillsWhatTheShellStartedToo) {
    const auto pid_file = folder.path() / "pid";
    run("sleep 30 & echo $! > '" + pid_file.string() + "'; wait", 300ms);
    EXPECT_FALSE(result->succeeded);
    std::ifstream in(pid_file);
    pid_t grandchild = 0;
    ASSERT_TRUE(in >> grandchild) << "the shell did not record its child";
    // Killed with the shell's process group. Its new parent may be slow to
    // reap it (or never, in a container whose init does not wait), so a
    // zombie counts as gone.
    const auto alive = [grandchild] {
        std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
        std::string pid, name, state;
        return static_cast<bool>(stat >> pid >> name >> state) && state != "Z";
    };
    for (int i = 0; i < 100 && alive(); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_FALSE(alive()) << "the shell's child " << grandchild << " survived";
}

TEST_F(ShellCommandTest, SecondStartWhileRunningFailsAtOnce) {
    std::optional<ShellCommandResult> second;
    command.start("sleep 30", 10s, [this](const ShellCommandResult& r) { result = r; });
    command.start("true", 10s, [&second](const ShellCommandResult& r) { second = r; });
    ASSERT_TRUE(testing::run_until(
        io, [&second] { return second.has_value(); }, 10s));
    EXPECT_FALSE(second->succeeded);
    EXPECT_TRUE(command.running());
    // The fixture's destructor kills and reaps the first one.
}

TEST_F(ShellCommandTest, StdinIsNotTheAgents) {
    // The command reads end of file at once instead of waiting for input.
    run("cat > /dev/null");
    EXPECT_TRUE(result->succeeded) << result->description;
}

}  // namespace
}  // namespace agent::lifecycle
