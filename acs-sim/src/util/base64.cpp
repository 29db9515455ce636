#include "util/base64.hpp"

#include <openssl/evp.h>

#include <vector>

namespace acssim {

std::string base64_encode(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(data.data()),
                                        static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::vector<unsigned char> out(text.size() / 4 * 3 + 1);
    const int written =
        EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                        static_cast<int>(text.size()));
    if (written < 0) return std::nullopt;
    // EVP_DecodeBlock counts the padding as zero bytes.
    std::size_t size = static_cast<std::size_t>(written);
    if (text.ends_with("==")) {
        size -= 2;
    } else if (text.ends_with('=')) {
        size -= 1;
    }
    std::string decoded(reinterpret_cast<const char*>(out.data()), size);
    // Canonical form only: what decodes must encode back to the same text.
    if (base64_encode(decoded) != text) return std::nullopt;
    return decoded;
}

}  // namespace acssim
