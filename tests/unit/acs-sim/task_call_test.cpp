// POST /devices/<id>/tasks?connection_request end to end on loopback: a
// real AcsServer, a CPE's connection-request server (Digest), and a scripted
// CPE that runs the session the connection request asks for. Also: a silent
// CPE connection and a waiting NBI call do not hold up anyone else.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>

#include "cwmp/codec.hpp"
#include "digest_cr_server.hpp"
#include "loopback_server.hpp"
#include "test_support.hpp"

namespace acssim {
namespace {

using test::Client;
using test::HttpResponse;
using test::RunningServer;
using tcp = boost::asio::ip::tcp;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using Json = nlohmann::json;

constexpr char kDevice[] = "00256D-IPPhone-SN0001";
constexpr char kVersion[] = "Device.DeviceInfo.SoftwareVersion";

// The CPE's connection-request server on its own thread.
class CpeConnectionRequestServer {
public:
    explicit CpeConnectionRequestServer(std::string password)
        : work_(asio::make_work_guard(io_)), server_(io_, "cr-user", std::move(password)) {
        server_.on_accepted = [this] {
            std::lock_guard lock(mutex_);
            ++requests_;
            changed_.notify_all();
        };
        thread_ = std::thread([this] { io_.run(); });
    }
    ~CpeConnectionRequestServer() {
        work_.reset();
        io_.stop();
        thread_.join();
    }

    std::string url() const { return server_.url(); }

    // True when a connection request was accepted within 10 s.
    bool wait_for_request() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(10), [this] { return requests_ > 0; });
    }

private:
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    test::DigestCrServer server_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable changed_;
    int requests_ = 0;
};

// A CPE speaking CWMP 1.0 over one keep-alive connection.
class ScriptedCpe {
public:
    ScriptedCpe(const tcp::endpoint& acs, std::string cr_url, std::string serial = "SN0001")
        : client_(acs),
          cr_url_(std::move(cr_url)),
          serial_(std::move(serial)),
          codec_(cwmp::make_codec()) {}

    void inform(const std::string& event) {
        auto message = test::phone_inform({event}, serial_);
        message.parameter_list.push_back(
            {"Device.ManagementServer.ConnectionRequestURL", cr_url_, "xsd:string"});
        auto response = post(encode(message, "inform-1"));
        ASSERT_EQ(response.result_int(), 200U) << response.body();
        const std::string set_cookie{response[bhttp::field::set_cookie]};
        cookie_ = set_cookie.substr(0, set_cookie.find(';'));
    }

    // The ACS's next request after an empty POST, or nullopt at the 204.
    std::optional<cwmp::Decoded> empty_post() { return next(post("")); }
    std::optional<cwmp::Decoded> answer(const cwmp::Decoded& request, cwmp::Body body) {
        return next(post(encode(std::move(body), request.envelope.header.id.value_or(""))));
    }

private:
    template <class Message>
    std::string encode(Message body, std::string id) {
        cwmp::Envelope envelope;
        envelope.header.id = std::move(id);
        envelope.body = std::move(body);
        return codec_->encode(envelope, cwmp::Namespace::Cwmp10);
    }

    HttpResponse post(std::string body) {
        return client_.request(bhttp::verb::post, "/", std::move(body), cookie_);
    }

    std::optional<cwmp::Decoded> next(const HttpResponse& response) {
        if (response.result_int() == 204) return std::nullopt;
        EXPECT_EQ(response.result_int(), 200U) << response.body();
        auto decoded = codec_->decode(response.body());
        if (!decoded) {
            ADD_FAILURE() << "undecodable ACS message: " << decoded.error().detail;
            return std::nullopt;
        }
        return *decoded;
    }

    Client client_;
    std::string cr_url_;
    std::string serial_;
    std::unique_ptr<cwmp::Codec> codec_;
    std::string cookie_;
};

AcsServerOptions options_with_default_credentials() {
    auto options = test::loopback_options();
    options.connection_request_credentials = {"cr-user", "cr-pass"};
    options.connection_request_timeout = std::chrono::milliseconds(3000);
    return options;
}

class TaskCallTest : public ::testing::Test {
protected:
    TaskCallTest() : running(options_with_default_credentials()) {}

    // The device informs once (BOOTSTRAP) and ends its session.
    void register_device(const std::string& cr_url) {
        ScriptedCpe cpe(running.server().cwmp_endpoint(), cr_url);
        cpe.inform("0 BOOTSTRAP");
        EXPECT_FALSE(cpe.empty_post());
    }

    // The NBI call on its own thread: it answers only after the session.
    std::future<HttpResponse> post_async(std::string target, std::string body) {
        return std::async(std::launch::async, [endpoint = running.server().nbi_endpoint(),
                                               target = std::move(target), body = std::move(body)] {
            Client nbi(endpoint);
            return nbi.request(bhttp::verb::post, target, body);
        });
    }

    HttpResponse nbi(bhttp::verb method, const std::string& target, std::string body = {}) {
        Client client(running.server().nbi_endpoint());
        return client.request(method, target, std::move(body));
    }

    static std::string tasks_target(std::string_view query) {
        return std::string{"/devices/"} + kDevice + "/tasks" + std::string{query};
    }

    RunningServer running;
};

constexpr char kGetVersion[] =
    R"({"name": "getParameterValues", "parameterNames": ["Device.DeviceInfo.SoftwareVersion"]})";

TEST_F(TaskCallTest, ATaskDoneInTheTriggeredSessionIs200AndUpdatesTheCache) {
    CpeConnectionRequestServer cr("cr-pass");
    register_device(cr.url());

    auto call = post_async(tasks_target("?connection_request&timeout=5000"), kGetVersion);
    ASSERT_TRUE(cr.wait_for_request());
    ScriptedCpe cpe(running.server().cwmp_endpoint(), cr.url());
    cpe.inform("6 CONNECTION REQUEST");
    auto request = cpe.empty_post();
    ASSERT_TRUE(request);
    ASSERT_TRUE(std::holds_alternative<cwmp::GetParameterValues>(request->envelope.body));
    EXPECT_FALSE(cpe.answer(*request,
                            cwmp::GetParameterValuesResponse{{{kVersion, "2.0.0", "xsd:string"}}}));

    ASSERT_EQ(call.wait_for(std::chrono::seconds(15)), std::future_status::ready);
    const auto response = call.get();
    ASSERT_EQ(response.result_int(), 200U) << response.body();
    EXPECT_EQ(Json::parse(response.body())["name"], "getParameterValues");

    const auto devices = nbi(bhttp::verb::get, "/devices?projection=" + std::string{kVersion});
    const auto list = Json::parse(devices.body());
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0]["Device"]["DeviceInfo"]["SoftwareVersion"]["_value"], "2.0.0");
    EXPECT_EQ(nbi(bhttp::verb::get, "/tasks").body(), "[]");
}

TEST_F(TaskCallTest, AFaultedTaskIs202TaskFaulted) {
    CpeConnectionRequestServer cr("cr-pass");
    register_device(cr.url());

    auto call = post_async(tasks_target("?connection_request"), kGetVersion);
    ASSERT_TRUE(cr.wait_for_request());
    ScriptedCpe cpe(running.server().cwmp_endpoint(), cr.url());
    cpe.inform("6 CONNECTION REQUEST");
    auto request = cpe.empty_post();
    ASSERT_TRUE(request);
    cwmp::Fault fault;
    fault.fault_code = 9005;
    fault.fault_string = "Invalid parameter name";
    auto after = cpe.answer(*request, fault);
    while (after) after = cpe.empty_post();  // bounded by the ACS ending the session

    ASSERT_EQ(call.wait_for(std::chrono::seconds(15)), std::future_status::ready);
    const auto response = call.get();
    EXPECT_EQ(response.result_int(), 202U) << response.body();
    EXPECT_EQ(response.reason(), "Task faulted");
}

TEST_F(TaskCallTest, AWrongConnectionRequestPasswordIs504AndTheTaskStaysQueued) {
    CpeConnectionRequestServer cr("another-password");
    register_device(cr.url());
    const auto response = nbi(bhttp::verb::post, tasks_target("?connection_request"), kGetVersion);
    EXPECT_EQ(response.result_int(), 504U) << response.body();
    EXPECT_NE(response.body().find("401 after authentication"), std::string::npos)
        << response.body();
    EXPECT_EQ(Json::parse(nbi(bhttp::verb::get, "/tasks").body()).size(), 1U);

    const auto bare = nbi(bhttp::verb::post, tasks_target("?connection_request"));
    EXPECT_EQ(bare.result_int(), 504U) << bare.body();
}

TEST_F(TaskCallTest, ADeviceThatDoesNotComeOnlineIs202QueuedButNotProcessed) {
    CpeConnectionRequestServer cr("cr-pass");
    register_device(cr.url());
    const auto response =
        nbi(bhttp::verb::post, tasks_target("?connection_request&timeout=300"), kGetVersion);
    EXPECT_EQ(response.result_int(), 202U) << response.body();
    EXPECT_EQ(response.reason(), "Task queued but not processed");
    EXPECT_EQ(Json::parse(response.body())["name"], "getParameterValues");
}

TEST_F(TaskCallTest, ABareConnectionRequestIs200OnceTheCpeAcceptsIt) {
    CpeConnectionRequestServer cr("cr-pass");
    register_device(cr.url());
    const auto response = nbi(bhttp::verb::post, tasks_target("?connection_request"));
    EXPECT_EQ(response.result_int(), 200U) << response.body();
    EXPECT_TRUE(cr.wait_for_request());
}

TEST_F(TaskCallTest, UnknownDevicesAre404AndTasksWithoutConnectionRequestAre202) {
    EXPECT_EQ(nbi(bhttp::verb::post, tasks_target("?connection_request"), kGetVersion).result_int(),
              404U);
    EXPECT_EQ(nbi(bhttp::verb::post, tasks_target("?connection_request")).result_int(), 404U);
    register_device("http://127.0.0.1:9/unused");
    const auto queued = nbi(bhttp::verb::post, tasks_target(""), kGetVersion);
    EXPECT_EQ(queued.result_int(), 202U);
    EXPECT_EQ(nbi(bhttp::verb::post, tasks_target("?connection_request&timeout=x"), kGetVersion)
                  .result_int(),
              400U);
}

TEST_F(TaskCallTest, ASilentCpeAndAWaitingCallDoNotHoldUpOthers) {
    CpeConnectionRequestServer cr("cr-pass");
    register_device(cr.url());
    // A CPE that connects, sends half a header and then nothing.
    asio::io_context io;
    tcp::socket silent(io);
    silent.connect(running.server().cwmp_endpoint());
    asio::write(silent, asio::buffer(std::string{"POST / HTTP/1.1\r\nHost: x\r\n"}));
    // An NBI call waiting for a session that will not come (2 s).
    auto waiting = post_async(tasks_target("?connection_request&timeout=2000"), kGetVersion);
    ASSERT_TRUE(cr.wait_for_request());

    // Meanwhile another CPE runs a whole session and the NBI answers.
    ScriptedCpe other(running.server().cwmp_endpoint(), "http://127.0.0.1:9/other", "SN0002");
    other.inform("1 BOOT");
    EXPECT_FALSE(other.empty_post());
    EXPECT_EQ(nbi(bhttp::verb::get, "/devices").result_int(), 200U);

    ASSERT_EQ(waiting.wait_for(std::chrono::seconds(15)), std::future_status::ready);
    EXPECT_EQ(waiting.get().result_int(), 202U);
}

}  // namespace
}  // namespace acssim
