// Throwaway PKI for TLS tests, made with the openssl command: a CA, a server certificate for
// localhost / 127.0.0.1 and a client certificate, both signed by the CA, plus a second CA with a
// server certificate and a client certificate ("stranger") it signed.
#ifndef FIELDWORK_TESTS_COMMON_TEST_CERTIFICATES_H_
#define FIELDWORK_TESTS_COMMON_TEST_CERTIFICATES_H_

#include <string>

#include "absl/status/statusor.h"

namespace fieldwork::testing {

struct TestCertificates {
  std::string ca_cert;
  std::string other_ca_cert;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
  std::string stranger_cert;  // a client certificate signed by the other CA
  std::string stranger_key;
  std::string other_server_cert;  // localhost / 127.0.0.1, signed by the other CA
  std::string other_server_key;
};

// Writes the files into `dir`.
absl::StatusOr<TestCertificates> MakeTestCertificates(const std::string& dir);

}  // namespace fieldwork::testing

#endif  // FIELDWORK_TESTS_COMMON_TEST_CERTIFICATES_H_
