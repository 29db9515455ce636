// Files for downloads: the store (folder, index, limits, reload), the NBI's
// PUT/GET/DELETE /files, and the file server on loopback (GET, HEAD, 404)
// with an upload larger than the NBI's usual body limit.
#include "files/file_store.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/empty_body.hpp>
#include <filesystem>
#include <fstream>
#include <vector>

#include "loopback_server.hpp"
#include "nbi/nbi_handler.hpp"
#include "registry/in_memory_registry.hpp"
#include "test_support.hpp"

namespace acssim {
namespace {

namespace fs = std::filesystem;
using test::bhttp::verb;

StoredFile config_file(std::string name = "phone.xml") {
    StoredFile file;
    file.name = std::move(name);
    file.file_type = "3 Vendor Configuration File";
    file.oui = "00256D";
    file.product_class = "IPPhone";
    file.version = "1.0";
    file.upload_date = test::at(5);
    return file;
}

// A folder of its own, removed at the end of the test whatever happens.
struct TemporaryFolder {
    TemporaryFolder() {
        std::string pattern = (fs::temp_directory_path() / "acs-sim-files-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path = pattern;
    }
    ~TemporaryFolder() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    fs::path path;
};

TEST(FileStore, StoresReplacesAndRemovesFilesAcrossReopening) {
    TemporaryFolder folder;
    {
        auto store = FileStore::open(folder.path / "db.files", false);
        ASSERT_TRUE(store) << store.error();
        auto stored = (*store)->put(config_file(), "<config/>");
        ASSERT_TRUE(stored) << stored.error();
        EXPECT_EQ(stored->length, 9U);
        ASSERT_TRUE((*store)->put(config_file("other name.bin"), std::string(1000, 'x')));
        ASSERT_TRUE((*store)->put(config_file(), "<config a='1'/>"));  // replaces
        EXPECT_EQ(*(*store)->read("phone.xml"), "<config a='1'/>");
    }
    auto reopened = FileStore::open(folder.path / "db.files", false);
    ASSERT_TRUE(reopened) << reopened.error();
    auto& store = **reopened;
    ASSERT_EQ(store.list().size(), 2U);
    auto expected = config_file();
    expected.length = 15;
    ASSERT_NE(store.find("phone.xml"), nullptr);
    EXPECT_EQ(*store.find("phone.xml"), expected);
    EXPECT_EQ(*store.read("other name.bin"), std::string(1000, 'x'));

    auto removed = store.remove("phone.xml");
    ASSERT_TRUE(removed) << removed.error();
    EXPECT_TRUE(*removed);
    removed = store.remove("phone.xml");
    ASSERT_TRUE(removed) << removed.error();
    EXPECT_FALSE(*removed);
    EXPECT_EQ(store.find("phone.xml"), nullptr);
    EXPECT_FALSE(store.read("phone.xml"));
}

TEST(FileStore, RefusesBadNamesAndOversizedContent) {
    auto store = FileStore::open_temporary();
    ASSERT_TRUE(store) << store.error();
    const std::vector<std::string> bad_names = {
        "", ".", "..", "a/b", "a\\b", "a\nb", std::string(FileStore::kMaxNameBytes + 1, 'n')};
    for (const auto& name : bad_names) {
        EXPECT_FALSE((*store)->put(config_file(name), "x")) << name;
    }
    const std::string too_large(FileStore::kMaxFileBytes + 1, '\0');
    const auto refused = (*store)->put(config_file(), too_large);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("at most"), std::string::npos) << refused.error();
    EXPECT_TRUE((*store)->list().empty());
}

TEST(FileStore, TemporaryFolderIsRemoved) {
    fs::path folder;
    {
        auto store = FileStore::open_temporary();
        ASSERT_TRUE(store) << store.error();
        folder = (*store)->folder();
        ASSERT_TRUE((*store)->put(config_file(), "x"));
        EXPECT_TRUE(fs::exists(folder));
    }
    EXPECT_FALSE(fs::exists(folder));
}

TEST(FileStore, RefusesAnIndexWhoseContentIsMissing) {
    TemporaryFolder folder;
    {
        auto store = FileStore::open(folder.path, false);
        ASSERT_TRUE(store);
        ASSERT_TRUE((*store)->put(config_file(), "<config/>"));
    }
    for (const auto& entry : fs::directory_iterator(folder.path)) {
        if (entry.path().extension() == ".data") fs::remove(entry.path());
    }
    const auto reopened = FileStore::open(folder.path, false);
    ASSERT_FALSE(reopened);
    EXPECT_NE(reopened.error().find("index.json"), std::string::npos) << reopened.error();
    EXPECT_NE(reopened.error().find("phone.xml"), std::string::npos) << reopened.error();
}

TEST(NbiFiles, PutListAndDeleteInGenieAcsShape) {
    InMemoryRegistry registry;
    IdGenerator ids;
    auto store = FileStore::open_temporary();
    ASSERT_TRUE(store) << store.error();
    NbiHandler nbi(registry, ids, store->get());

    NbiRequest put{"PUT", "/files/phone%20config.xml", "<config/>"};
    put.headers = {{"FileType", "3 Vendor Configuration File"},
                   {"oui", "00256D"},
                   {"productClass", "IPPhone"},
                   {"version", "2"}};
    EXPECT_EQ(nbi.handle(put, test::at(1)).status, 201U);

    const auto listed = nbi.handle({"GET", "/files", ""}, test::at(2));
    ASSERT_EQ(listed.status, 200U);
    EXPECT_EQ(Json::parse(listed.body), Json::parse(R"([{"_id": "phone config.xml", "length": 9,
        "uploadDate": "2024-05-01T12:00:01.000Z", "filename": "phone config.xml",
        "metadata": {"fileType": "3 Vendor Configuration File", "oui": "00256D",
                     "productClass": "IPPhone", "version": "2"}}])"));
    const auto queried = nbi.handle(
        {"GET", "/files?query=%7B%22metadata.fileType%22%3A%221%20Firmware%20Upgrade%20Image%22%7D",
         ""},
        test::at(2));
    EXPECT_EQ(queried.body, "[]");

    NbiRequest untyped{"PUT", "/files/x.bin", "x"};
    const auto refused = nbi.handle(untyped, test::at(3));
    EXPECT_EQ(refused.status, 400U);
    EXPECT_NE(refused.body.find("fileType"), std::string::npos) << refused.body;

    EXPECT_EQ(nbi.handle({"DELETE", "/files/phone%20config.xml", ""}, test::at(4)).status, 200U);
    EXPECT_EQ(nbi.handle({"DELETE", "/files/phone%20config.xml", ""}, test::at(4)).status, 404U);
    EXPECT_EQ(nbi.handle({"GET", "/files", ""}, test::at(5)).body, "[]");
}

TEST(FileServer, ServesUploadsWithTheirLength) {
    auto options = test::loopback_options();
    options.fs_listen = test::tcp::endpoint(test::asio::ip::make_address("127.0.0.1"), 0);
    test::RunningServer running(options);
    ASSERT_TRUE(running.server().fs_endpoint());

    // Larger than the NBI's 1 MiB limit for other calls.
    const std::string content(3 * 1024 * 1024 + 7, 'f');
    test::Client nbi(running.server().nbi_endpoint());
    test::bhttp::request<test::bhttp::string_body> put{verb::put, "/files/firmware.bin", 11};
    put.set(test::bhttp::field::host, "127.0.0.1");
    put.set("fileType", "1 Firmware Upgrade Image");
    put.body() = content;
    put.prepare_payload();
    test::bhttp::write(nbi.stream(), put);
    EXPECT_EQ(nbi.read().result_int(), 201);
    // ... and the usual limit still holds elsewhere: refused from the header.
    test::Client presets(running.server().nbi_endpoint());
    test::bhttp::request<test::bhttp::string_body> big{verb::put, "/presets/big", 11};
    big.set(test::bhttp::field::host, "127.0.0.1");
    big.body() = std::string(2 * 1024 * 1024, ' ');
    big.prepare_payload();
    test::bhttp::request_serializer<test::bhttp::string_body> serializer{big};
    test::bhttp::write_header(presets.stream(), serializer);
    EXPECT_EQ(presets.read().result_int(), 413);

    test::Client files(*running.server().fs_endpoint());
    const auto got = files.request(verb::get, "/firmware.bin");
    EXPECT_EQ(got.result_int(), 200);
    EXPECT_EQ(got.body().size(), content.size());
    EXPECT_TRUE(got.body() == content);

    test::Client heads(*running.server().fs_endpoint());
    test::bhttp::request<test::bhttp::string_body> head{verb::head, "/firmware.bin", 11};
    head.set(test::bhttp::field::host, "127.0.0.1");
    test::bhttp::write(heads.stream(), head);
    test::bhttp::response_parser<test::bhttp::empty_body> parser;
    parser.skip(true);  // a HEAD answer has no body
    test::bhttp::read(heads.stream(), heads.buffer(), parser);
    EXPECT_EQ(parser.get().result_int(), 200);
    EXPECT_EQ(parser.get()[test::bhttp::field::content_length], std::to_string(content.size()));

    test::Client missing(*running.server().fs_endpoint());
    EXPECT_EQ(missing.request(verb::get, "/absent.bin").result_int(), 404);
}

}  // namespace
}  // namespace acssim
