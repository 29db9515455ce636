// Access to the shared reference material from the tests.
#include "test_files.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cwmp::test {

std::optional<std::filesystem::path> genieacs_fixture_dir() {
    const char* shared = std::getenv("PHONECWMP_SHARED_DIR");
    if (shared == nullptr || *shared == '\0') {
        return std::nullopt;
    }
    std::filesystem::path dir =
        std::filesystem::path(shared) / "reference" / "interop" / "genieacs-1.2.16";
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
        return std::nullopt;
    }
    return dir;
}

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ADD_FAILURE() << "cannot read " << path;
        return {};
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace cwmp::test
