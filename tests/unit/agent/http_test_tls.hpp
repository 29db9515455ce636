// Throw-away TLS identities for the test HTTPS servers and clients, made with
// the OpenSSL API at run time: self-signed certificates, and a small CA that
// issues server and client certificates, valid or deliberately broken
// (expired, not yet valid, for another host).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace agent::http::test {

struct TlsIdentity {
    std::string certificate_pem;
    std::string key_pem;
};

// Certificate with subjectAltName IP:<ip>, valid from an hour ago for a day.
TlsIdentity make_self_signed_identity(const std::string& ip);

struct CertificateRequest {
    std::string subject_alt_name = "IP:127.0.0.1";  // OpenSSL syntax: "IP:..", "DNS:.."
    // Validity, relative to now.
    std::chrono::seconds not_before{-std::chrono::hours(1)};
    std::chrono::seconds not_after{std::chrono::hours(24)};
    bool client = false;  // extendedKeyUsage clientAuth instead of serverAuth
};

// A CA (self-signed, CA:TRUE) that signs end-entity certificates.
class TestCa {
public:
    explicit TestCa(const std::string& name = "phonecwmp test CA");
    ~TestCa();
    TestCa(const TestCa&) = delete;
    TestCa& operator=(const TestCa&) = delete;

    const std::string& certificate_pem() const { return certificate_pem_; }
    TlsIdentity issue(const CertificateRequest& request) const;

private:
    struct Keys;
    std::unique_ptr<Keys> keys_;
    std::string certificate_pem_;
};

// PEM text written to a file of its own (a CA file, a client certificate or
// key); the file is removed with this object.
class PemFile {
public:
    explicit PemFile(const std::string& pem);
    ~PemFile();
    PemFile(const PemFile&) = delete;
    PemFile& operator=(const PemFile&) = delete;
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

// A self-signed identity's certificate as a client's CA file.
class CaFile : public PemFile {
public:
    explicit CaFile(const TlsIdentity& identity) : PemFile(identity.certificate_pem) {}
};

}  // namespace agent::http::test
