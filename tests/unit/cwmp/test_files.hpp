// Access to the shared reference material from the tests.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace cwmp::test {

// $PHONECWMP_SHARED_DIR/reference/interop/genieacs-1.2.16 when it exists.
std::optional<std::filesystem::path> genieacs_fixture_dir();

// The whole file; fails the calling test (and returns "") when unreadable.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace cwmp::test
