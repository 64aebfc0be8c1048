// TLS for servers and service-to-service channels from PEM files. Plaintext when no certificate is
// configured; TLS with a certificate and key; mutual TLS when a CA is configured too (servers then
// require and verify client certificates, channels present their own). The files are re-read every
// refresh interval (gRPC's FileWatcherCertificateProvider) by servers and channels alike: changed
// contents apply to every handshake from then on, without a restart, while connections already
// established keep the certificates they were made with. Replace the files atomically (a renamed
// file or a swapped symlink, as Kubernetes does for Secret volumes): the key and the certificate
// are read one after the other.
#ifndef FIELDWORK_COMMON_TLS_H_
#define FIELDWORK_COMMON_TLS_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/status.h"

namespace fieldwork {

struct TlsFiles {
  std::string cert;  // PEM certificate chain, leaf first
  std::string key;   // PEM private key of the leaf certificate
  std::string ca;    // PEM CA bundle that peers' certificates must chain to
  // How often the files are checked for changes; at least 1.
  unsigned int refresh_interval_seconds = 60;

  bool enabled() const { return !cert.empty(); }
  bool mutual() const { return !ca.empty(); }
};

// OK when `path` holds at least one PEM certificate.
absl::Status CheckCertificateFile(const std::string& path);
// OK when `key_path` holds a PEM private key that matches the first certificate of `cert_path`.
absl::Status CheckKeyMatchesCertificate(const std::string& key_path, const std::string& cert_path);

// Insecure credentials when !files.enabled().
std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const TlsFiles& files);
// Insecure credentials when !files.enabled(); otherwise TLS verifying the server's certificate
// and host name against files.ca (or the system roots without one), presenting files.cert when
// files.mutual().
std::shared_ptr<grpc::ChannelCredentials> MakeChannelCredentials(const TlsFiles& files);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_TLS_H_
