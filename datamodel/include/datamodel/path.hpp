// Parameter path helpers (TR-106 naming: "Device.IP.Interface.1.Enable";
// objects end in '.', instance numbers are whole segments).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace datamodel {

// The definition path of a concrete path: every all-digit segment becomes
// "{i}". "Device.IP.Interface.1.Enable" -> "Device.IP.Interface.{i}.Enable".
std::string template_path(std::string_view path);

// True for "" (the root) and for paths ending in '.' (objects).
bool is_partial_path(std::string_view path);

// "Device.IP.Interface.1." -> {"Device", "IP", "Interface", "1"}; "" -> {}.
// Returns false for malformed paths (empty segments: a leading or doubled dot).
bool split_path(std::string_view path, std::vector<std::string_view>& segments);

}  // namespace datamodel
