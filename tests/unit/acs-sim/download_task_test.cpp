// The download task: queued through the NBI from a file of the file store,
// sent as a Download whose CommandKey is the task id, pending while the CPE
// transfers and finished by the TransferComplete with that CommandKey —
// also after a restart of the registry.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "cwmp/codec.hpp"
#include "files/file_store.hpp"
#include "nbi/documents.hpp"
#include "nbi/nbi_handler.hpp"
#include "registry/in_memory_registry.hpp"
#include "registry/registry_persistence.hpp"
#include "registry/task_serialization.hpp"
#include "session/cwmp_endpoint.hpp"
#include "test_support.hpp"
#include "util/url.hpp"

namespace acssim {
namespace {

using test::at;
using test::phone_key;

constexpr const char* kFileServer = "http://192.0.2.7:7567/";
constexpr std::string_view kContent = "ringer bytes";

class DownloadTaskTest : public ::testing::Test {
protected:
    DownloadTaskTest() {
        auto opened = FileStore::open_temporary();
        EXPECT_TRUE(opened) << opened.error();
        files = std::move(*opened);
        StoredFile file;
        file.name = "ring tone.wav";
        file.file_type = "5 Ringer File";
        EXPECT_TRUE(files->put(file, kContent));
        nbi.set_file_store(files.get());
        nbi.set_file_server_url(kFileServer);
        registry.record_inform(phone_key(), test::phone_inform(), at());
    }

    NbiResponse post_task(std::string_view body) {
        return nbi.handle(
            NbiRequest{"POST", "/devices/" + percent_encode(phone_key()) + "/tasks", body}, at(1));
    }

    // Queues a download of the stored file; returns the task id.
    std::string queue_download() {
        const auto response = post_task(R"({"name": "download", "file": "ring tone.wav"})");
        EXPECT_EQ(response.status, 202U) << response.body;
        return Json::parse(response.body).at("_id").get<std::string>();
    }

    std::string encode(cwmp::Body body) {
        cwmp::Envelope envelope;
        envelope.header.id = "cpe-1";
        envelope.body = std::move(body);
        return codec->encode(envelope, cwmp::Namespace::Cwmp12);
    }

    CwmpReply inform(std::vector<std::string> events, int seconds) {
        auto inform = test::phone_inform(std::move(events));
        auto reply = endpoint.handle(CwmpRequest{encode(std::move(inform)), {}, {}}, at(seconds));
        EXPECT_EQ(reply.status, 200U) << reply.body;
        cookie = reply.set_cookie.substr(0, reply.set_cookie.find(';'));
        return reply;
    }

    CwmpReply post(const std::string& body, int seconds) {
        return endpoint.handle(CwmpRequest{body, cookie, {}}, at(seconds));
    }

    cwmp::Body body_of(const CwmpReply& reply) {
        auto decoded = codec->decode(reply.body);
        EXPECT_TRUE(decoded) << reply.body;
        return decoded ? decoded->envelope.body : cwmp::Body{};
    }

    // Runs a session that sends the queued download and answers it with `status`.
    void accept_download(int status) {
        inform({"6 CONNECTION REQUEST"}, 2);
        const auto request = body_of(post("", 3));
        ASSERT_TRUE(std::holds_alternative<cwmp::Download>(request));
        cwmp::DownloadResponse response;
        response.status = status;
        EXPECT_EQ(post(encode(response), 4).status, 204U);
    }

    // A session reporting the transfer of `command_key`.
    CwmpReply transfer_complete(const std::string& command_key, std::uint32_t fault_code) {
        inform({"7 TRANSFER COMPLETE", "M Download"}, 10);
        cwmp::TransferComplete complete;
        complete.command_key = command_key;
        complete.fault_struct.fault_code = fault_code;
        if (fault_code != 0) complete.fault_struct.fault_string = "file corrupted";
        return post(encode(complete), 11);
    }

    std::unique_ptr<FileStore> files;
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    InMemoryRegistry registry;
    IdGenerator ids{7};
    NbiHandler nbi{registry, ids};
    CwmpEndpoint endpoint{registry, *codec, ids};
    std::string cookie;
};

TEST_F(DownloadTaskTest, TheTaskIsResolvedFromTheFileStore) {
    const auto response =
        post_task(R"({"name": "download", "file": "ring tone.wav", "targetFileName": "ring.wav"})");
    ASSERT_EQ(response.status, 202U) << response.body;
    const auto document = Json::parse(response.body);
    EXPECT_EQ(document["name"], "download");
    EXPECT_EQ(document["file"], "ring tone.wav");
    EXPECT_EQ(document["fileType"], "5 Ringer File");
    EXPECT_EQ(document["targetFileName"], "ring.wav");
    const auto task = registry.find_task(document["_id"].get<std::string>());
    ASSERT_TRUE(task);
    const auto& spec = std::get<DownloadTask>(task->spec);
    EXPECT_EQ(spec.url, std::string{kFileServer} + "ring%20tone.wav");
    EXPECT_EQ(spec.file_size, kContent.size());

    const auto typed =
        post_task(R"({"name": "download", "file": "ring tone.wav", "fileType": "4 Tone File"})");
    ASSERT_EQ(typed.status, 202U) << typed.body;
    EXPECT_EQ(Json::parse(typed.body)["fileType"], "4 Tone File");
}

TEST_F(DownloadTaskTest, BadDownloadTasksAre400) {
    const auto unknown = post_task(R"({"name": "download", "file": "absent.bin"})");
    EXPECT_EQ(unknown.status, 400U);
    EXPECT_NE(unknown.body.find("no file \"absent.bin\""), std::string::npos) << unknown.body;
    EXPECT_EQ(post_task(R"({"name": "download"})").status, 400U);
    EXPECT_EQ(post_task(R"({"name": "download", "file": 3})").status, 400U);
    EXPECT_EQ(post_task(R"({"name": "download", "file": "ring tone.wav", "fileType": ""})").status,
              400U);
    EXPECT_TRUE(registry.open_tasks().empty());

    nbi.set_file_server_url("");
    const auto no_server = post_task(R"({"name": "download", "file": "ring tone.wav"})");
    EXPECT_EQ(no_server.status, 400U);
    EXPECT_NE(no_server.body.find("--fs-listen"), std::string::npos) << no_server.body;
}

TEST_F(DownloadTaskTest, AnAcceptedDownloadWaitsForItsTransferComplete) {
    const auto id = queue_download();
    inform({"6 CONNECTION REQUEST"}, 2);
    const auto request = body_of(post("", 3));
    ASSERT_TRUE(std::holds_alternative<cwmp::Download>(request));
    const auto& download = std::get<cwmp::Download>(request);
    EXPECT_EQ(download.command_key, id);
    EXPECT_EQ(download.file_type, "5 Ringer File");
    EXPECT_EQ(download.url, std::string{kFileServer} + "ring%20tone.wav");
    EXPECT_EQ(download.file_size, kContent.size());
    EXPECT_EQ(download.delay_seconds, 0U);
    EXPECT_TRUE(download.username.empty());
    EXPECT_TRUE(download.password.empty());

    cwmp::DownloadResponse accepted;
    accepted.status = 1;
    EXPECT_EQ(post(encode(accepted), 4).status, 204U);
    EXPECT_EQ(registry.find_task(id)->state, TaskState::Transferring);
    ASSERT_EQ(registry.open_tasks().size(), 1U);  // still listed by GET /tasks

    // A session before the transfer ends does not send the Download again.
    inform({"2 PERIODIC"}, 6);
    EXPECT_EQ(post("", 7).status, 204U);

    const auto answer = transfer_complete(id, 0);
    EXPECT_TRUE(std::holds_alternative<cwmp::TransferCompleteResponse>(body_of(answer)));
    EXPECT_EQ(registry.find_task(id)->state, TaskState::Done);
    EXPECT_TRUE(registry.open_tasks().empty());
    EXPECT_EQ(registry.find_device(phone_key())->last_events.at(0).event_code,
              "7 TRANSFER COMPLETE");
}

TEST_F(DownloadTaskTest, AFailedTransferIsAFaultOfTheTask) {
    const auto id = queue_download();
    accept_download(1);
    transfer_complete(id, 9018);
    const auto task = registry.find_task(id);
    ASSERT_EQ(task->state, TaskState::Fault);
    EXPECT_EQ(task->fault->code, "cwmp.9018");
    EXPECT_EQ(task->fault->message, "file corrupted");
    ASSERT_EQ(registry.faulted_tasks().size(), 1U);
    EXPECT_EQ(fault_id(registry.faulted_tasks()[0]), phone_key() + ":task_" + id);
}

TEST_F(DownloadTaskTest, StatusZeroIsDoneAtOnceAndARefusalIsAFault) {
    const auto done = queue_download();
    accept_download(0);
    EXPECT_EQ(registry.find_task(done)->state, TaskState::Done);

    const auto refused = queue_download();
    inform({"6 CONNECTION REQUEST"}, 20);
    ASSERT_TRUE(std::holds_alternative<cwmp::Download>(body_of(post("", 21))));
    EXPECT_EQ(post(encode(cwmp::Fault{9010, "unsupported FileType", {}}), 22).status, 204U);
    EXPECT_EQ(registry.find_task(refused)->state, TaskState::Fault);
    EXPECT_EQ(registry.find_task(refused)->fault->code, "cwmp.9010");
}

TEST_F(DownloadTaskTest, ATransferCompleteOfAnotherDeviceOrTaskChangesNothing) {
    const auto id = queue_download();
    accept_download(1);
    const auto answer = transfer_complete("no-such-task", 0);
    EXPECT_TRUE(std::holds_alternative<cwmp::TransferCompleteResponse>(body_of(answer)));
    EXPECT_EQ(registry.find_task(id)->state, TaskState::Transferring);
}

TEST(DownloadTaskPersistence, ATransferringDownloadSurvivesARestart) {
    std::random_device random;
    const auto folder =
        std::filesystem::temp_directory_path() /
        ("acs-sim-download-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
    std::filesystem::create_directories(folder);
    struct Remove {
        std::filesystem::path path;
        ~Remove() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    } remove{folder};
    const auto database = (folder / "acs.sqlite").string();

    Task task;
    task.id = "task-1";
    task.device_id = phone_key();
    task.spec = DownloadTask{"f.xml", "3 Vendor Configuration File", "http://h/f.xml", 42, "t"};
    task.timestamp = at();
    {
        InMemoryRegistry registry;
        auto persistence = RegistryPersistence::open(database, registry);
        ASSERT_TRUE(persistence) << persistence.error();
        registry.record_inform(phone_key(), test::phone_inform(), at());
        registry.add_task(task);
        registry.mark_task_sent(task.id);
        registry.mark_task_transferring(task.id);
        EXPECT_TRUE((*persistence)->close());
    }
    InMemoryRegistry reloaded;
    auto persistence = RegistryPersistence::open(database, reloaded);
    ASSERT_TRUE(persistence) << persistence.error();
    const auto restored = reloaded.find_task(task.id);
    ASSERT_TRUE(restored);
    EXPECT_EQ(restored->state, TaskState::Transferring);
    EXPECT_EQ(restored->spec, task.spec);
    EXPECT_FALSE(reloaded.next_pending_task(phone_key()));

    const auto text = serialize_task_spec(task.spec);
    auto parsed = parse_task_spec(text);
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(*parsed, task.spec);
}

}  // namespace
}  // namespace acssim
