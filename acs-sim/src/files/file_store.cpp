#include "files/file_store.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <system_error>

#include "command_line.hpp"

namespace acssim {

namespace fs = std::filesystem;
using phonecwmp::Unexpected;

namespace {

constexpr char kIndexName[] = "index.json";

std::int64_t to_milliseconds(TimePoint time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

TimePoint from_milliseconds(std::int64_t milliseconds) {
    return TimePoint{
        std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds{milliseconds})};
}

}  // namespace

FileStore::FileStore(fs::path folder, bool temporary)
    : folder_(std::move(folder)), temporary_(temporary) {}

FileStore::~FileStore() {
    if (!temporary_) return;
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
}

phonecwmp::Expected<std::unique_ptr<FileStore>, std::string> FileStore::open(const fs::path& folder,
                                                                             bool temporary) {
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) {
        return Unexpected(
            fmt::format("files folder {}: cannot create it: {}", folder.string(), error.message()));
    }
    std::unique_ptr<FileStore> store(new FileStore(folder, temporary));
    if (auto loaded = store->load_index(); !loaded) return Unexpected(loaded.error());
    return store;
}

phonecwmp::Expected<std::unique_ptr<FileStore>, std::string> FileStore::open_temporary() {
    std::string pattern = (fs::temp_directory_path() / "acs-sim-files-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        return Unexpected(fmt::format("cannot create a temporary files folder {}: {}", pattern,
                                      std::generic_category().message(errno)));
    }
    return open(pattern, true);
}

std::optional<std::string> FileStore::name_problem(std::string_view name) {
    if (name.empty()) return std::string{"a file name cannot be empty"};
    if (name.size() > kMaxNameBytes) {
        return fmt::format("a file name has at most {} bytes", kMaxNameBytes);
    }
    if (name == "." || name == "..") return fmt::format("\"{}\" cannot be a file name", name);
    for (const char c : name) {
        if (c == '/' || c == '\\') return std::string{"a file name cannot contain '/' or '\\'"};
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return std::string{"a file name cannot contain control characters"};
        }
    }
    return std::nullopt;
}

fs::path FileStore::content_path(std::string_view name) const {
    // Hex keeps any name the NBI accepts a plain file name on disk.
    std::string hex;
    hex.reserve(name.size() * 2 + 5);
    for (const char c : name) hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
    return folder_ / (hex + ".data");
}

phonecwmp::Expected<void, std::string> FileStore::load_index() {
    const fs::path index = folder_ / kIndexName;
    std::ifstream in(index, std::ios::binary);
    if (!in) {
        if (fs::exists(index)) return Unexpected(fmt::format("{}: unreadable", index.string()));
        return {};
    }
    try {
        const auto document = nlohmann::json::parse(in);
        for (const auto& entry : document.at("files")) {
            StoredFile file;
            file.name = entry.at("name").get<std::string>();
            if (auto problem = name_problem(file.name)) throw std::runtime_error(*problem);
            file.file_type = entry.at("fileType").get<std::string>();
            file.oui = entry.at("oui").get<std::string>();
            file.product_class = entry.at("productClass").get<std::string>();
            file.version = entry.at("version").get<std::string>();
            file.length = entry.at("length").get<std::uint64_t>();
            file.upload_date = from_milliseconds(entry.at("uploadDate").get<std::int64_t>());
            std::error_code error;
            const auto size = fs::file_size(content_path(file.name), error);
            if (error || size != file.length) {
                throw std::runtime_error("the content of \"" + file.name +
                                         "\" is missing or has another size");
            }
            auto name = file.name;
            files_.insert_or_assign(std::move(name), std::move(file));
        }
    } catch (const std::exception& error) {
        return Unexpected(fmt::format("{}: {}", index.string(), error.what()));
    }
    return {};
}

phonecwmp::Expected<void, std::string> FileStore::write_index() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [name, file] : files_) {
        list.push_back({{"name", file.name},
                        {"fileType", file.file_type},
                        {"oui", file.oui},
                        {"productClass", file.product_class},
                        {"version", file.version},
                        {"length", file.length},
                        {"uploadDate", to_milliseconds(file.upload_date)}});
    }
    const nlohmann::json document = {{"files", std::move(list)}};
    return write_file_atomically((folder_ / kIndexName).string(), document.dump(1) + "\n");
}

phonecwmp::Expected<StoredFile, std::string> FileStore::put(StoredFile metadata,
                                                            std::string_view content) {
    if (auto problem = name_problem(metadata.name)) return Unexpected(*problem);
    if (content.size() > kMaxFileBytes) {
        return Unexpected(fmt::format("a file has at most {} bytes", kMaxFileBytes));
    }
    if (files_.size() >= kMaxFiles && files_.find(metadata.name) == files_.end()) {
        return Unexpected(fmt::format("too many files (at most {})", kMaxFiles));
    }
    metadata.length = content.size();
    const auto path = content_path(metadata.name).string();
    if (auto written = write_file_atomically(path, content); !written) {
        return Unexpected(written.error());
    }
    auto previous = files_.find(metadata.name);
    std::optional<StoredFile> replaced;
    if (previous != files_.end()) replaced = previous->second;
    files_.insert_or_assign(metadata.name, metadata);
    if (auto indexed = write_index(); !indexed) {
        // Keep memory as the index on disk says; the content file of a new
        // name is an orphan that the next put of that name overwrites.
        if (replaced) {
            files_.insert_or_assign(metadata.name, *replaced);
        } else {
            files_.erase(metadata.name);
            std::error_code ignored;
            fs::remove(path, ignored);
        }
        return Unexpected(indexed.error());
    }
    return metadata;
}

phonecwmp::Expected<bool, std::string> FileStore::remove(std::string_view name) {
    auto found = files_.find(name);
    if (found == files_.end()) return false;
    const StoredFile removed = found->second;
    files_.erase(found);
    if (auto indexed = write_index(); !indexed) {
        files_.insert_or_assign(removed.name, removed);
        return Unexpected(indexed.error());
    }
    std::error_code ignored;
    fs::remove(content_path(name), ignored);
    return true;
}

const StoredFile* FileStore::find(std::string_view name) const {
    auto found = files_.find(name);
    return found == files_.end() ? nullptr : &found->second;
}

std::vector<StoredFile> FileStore::list() const {
    std::vector<StoredFile> all;
    all.reserve(files_.size());
    for (const auto& [name, file] : files_) all.push_back(file);
    return all;
}

phonecwmp::Expected<std::string, std::string> FileStore::read(std::string_view name) const {
    const auto* file = find(name);
    if (file == nullptr) return Unexpected(fmt::format("no file \"{}\"", name));
    const auto path = content_path(name);
    std::ifstream in(path, std::ios::binary);
    std::string content(file->length, '\0');
    if (!in.read(content.data(), static_cast<std::streamsize>(content.size()))) {
        return Unexpected(fmt::format("cannot read {}", path.string()));
    }
    return content;
}

}  // namespace acssim
