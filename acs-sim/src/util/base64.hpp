// Base64 (RFC 4648 §4, with padding) for HTTP Basic credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace acssim {

std::string base64_encode(std::string_view data);
// nullopt when `text` is not canonical padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace acssim
