// Download and Upload end to end against a local HTTP file server: the
// queue, the file types, the TransferComplete outcomes, the RPC refusals,
// and a TransferComplete that survives a restart.
#include "transfer/transfer_manager.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <fstream>
#include <map>

#include "agent.hpp"
#include "cwmp/event_codes.hpp"
#include "cwmp/fault_codes.hpp"
#include "datamodel/factory.hpp"
#include "http_test_server.hpp"
#include "io_loop.hpp"
#include "rpc/rpc_dispatcher.hpp"
#include "scripted_acs.hpp"
#include "temp_folder.hpp"
#include "test_model.hpp"

namespace agent::transfer {
namespace {

using http::test::make_reply;
using http::test::RecordedRequest;
using http::test::Reply;
using http::test::TestHttpServer;

constexpr const char* kFactory = R"xml(<factory xmlns="urn:phonecwmp:factory-1-0">
  <instance path="Device.Services.VoiceService.1."/>
</factory>)xml";
constexpr const char* kInterval = "Device.ManagementServer.PeriodicInformInterval";

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class TransferManagerTest : public ::testing::Test {
protected:
    testing::TempFolder folder;
    boost::asio::io_context io;
    std::unique_ptr<datamodel::Model> model = open_model();
    http::CurlMultiClient curl{io};
    // Path -> reply; a path not listed gets 404. "/slow" is never answered.
    std::map<std::string, Reply> files;
    std::string required_authorization;  // non-empty: 401 without it
    TestHttpServer server{io, [this](const RecordedRequest& request) -> std::optional<Reply> {
                              if (request.target == "/slow") return std::nullopt;
                              if (!required_authorization.empty() &&
                                  request.header("Authorization") != required_authorization) {
                                  Reply reply = make_reply(401, "who are you");
                                  reply.set(boost::beast::http::field::www_authenticate,
                                            "Basic realm=\"files\"");
                                  return reply;
                              }
                              if (request.method == "PUT") return make_reply(201);
                              auto it = files.find(request.target);
                              return it == files.end() ? make_reply(404, "no") : it->second;
                          }};
    std::unique_ptr<TransferManager> manager;
    int completions = 0;
    int firmware_restarts = 0;

    std::unique_ptr<datamodel::Model> open_model() {
        const auto factory = datamodel::load_factory_string(kFactory);
        if (!factory) throw std::runtime_error(factory.error().message);
        auto opened = datamodel::Model::open(testing::phone_definitions(),
                                             folder.path() / "store.sqlite", *factory);
        if (!opened) throw std::runtime_error(opened.error().message);
        return std::move(*opened);
    }

    TransferSettings settings() {
        TransferSettings s;
        s.files_dir = folder.path() / "files";
        s.max_transfers = 4;
        s.max_file_bytes = 64 * 1024;
        s.transfer_timeout = std::chrono::seconds(10);
        // Installs by copying the image beside the store.
        s.firmware_command = "install_image() { cp \"$1\" '" +
                             (folder.path() / "installed.img").string() + "'; }; install_image";
        return s;
    }

    void start_manager(TransferSettings s) {
        manager = std::make_unique<TransferManager>(io, *model, curl, std::move(s));
        manager->on_completed([this] { ++completions; });
        manager->on_firmware_installed([this] { ++firmware_restarts; });
        manager->start();
    }
    void SetUp() override { start_manager(settings()); }

    cwmp::Download download(const std::string& key, const std::string& type,
                            const std::string& path, std::uint32_t size = 0) {
        cwmp::Download request;
        request.command_key = key;
        request.file_type = type;
        request.url = server.url(path);
        request.file_size = size;
        return request;
    }

    // Runs until the transfer `key` has completed; its outcome.
    cwmp::FaultStruct outcome_of(const std::string& key) {
        const auto completed = [&] {
            for (const auto& r : manager->list().transfers) {
                if (r.command_key == key && r.state == TransferState::Completed) return true;
            }
            return false;
        };
        EXPECT_TRUE(testing::run_until(io, completed, std::chrono::seconds(20)))
            << "transfer " << key << " did not complete";
        for (const auto& r : manager->list().transfers) {
            if (r.command_key == key) return r.fault;
        }
        return {};
    }

    bool pending(std::string_view code, std::string_view key = {}) const {
        for (const auto& e : model->pending_events()) {
            if (e.code == code && e.command_key == key) return true;
        }
        return false;
    }
};

TEST_F(TransferManagerTest, ToneFileIsStoredAndItsCompletionCommittedWithItsEvents) {
    files["/tones/ring.wav"] = make_reply(200, "RIFF....tone", "audio/wav");
    ASSERT_TRUE(manager->download(download("tone-1", "4 Tone File", "/tones/ring.wav", 12)));
    EXPECT_EQ(manager->queued().at(0).state, 1);
    EXPECT_EQ(outcome_of("tone-1").fault_code, 0u);
    EXPECT_EQ(read_file(folder.path() / "files" / "tones" / "ring.wav"), "RIFF....tone");
    EXPECT_TRUE(pending(cwmp::event::kTransferComplete));
    EXPECT_TRUE(pending(cwmp::event::kMDownload, "tone-1"));
    EXPECT_GE(completions, 1);

    auto requests = manager->completion_requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& complete = std::get<cwmp::TransferComplete>(requests[0].body);
    EXPECT_EQ(complete.command_key, "tone-1");
    EXPECT_EQ(complete.fault_struct.fault_code, 0u);
    EXPECT_NE(complete.start_time, "0001-01-01T00:00:00Z");
    EXPECT_NE(complete.complete_time, "0001-01-01T00:00:00Z");
    EXPECT_EQ(manager->queued().at(0).state, 3) << "complete until acknowledged";
    requests[0].answered(cwmp::TransferCompleteResponse{});
    EXPECT_TRUE(manager->list().transfers.empty());
    EXPECT_TRUE(manager->queued().empty());
}

TEST_F(TransferManagerTest, RingerFileTakesItsNameFromTheUrlWhenNoTargetIsGiven) {
    files["/r/bell.raw"] = make_reply(200, "ding");
    ASSERT_TRUE(manager->download(download("r", "5 Ringer File", "/r/bell.raw")));
    EXPECT_EQ(outcome_of("r").fault_code, 0u);
    EXPECT_EQ(read_file(folder.path() / "files" / "ringers" / "bell.raw"), "ding");
}

TEST_F(TransferManagerTest, ConfigurationFileIsAppliedAsOneTransaction) {
    files["/good.xml"] = make_reply(200, std::string(R"(<factory xmlns="urn:phonecwmp:factory-1-0">
  <value path=")") + kInterval + R"(">777</value>
</factory>)");
    ASSERT_TRUE(manager->download(download("cfg", "3 Vendor Configuration File", "/good.xml")));
    EXPECT_EQ(outcome_of("cfg").fault_code, 0u);
    EXPECT_EQ(model->value(kInterval), "777");

    // One bad value: nothing of the file is applied.
    files["/bad.xml"] = make_reply(200, std::string(R"(<factory xmlns="urn:phonecwmp:factory-1-0">
  <value path=")") + kInterval + R"(">888</value>
  <value path="Device.ManagementServer.CWMPRetryIntervalMultiplier">5</value>
</factory>)");
    ASSERT_TRUE(manager->download(download("bad", "3 Vendor Configuration File", "/bad.xml")));
    const auto refused = outcome_of("bad");
    EXPECT_EQ(refused.fault_code, cwmp::kDownloadFailure);
    EXPECT_NE(refused.fault_string.find("CWMPRetryIntervalMultiplier"), std::string::npos)
        << refused.fault_string;
    EXPECT_EQ(model->value(kInterval), "777");
    EXPECT_TRUE(pending(cwmp::event::kMDownload, "bad")) << "a failure is reported too";

    files["/garbage.xml"] = make_reply(200, "<not-a-config/>");
    ASSERT_TRUE(manager->download(download("junk", "3 Vendor Configuration File", "/garbage.xml")));
    EXPECT_EQ(outcome_of("junk").fault_code, cwmp::kFileCorrupted);
}

TEST_F(TransferManagerTest, FailuresGetTheirTransferCompleteFaultCodes) {
    files["/four"] = make_reply(200, "1234");
    ASSERT_TRUE(manager->download(download("missing", "4 Tone File", "/nothing.wav")));
    EXPECT_EQ(outcome_of("missing").fault_code, cwmp::kFileAccessFailure);

    ASSERT_TRUE(manager->download(download("short", "4 Tone File", "/four", 10)));
    EXPECT_EQ(outcome_of("short").fault_code, cwmp::kFileCorrupted);

    ASSERT_TRUE(manager->download(download("long", "4 Tone File", "/four", 2)));
    EXPECT_EQ(outcome_of("long").fault_code, cwmp::kFileCorrupted);
    EXPECT_FALSE(std::filesystem::exists(folder.path() / "files" / "tones" / "four"))
        << "a failed download leaves no file";

    // Nothing is listening on port 1 of loopback.
    cwmp::Download unreachable = download("down", "4 Tone File", "/x");
    unreachable.url = "http://127.0.0.1:1/x.wav";
    ASSERT_TRUE(manager->download(unreachable));
    EXPECT_EQ(outcome_of("down").fault_code, cwmp::kFileServerUnreachable);
}

TEST_F(TransferManagerTest, CredentialsAreSentAndWrongOnesFailWith9012) {
    files["/secret.wav"] = make_reply(200, "s3");
    required_authorization = "Basic dXNlcjpwYXNz";  // user:pass
    cwmp::Download wrong = download("wrong", "4 Tone File", "/secret.wav");
    wrong.username = "user";
    wrong.password = "nope";
    ASSERT_TRUE(manager->download(wrong));
    EXPECT_EQ(outcome_of("wrong").fault_code, cwmp::kFileTransferServerAuthenticationFailure);

    cwmp::Download right = download("right", "4 Tone File", "/secret.wav");
    right.username = "user";
    right.password = "pass";
    ASSERT_TRUE(manager->download(right));
    EXPECT_EQ(outcome_of("right").fault_code, 0u);
}

TEST_F(TransferManagerTest, FirmwareGoesToTheInstallCommandThenTheDeviceRestarts) {
    files["/fw.img"] = make_reply(200, "FIRMWARE-2.0");
    ASSERT_TRUE(manager->download(download("fw", "1 Firmware Upgrade Image", "/fw.img")));
    EXPECT_EQ(outcome_of("fw").fault_code, 0u);
    EXPECT_EQ(read_file(folder.path() / "installed.img"), "FIRMWARE-2.0");
    EXPECT_EQ(firmware_restarts, 1);
    EXPECT_TRUE(pending(cwmp::event::kMDownload, "fw")) << "committed before the restart";

    auto failing = settings();
    failing.firmware_command = "exit 3; true";
    manager.reset();
    start_manager(failing);
    ASSERT_TRUE(manager->download(download("fw2", "1 Firmware Upgrade Image", "/fw.img")));
    const auto fault = outcome_of("fw2");
    EXPECT_EQ(fault.fault_code, cwmp::kDownloadFailure);
    EXPECT_NE(fault.fault_string.find("exit status 3"), std::string::npos) << fault.fault_string;
    EXPECT_EQ(firmware_restarts, 1);
}

TEST_F(TransferManagerTest, RefusedRequestsFaultAtOnceAndQueueNothing) {
    const auto fault_of = [&](const cwmp::Download& request) {
        auto result = manager->download(request);
        return result ? 0u : result.error().fault_code;
    };
    cwmp::Download ftp = download("a", "4 Tone File", "/x");
    ftp.url = "ftp://127.0.0.1/x";
    EXPECT_EQ(fault_of(ftp), cwmp::kUnsupportedTransferProtocol);
    EXPECT_EQ(fault_of(download("a", "2 Web Content", "/x")), cwmp::kDownloadFailure);
    EXPECT_EQ(fault_of(download(std::string(33, 'k'), "4 Tone File", "/x")),
              cwmp::kInvalidArguments);
    cwmp::Download escape = download("a", "4 Tone File", "/x");
    escape.target_file_name = "../../etc/passwd";
    EXPECT_EQ(fault_of(escape), cwmp::kInvalidArguments);
    EXPECT_EQ(fault_of(download("a", "4 Tone File", "/x", 1024 * 1024)), cwmp::kDownloadFailure)
        << "FileSize above the limit";

    // Only hosts inside the restricted access domains (an IP literal is
    // inside no domain).
    ASSERT_TRUE(model->set_internal({{std::string(kRestrictedDomainsPath), "example.com", {}}}));
    EXPECT_EQ(fault_of(download("a", "4 Tone File", "/x.wav")), cwmp::kRequestDenied);
    cwmp::Download inside = download("a", "4 Tone File", "/x");
    inside.url = "http://files.example.com/x.wav";
    EXPECT_EQ(fault_of(inside), 0u);
    ASSERT_TRUE(manager->cancel("a"));
    cwmp::Upload upload;
    upload.file_type = "1 Vendor Configuration File";
    upload.url = "http://evil.example.org/up";
    ASSERT_FALSE(manager->upload(upload));
    EXPECT_EQ(manager->upload(upload).error().fault_code, cwmp::kRequestDenied);
    EXPECT_TRUE(manager->queued().empty());
}

TEST_F(TransferManagerTest, QueueIsBoundedListedAndCancellable) {
    for (int i = 0; i < 4; ++i) {
        cwmp::Download later = download("later-" + std::to_string(i), "4 Tone File", "/t.wav");
        later.delay_seconds = 3600;
        ASSERT_TRUE(manager->download(later));
    }
    cwmp::Download one_more = download("too-many", "4 Tone File", "/t.wav");
    auto refused = manager->download(one_more);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fault_code, cwmp::kResourcesExceeded);

    ASSERT_EQ(manager->queued().size(), 4u);
    for (const auto& queued : manager->queued()) {
        EXPECT_EQ(queued.state, 1);
        EXPECT_TRUE(queued.is_download);
        EXPECT_EQ(queued.file_type, "4 Tone File");
    }
    ASSERT_TRUE(manager->cancel("later-2"));
    EXPECT_EQ(manager->queued().size(), 3u);
    auto unknown = manager->cancel("later-2");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().fault_code, cwmp::kInvalidArguments);
    // Nothing ran meanwhile, and a cancelled transfer never completes.
    EXPECT_TRUE(testing::run_for(io, std::chrono::milliseconds(200)));
    EXPECT_EQ(completions, 0);
    EXPECT_TRUE(model->pending_events().empty());
}

TEST_F(TransferManagerTest, NewAcsDropsQueuedTransfersAndUnsentCompletions) {
    files["/t.wav"] = make_reply(200, "t");
    ASSERT_TRUE(manager->download(download("done", "4 Tone File", "/t.wav")));
    ASSERT_EQ(outcome_of("done").fault_code, 0u);
    cwmp::Download later = download("later", "4 Tone File", "/t.wav");
    later.delay_seconds = 3600;
    ASSERT_TRUE(manager->download(later));
    manager->discard_for_new_acs();
    EXPECT_TRUE(manager->queued().empty());
    EXPECT_TRUE(manager->completion_requests().empty());
    // Also after a restart.
    manager.reset();
    start_manager(settings());
    EXPECT_TRUE(manager->list().transfers.empty());
    EXPECT_EQ(manager->list().next_id, 3u) << "ids are not reused";
}

TEST_F(TransferManagerTest, TransferInProgressCannotBeCancelled) {
    ASSERT_TRUE(manager->download(download("slow", "4 Tone File", "/slow")));
    ASSERT_TRUE(testing::run_until(
        io, [&] { return !manager->queued().empty() && manager->queued()[0].state == 2; }));
    auto refused = manager->cancel("slow");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fault_code, cwmp::kCancelNotPermitted);
}

TEST_F(TransferManagerTest, UploadsPutTheConfigurationAndTheStatusText) {
    ASSERT_TRUE(model->set_internal({{kInterval, "4321", {}}}));
    cwmp::Upload config;
    config.command_key = "up-cfg";
    config.file_type = "1 Vendor Configuration File";
    config.url = server.url("/upload/config.xml");
    ASSERT_TRUE(manager->upload(config));
    EXPECT_EQ(outcome_of("up-cfg").fault_code, 0u);
    EXPECT_TRUE(pending(cwmp::event::kMUpload, "up-cfg"));
    const RecordedRequest& put = server.requests().back();
    EXPECT_EQ(put.method, "PUT");
    EXPECT_EQ(put.target, "/upload/config.xml");
    EXPECT_NE(put.body.find("<value path=\"Device.ManagementServer.PeriodicInformInterval\">4321"),
              std::string::npos)
        << put.body;

    cwmp::Upload log;
    log.command_key = "up-log";
    log.file_type = "2 Vendor Log File";
    log.url = server.url("/upload/log.txt");
    ASSERT_TRUE(manager->upload(log));
    EXPECT_EQ(outcome_of("up-log").fault_code, 0u);
    EXPECT_NE(server.requests().back().body.find("no log file is configured"), std::string::npos);

    required_authorization = "Basic eDp5";
    log.command_key = "up-denied";
    ASSERT_TRUE(manager->upload(log));
    EXPECT_EQ(outcome_of("up-denied").fault_code, cwmp::kFileTransferServerAuthenticationFailure);
}

TEST_F(TransferManagerTest, RpcHandlersAnswerThroughTheManager) {
    rpc::RpcDispatcher dispatcher(*model);
    EXPECT_EQ(std::get<cwmp::Fault>(dispatcher.dispatch(download("k", "4 Tone File", "/t.wav")))
                  .fault_code,
              cwmp::kRequestDenied)
        << "no transfer manager attached";
    dispatcher.context().transfers = manager.get();
    cwmp::Download later = download("k", "4 Tone File", "/t.wav");
    later.delay_seconds = 3600;
    const auto response = std::get<cwmp::DownloadResponse>(dispatcher.dispatch(later));
    EXPECT_EQ(response.status, 1);
    EXPECT_EQ(response.start_time, "0001-01-01T00:00:00Z");
    const auto listed = std::get<cwmp::GetAllQueuedTransfersResponse>(
        dispatcher.dispatch(cwmp::GetAllQueuedTransfers{}));
    ASSERT_EQ(listed.transfer_list.size(), 1u);
    EXPECT_EQ(listed.transfer_list[0].command_key, "k");
    EXPECT_TRUE(std::holds_alternative<cwmp::CancelTransferResponse>(
        dispatcher.dispatch(cwmp::CancelTransfer{"k"})));
    EXPECT_EQ(std::get<cwmp::Fault>(dispatcher.dispatch(cwmp::CancelTransfer{"k"})).fault_code,
              cwmp::kInvalidArguments);
    const auto methods = rpc::RpcDispatcher::supported_methods();
    for (const char* method : {"Download", "Upload", "GetAllQueuedTransfers", "CancelTransfer"}) {
        EXPECT_NE(std::find(methods.begin(), methods.end(), method), methods.end()) << method;
    }
}

TEST_F(TransferManagerTest, TransferCompleteSurvivesARestartAndGoesAfterTheInformResponse) {
    files["/ring.wav"] = make_reply(200, "tone");
    ASSERT_TRUE(manager->download(download("before-restart", "4 Tone File", "/ring.wav")));
    ASSERT_EQ(outcome_of("before-restart").fault_code, 0u);
    ASSERT_TRUE(model->set_internal({{"Device.ManagementServer.URL", "http://acs.invalid/", {}}}));
    // The same ACS as before the restart (a new one would drop the transfer).
    ASSERT_TRUE(model->set_meta(state_key::kBootstrappedUrl, "http://acs.invalid/"));
    manager.reset();
    model.reset();

    // The device starts again from its store.
    model = open_model();
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    agent::testing::ScriptedAcs acs{io};
    const auto soap = [&](cwmp::Body body) {
        return agent::testing::answer(
            200, codec->encode({{}, std::move(body)}, cwmp::Namespace::Cwmp12));
    };
    acs.answers = {soap(cwmp::InformResponse{1}), soap(cwmp::TransferCompleteResponse{}),
                   agent::testing::answer(204)};
    TransferManager restarted(io, *model, curl, settings());
    Agent agent(io, *model, acs, *codec);
    agent.attach_transfers(restarted);
    agent.start();
    restarted.start();
    ASSERT_TRUE(testing::run_until(io, [&] { return acs.posted.size() >= 3; }));
    io.poll();

    const auto inform = codec->decode(acs.posted[0].body);
    ASSERT_TRUE(inform);
    std::vector<cwmp::EventStruct> events = std::get<cwmp::Inform>(inform->envelope.body).event;
    const auto has = [&](std::string_view code, std::string_view key) {
        return std::find(events.begin(), events.end(),
                         cwmp::EventStruct{std::string(code), std::string(key)}) != events.end();
    };
    EXPECT_TRUE(has(cwmp::event::kTransferComplete, ""));
    EXPECT_TRUE(has(cwmp::event::kMDownload, "before-restart"));
    const auto request = codec->decode(acs.posted[1].body);
    ASSERT_TRUE(request);
    EXPECT_EQ(std::get<cwmp::TransferComplete>(request->envelope.body).command_key,
              "before-restart");
    EXPECT_TRUE(acs.posted[2].body.empty());
    // Acknowledged: the record and its events are gone from the store.
    EXPECT_TRUE(restarted.list().transfers.empty());
    EXPECT_FALSE(pending(cwmp::event::kTransferComplete));
    EXPECT_FALSE(pending(cwmp::event::kMDownload, "before-restart"));
    EXPECT_EQ(model->meta(kTransfersMetaKey).value_or(""), to_json(TransferList{2, {}}));
}

TEST_F(TransferManagerTest, FaultedTransferCompleteWaitsForTheRetryScheduleNotALoop) {
    files["/ring.wav"] = make_reply(200, "tone");
    ASSERT_TRUE(manager->download(download("owed", "4 Tone File", "/ring.wav")));
    ASSERT_EQ(outcome_of("owed").fault_code, 0u);
    ASSERT_TRUE(model->set_internal({{"Device.ManagementServer.URL", "http://acs.invalid/", {}}}));
    ASSERT_TRUE(model->set_meta(state_key::kBootstrappedUrl, "http://acs.invalid/"));
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    agent::testing::ScriptedAcs acs{io};
    const auto soap = [&](cwmp::Body body) {
        return agent::testing::answer(
            200, codec->encode({{}, std::move(body)}, cwmp::Namespace::Cwmp12));
    };
    acs.answers = {soap(cwmp::InformResponse{1}),
                   soap(cwmp::Fault{cwmp::kAcsInvalidArguments, "no", {}}),
                   agent::testing::answer(204)};
    Agent agent(io, *model, acs, *codec);
    agent.attach_transfers(*manager);
    agent.start();
    ASSERT_TRUE(testing::run_until(io, [&] { return acs.posted.size() >= 3; }));
    // The retry waits at least CWMPRetryMinimumWaitInterval (5 s).
    EXPECT_TRUE(testing::run_for(io, std::chrono::milliseconds(300)));
    EXPECT_EQ(acs.posted.size(), 3u);
    EXPECT_EQ(agent.failed_sessions(), 1u);
    EXPECT_TRUE(pending(cwmp::event::kTransferComplete));
    EXPECT_TRUE(pending(cwmp::event::kMDownload, "owed"));
    EXPECT_EQ(manager->completion_requests().size(), 1u);
}

}  // namespace
}  // namespace agent::transfer
