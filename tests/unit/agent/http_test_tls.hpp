// A throw-away TLS identity for the test HTTPS server: a self-signed P-256
// certificate for one IP address, made with OpenSSL at run time.
#pragma once

#include <filesystem>
#include <string>

namespace agent::http::test {

struct TlsIdentity {
    std::string certificate_pem;
    std::string key_pem;
};

// Certificate with subjectAltName IP:<ip>, valid from an hour ago for a day.
TlsIdentity make_self_signed_identity(const std::string& ip);

// The certificate written to a file of its own (a client's CA file); the file
// is removed with this object.
class CaFile {
public:
    explicit CaFile(const TlsIdentity& identity);
    ~CaFile();
    CaFile(const CaFile&) = delete;
    CaFile& operator=(const CaFile&) = delete;
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

}  // namespace agent::http::test
