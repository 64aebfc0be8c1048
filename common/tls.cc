// PEM checks with OpenSSL and gRPC TLS credentials backed by file-watching certificate providers.
#include "common/tls.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace fieldwork {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

absl::StatusOr<std::unique_ptr<BIO, BioDeleter>> OpenPem(const std::string& path) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(path.c_str(), "r"));
  if (bio == nullptr) {
    ERR_clear_error();
    return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  }
  return bio;
}

absl::StatusOr<std::unique_ptr<X509, X509Deleter>> ReadFirstCertificate(const std::string& path) {
  absl::StatusOr<std::unique_ptr<BIO, BioDeleter>> bio = OpenPem(path);
  if (!bio.ok()) return bio.status();
  std::unique_ptr<X509, X509Deleter> cert(PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (cert == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no PEM certificate"));
  }
  return cert;
}

}  // namespace

absl::Status CheckCertificateFile(const std::string& path) {
  return ReadFirstCertificate(path).status();
}

absl::Status CheckKeyMatchesCertificate(const std::string& key_path, const std::string& cert_path) {
  absl::StatusOr<std::unique_ptr<BIO, BioDeleter>> bio = OpenPem(key_path);
  if (!bio.ok()) return bio.status();
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(
      PEM_read_bio_PrivateKey(bio->get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(key_path, ": no unencrypted PEM private key"));
  }
  absl::StatusOr<std::unique_ptr<X509, X509Deleter>> cert = ReadFirstCertificate(cert_path);
  if (!cert.ok()) return cert.status();
  const bool matches = X509_check_private_key(cert->get(), key.get()) == 1;
  ERR_clear_error();
  if (!matches) {
    return absl::InvalidArgumentError(
        absl::StrCat(key_path, ": does not match the certificate in ", cert_path));
  }
  return absl::OkStatus();
}

std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const TlsFiles& files) {
  if (!files.enabled()) return grpc::InsecureServerCredentials();
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      files.key, files.cert, files.ca, files.refresh_interval_seconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (files.mutual()) {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> MakeChannelCredentials(const TlsFiles& files) {
  if (!files.enabled()) return grpc::InsecureChannelCredentials();
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_verify_server_certs(true);
  options.set_certificate_verifier(
      std::make_shared<grpc::experimental::HostNameCertificateVerifier>());
  if (files.mutual()) {
    options.set_certificate_provider(
        std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
            files.key, files.cert, files.ca, files.refresh_interval_seconds));
    options.watch_root_certs();
    options.watch_identity_key_cert_pairs();
  }
  return grpc::experimental::TlsCredentials(options);
}

}  // namespace fieldwork
