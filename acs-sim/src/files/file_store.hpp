// The files that CPEs download (GenieACS's "files" collection): content in
// a folder beside the database (<db>.files/, or a temporary folder with
// `--db :memory:`) and their metadata in that folder's index.json, written
// atomically after each change so that a restart keeps both in step.
//
// Writes happen on the caller's thread: each is bounded by kMaxFileBytes,
// and acs-sim is a test tool whose uploads are rare.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phonecwmp/expected.hpp"
#include "util/time_format.hpp"

namespace acssim {

struct StoredFile {
    std::string name;
    // GenieACS's metadata headers: fileType ("1 Firmware Upgrade Image",
    // "3 Vendor Configuration File", ...), oui, productClass, version.
    std::string file_type;
    std::string oui;
    std::string product_class;
    std::string version;
    std::uint64_t length = 0;
    TimePoint upload_date{};

    friend bool operator==(const StoredFile&, const StoredFile&) = default;
};

class FileStore {
public:
    static constexpr std::uint64_t kMaxFileBytes = 64ULL * 1024 * 1024;
    static constexpr std::size_t kMaxFiles = 1000;
    static constexpr std::size_t kMaxNameBytes = 255;

    // Opens (creating it when absent) `folder` and loads its index. With
    // `temporary`, the folder is removed when the store is destroyed. The
    // error names the folder or the index and the problem.
    static phonecwmp::Expected<std::unique_ptr<FileStore>, std::string> open(
        const std::filesystem::path& folder, bool temporary);
    // A new temporary folder under the system's temporary directory.
    static phonecwmp::Expected<std::unique_ptr<FileStore>, std::string> open_temporary();

    ~FileStore();
    FileStore(const FileStore&) = delete;
    FileStore& operator=(const FileStore&) = delete;

    // Why `name` cannot be a file name ("" bytes, a '/', a control
    // character, longer than kMaxNameBytes, "." or ".."); nullopt when it can.
    static std::optional<std::string> name_problem(std::string_view name);

    // Creates or replaces the file. The error says what failed (bad name,
    // too large, too many files, a write error); nothing changes then.
    phonecwmp::Expected<StoredFile, std::string> put(StoredFile metadata, std::string_view content);
    // False when there is no such file.
    phonecwmp::Expected<bool, std::string> remove(std::string_view name);
    const StoredFile* find(std::string_view name) const;
    std::vector<StoredFile> list() const;
    // The content, read from the folder.
    phonecwmp::Expected<std::string, std::string> read(std::string_view name) const;

    const std::filesystem::path& folder() const { return folder_; }

private:
    FileStore(std::filesystem::path folder, bool temporary);
    std::filesystem::path content_path(std::string_view name) const;
    phonecwmp::Expected<void, std::string> load_index();
    phonecwmp::Expected<void, std::string> write_index() const;

    std::filesystem::path folder_;
    bool temporary_;
    std::map<std::string, StoredFile, std::less<>> files_;
};

}  // namespace acssim
