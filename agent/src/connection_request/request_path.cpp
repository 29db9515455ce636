#include "connection_request/request_path.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace agent::connection_request {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t kRandomBytes = 16;
constexpr std::size_t kPathCharacters = (kRandomBytes * 8 + 5) / 6;  // 22

bool well_formed(std::string_view path) {
    return path.size() == 1 + kPathCharacters && path.front() == '/' &&
           std::all_of(path.begin() + 1, path.end(),
                       [](char c) { return kAlphabet.find(c) != std::string_view::npos; });
}

}  // namespace

std::string random_path() {
    std::array<unsigned char, kRandomBytes> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("OpenSSL RAND_bytes failed: no connection-request path");
    }
    std::string path = "/";
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            path += kAlphabet[(buffer >> bits) & 63];
        }
    }
    if (bits > 0) {
        path += kAlphabet[(buffer << (6 - bits)) & 63];
    }
    return path;
}

phonecwmp::Expected<std::string, std::string> load_or_create_path(datamodel::Model& model) {
    if (auto stored = model.meta(kPathMetaKey); stored && well_formed(*stored)) {
        return *stored;
    }
    std::string path = random_path();
    if (auto saved = model.set_meta(kPathMetaKey, path); !saved) {
        return phonecwmp::Unexpected("cannot store the connection-request path: " +
                                     saved.error().message);
    }
    return path;
}

}  // namespace agent::connection_request
