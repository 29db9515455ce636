// acs-sim devices/get/set against a real acs-sim on loopback and a scripted
// CPE: the tables they print, and their exit statuses on errors.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/client_commands.hpp"
#include "cli/text_table.hpp"
#include "scenario_scripted_cpe.hpp"

namespace acssim::cli {
namespace {

using test::RunningServer;
using test::ScriptedCpe;

class ClientCommandsTest : public ::testing::Test {
protected:
    ClientCommandsTest() : cpe_(running_.server().cwmp_endpoint(), "CLI0001") {
        options_.nbi_url =
            "http://127.0.0.1:" + std::to_string(running_.server().nbi_endpoint().port());
        options_.timeout = std::chrono::seconds(10);
    }

    void wait_for_first_inform() {
        cpe_.start();
        for (int i = 0; i < 200 && cpe_.sessions() == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        ASSERT_GT(cpe_.sessions(), 0) << "the scripted CPE never informed";
    }

    RunningServer running_;
    ScriptedCpe cpe_;
    ClientOptions options_;
    std::ostringstream out_;
    std::ostringstream err_;
};

TEST_F(ClientCommandsTest, DevicesListsTheKnownDevices) {
    wait_for_first_inform();
    EXPECT_EQ(devices_command(options_, "", out_, err_), 0) << err_.str();
    EXPECT_NE(out_.str().find("DEVICE"), std::string::npos);
    EXPECT_NE(out_.str().find("00256D-IPPhone-CLI0001  00256D"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("1 device\n"), std::string::npos) << out_.str();

    std::ostringstream none;
    EXPECT_EQ(devices_command(options_, R"({"_deviceId._SerialNumber": "OTHER"})", none, err_), 0);
    EXPECT_NE(none.str().find("0 devices"), std::string::npos) << none.str();
}

TEST_F(ClientCommandsTest, GetAsksTheDeviceAndSetChangesIt) {
    wait_for_first_inform();
    EXPECT_EQ(set_command(options_, "00256D-IPPhone-CLI0001",
                          {"Device.ManagementServer.PeriodicInformInterval=120"}, out_, err_),
              0)
        << err_.str();
    EXPECT_NE(out_.str().find("1 parameter set on 00256D-IPPhone-CLI0001"), std::string::npos);
    EXPECT_EQ(cpe_.value("Device.ManagementServer.PeriodicInformInterval"), "120");

    std::ostringstream table;
    EXPECT_EQ(get_command(
                  options_, "00256D-IPPhone-CLI0001",
                  {"Device.DeviceInfo.ModelName", "Device.ManagementServer.PeriodicInformInterval"},
                  false, table, err_),
              0)
        << err_.str();
    EXPECT_NE(table.str().find("Device.DeviceInfo.ModelName"), std::string::npos) << table.str();
    EXPECT_NE(table.str().find("Scripted Phone"), std::string::npos) << table.str();
    EXPECT_NE(table.str().find("120"), std::string::npos) << table.str();
}

TEST_F(ClientCommandsTest, ErrorsExitNonZeroWithTheMessage) {
    wait_for_first_inform();
    EXPECT_EQ(get_command(options_, "00256D-IPPhone-NOPE", {"Device."}, false, out_, err_), 1);
    EXPECT_NE(err_.str().find("no device 00256D-IPPhone-NOPE"), std::string::npos) << err_.str();

    std::ostringstream refused;
    EXPECT_EQ(set_command(options_, "00256D-IPPhone-CLI0001", {"Device.DeviceInfo.SerialNumber=X"},
                          out_, refused),
              1);
    EXPECT_NE(refused.str().find("the device refused: cwmp.9003"), std::string::npos)
        << refused.str();

    std::ostringstream unknown;
    EXPECT_EQ(
        get_command(options_, "00256D-IPPhone-CLI0001", {"Device.Nope"}, false, out_, unknown), 1);
    EXPECT_NE(unknown.str().find("cwmp.9005"), std::string::npos) << unknown.str();

    std::ostringstream not_cached;
    EXPECT_EQ(
        get_command(options_, "00256D-IPPhone-CLI0001", {"Device.Nope"}, true, out_, not_cached),
        1);
    EXPECT_NE(not_cached.str().find("Device.Nope is not in the cache"), std::string::npos);
}

TEST_F(ClientCommandsTest, MalformedArgumentsExitTwo) {
    EXPECT_EQ(set_command(options_, "D", {"Device.X"}, out_, err_), 2);
    EXPECT_NE(err_.str().find("'Device.X' is not PATH=VALUE"), std::string::npos) << err_.str();
    EXPECT_EQ(set_command(options_, "D", {"Device.X.=1"}, out_, err_), 2);
    EXPECT_EQ(get_command(options_, "D", {"Device..X"}, false, out_, err_), 2);
    EXPECT_EQ(devices_command(options_, "{not json", out_, err_), 2);
    EXPECT_EQ(devices_command(options_, "[1]", out_, err_), 2);
    ClientOptions bad_url = options_;
    bad_url.nbi_url = "ftp://127.0.0.1:1";
    EXPECT_EQ(devices_command(bad_url, "", out_, err_), 2);
    EXPECT_NE(err_.str().find("must start with http://"), std::string::npos) << err_.str();
}

TEST_F(ClientCommandsTest, AnUnreachableNbiExitsOne) {
    ClientOptions closed = options_;
    // A port nothing listens on: bind one, note it, close it.
    {
        test::asio::io_context io;
        test::tcp::acceptor probe(
            io, test::tcp::endpoint(test::asio::ip::make_address("127.0.0.1"), 0));
        closed.nbi_url = "http://127.0.0.1:" + std::to_string(probe.local_endpoint().port());
    }
    EXPECT_EQ(devices_command(closed, "", out_, err_), 1);
    EXPECT_NE(err_.str().find("GET " + closed.nbi_url + "/devices"), std::string::npos)
        << err_.str();
}

TEST(TextTable, PadsColumnsAndHidesControlCharacters) {
    TextTable table({"A", "LONGER"});
    table.add_row({"wide cell", "x"});
    table.add_row({"bad\x1b[31m", "y", "dropped"});
    std::ostringstream out;
    table.print(out);
    EXPECT_EQ(out.str(),
              "A          LONGER\n"
              "wide cell  x\n"
              "bad?[31m   y\n");
}

}  // namespace
}  // namespace acssim::cli
