#include "util/secret_names.hpp"

#include <array>

namespace acssim {

bool is_secret_parameter(std::string_view name) {
    const std::size_t dot = name.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? name : name.substr(dot + 1);
    static constexpr std::array<std::string_view, 6> kEndings = {
        "Password", "Passphrase", "PreSharedKey", "WEPKey", "Secret", "PrivateKey"};
    for (const std::string_view ending : kEndings) {
        if (last.ends_with(ending)) return true;
    }
    return false;
}

}  // namespace acssim
