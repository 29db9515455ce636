#include "http_test_tls.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <stdexcept>

namespace agent::http::test {

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void check(bool ok, const char* what) {
    if (!ok) {
        throw std::runtime_error(std::string("test certificate: ") + what + " failed");
    }
}

std::string drain(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

Key new_key() {
    Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    check(key != nullptr, "key generation");
    return key;
}

void set_common_name(X509_NAME* name, const std::string& common_name) {
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                     -1, -1, 0) == 1,
          "subject");
}

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
    check(extension != nullptr, "extension");
    check(X509_add_ext(certificate, extension.get(), -1) == 1, "X509_add_ext");
}

// A certificate for `key`, without extensions or signature yet.
Certificate new_certificate(EVP_PKEY* key, long serial, std::chrono::seconds not_before,
                            std::chrono::seconds not_after) {
    Certificate certificate(X509_new());
    check(certificate != nullptr, "X509_new");
    check(X509_set_version(certificate.get(), 2) == 1, "X509_set_version");
    check(ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), serial) == 1, "serial number");
    check(X509_gmtime_adj(X509_getm_notBefore(certificate.get()), not_before.count()) != nullptr,
          "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(certificate.get()), not_after.count()) != nullptr,
          "notAfter");
    check(X509_set_pubkey(certificate.get(), key) == 1, "X509_set_pubkey");
    return certificate;
}

std::string certificate_pem(X509* certificate) {
    Bio pem(BIO_new(BIO_s_mem()));
    check(pem && PEM_write_bio_X509(pem.get(), certificate) == 1, "PEM_write_bio_X509");
    return drain(pem.get());
}

std::string key_pem(EVP_PKEY* key) {
    Bio pem(BIO_new(BIO_s_mem()));
    check(
        pem && PEM_write_bio_PrivateKey(pem.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
    return drain(pem.get());
}

}  // namespace

TlsIdentity make_self_signed_identity(const std::string& ip) {
    Key key = new_key();
    Certificate certificate =
        new_certificate(key.get(), 1, -std::chrono::hours(1), std::chrono::hours(24));
    X509_NAME* name = X509_get_subject_name(certificate.get());
    set_common_name(name, "phonecwmp test ACS");
    check(X509_set_issuer_name(certificate.get(), name) == 1, "issuer");
    add_extension(certificate.get(), certificate.get(), NID_subject_alt_name, "IP:" + ip);
    check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "X509_sign");
    return {certificate_pem(certificate.get()), key_pem(key.get())};
}

struct TestCa::Keys {
    Key key;
    Certificate certificate;
};

TestCa::TestCa(const std::string& name) : keys_(std::make_unique<Keys>()) {
    keys_->key = new_key();
    keys_->certificate =
        new_certificate(keys_->key.get(), 1, -std::chrono::hours(2), std::chrono::hours(48));
    X509* certificate = keys_->certificate.get();
    X509_NAME* subject = X509_get_subject_name(certificate);
    set_common_name(subject, name);
    check(X509_set_issuer_name(certificate, subject) == 1, "issuer");
    add_extension(certificate, certificate, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(certificate, certificate, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(certificate, certificate, NID_subject_key_identifier, "hash");
    check(X509_sign(certificate, keys_->key.get(), EVP_sha256()) > 0, "X509_sign");
    certificate_pem_ = test::certificate_pem(certificate);
}

TestCa::~TestCa() = default;

TlsIdentity TestCa::issue(const CertificateRequest& request) const {
    static std::atomic<long> serial{100};
    Key key = new_key();
    Certificate certificate =
        new_certificate(key.get(), serial++, request.not_before, request.not_after);
    set_common_name(X509_get_subject_name(certificate.get()),
                    request.client ? "phonecwmp test CPE" : "phonecwmp test ACS");
    check(X509_set_issuer_name(certificate.get(),
                               X509_get_subject_name(keys_->certificate.get())) == 1,
          "issuer");
    X509* issuer = keys_->certificate.get();
    add_extension(certificate.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(certificate.get(), issuer, NID_authority_key_identifier, "keyid:always");
    add_extension(certificate.get(), issuer, NID_ext_key_usage,
                  request.client ? "clientAuth" : "serverAuth");
    if (!request.subject_alt_name.empty()) {
        add_extension(certificate.get(), issuer, NID_subject_alt_name, request.subject_alt_name);
    }
    check(X509_sign(certificate.get(), keys_->key.get(), EVP_sha256()) > 0, "X509_sign");
    return {test::certificate_pem(certificate.get()), key_pem(key.get())};
}

PemFile::PemFile(const std::string& pem) {
    static std::atomic<unsigned> counter{0};
    path_ =
        std::filesystem::temp_directory_path() /
        ("phonecwmp-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".pem");
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << pem;
    check(static_cast<bool>(out.flush()), "writing a PEM file");
}

PemFile::~PemFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
}

}  // namespace agent::http::test
