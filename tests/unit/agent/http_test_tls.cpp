#include "http_test_tls.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
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

}  // namespace

TlsIdentity make_self_signed_identity(const std::string& ip) {
    Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    check(key != nullptr, "key generation");
    Certificate certificate(X509_new());
    check(certificate != nullptr, "X509_new");
    check(X509_set_version(certificate.get(), 2) == 1, "X509_set_version");
    check(ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1) == 1, "serial number");
    check(X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600) != nullptr, "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 86400) != nullptr, "notAfter");
    check(X509_set_pubkey(certificate.get(), key.get()) == 1, "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(certificate.get());
    const std::string common_name = "phonecwmp test ACS";
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                     -1, -1, 0) == 1,
          "subject");
    check(X509_set_issuer_name(certificate.get(), name) == 1, "issuer");
    X509V3_CTX context;
    X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
    const std::string alt_name = "IP:" + ip;
    Extension extension(
        X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, alt_name.c_str()));
    check(extension != nullptr, "subjectAltName");
    check(X509_add_ext(certificate.get(), extension.get(), -1) == 1, "X509_add_ext");
    check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

    TlsIdentity identity;
    Bio certificate_pem(BIO_new(BIO_s_mem()));
    check(certificate_pem && PEM_write_bio_X509(certificate_pem.get(), certificate.get()) == 1,
          "PEM_write_bio_X509");
    identity.certificate_pem = drain(certificate_pem.get());
    Bio key_pem(BIO_new(BIO_s_mem()));
    check(key_pem && PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0,
                                              nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    identity.key_pem = drain(key_pem.get());
    return identity;
}

CaFile::CaFile(const TlsIdentity& identity) {
    static std::atomic<unsigned> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("phonecwmp-test-ca-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
             ".pem");
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << identity.certificate_pem;
    check(static_cast<bool>(out.flush()), "writing the CA file");
}

CaFile::~CaFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
}

}  // namespace agent::http::test
