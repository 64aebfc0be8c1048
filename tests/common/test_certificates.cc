// openssl invocations for the test PKI.
#include "tests/common/test_certificates.h"

#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/harness/service_process.h"

namespace fieldwork::testing {
namespace {

absl::Status Openssl(const std::vector<std::string>& args) {
  absl::StatusOr<ProcessResult> result = RunToExit("openssl", args);
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(absl::StrCat("openssl ", args[0], " failed: ", result->output));
  }
  return absl::OkStatus();
}

absl::Status MakeCa(const std::string& dir, const std::string& name) {
  return Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-nodes", "-days", "2", "-subj", "/CN=" + name, "-keyout",
                  dir + "/" + name + ".key", "-out", dir + "/" + name + ".pem"});
}

// A leaf certificate for `name` with `san`, signed by the CA `ca` ("ca" or "other-ca").
absl::Status MakeLeaf(const std::string& dir, const std::string& name, const std::string& san,
                      const std::string& ca = "ca") {
  const std::string key = dir + "/" + name + ".key";
  const std::string csr = dir + "/" + name + ".csr";
  const std::string ext = dir + "/" + name + ".ext";
  std::ofstream(ext) << "subjectAltName=" << san << "\n";
  if (absl::Status s = Openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                "-nodes", "-subj", "/CN=" + name, "-keyout", key, "-out", csr});
      !s.ok()) {
    return s;
  }
  return Openssl({"x509", "-req", "-in", csr, "-CA", dir + "/" + ca + ".pem", "-CAkey",
                  dir + "/" + ca + ".key", "-CAcreateserial", "-days", "2", "-extfile", ext, "-out",
                  dir + "/" + name + ".pem"});
}

}  // namespace

absl::StatusOr<TestCertificates> MakeTestCertificates(const std::string& dir) {
  for (const absl::Status& step :
       {MakeCa(dir, "ca"), MakeCa(dir, "other-ca"),
        MakeLeaf(dir, "server", "DNS:localhost,IP:127.0.0.1"),
        MakeLeaf(dir, "client", "DNS:svc-attendance"),
        MakeLeaf(dir, "stranger", "DNS:svc-attendance", "other-ca"),
        MakeLeaf(dir, "other-server", "DNS:localhost,IP:127.0.0.1", "other-ca")}) {
    if (!step.ok()) return step;
  }
  return TestCertificates{dir + "/ca.pem",           dir + "/other-ca.pem",
                          dir + "/server.pem",       dir + "/server.key",
                          dir + "/client.pem",       dir + "/client.key",
                          dir + "/stranger.pem",     dir + "/stranger.key",
                          dir + "/other-server.pem", dir + "/other-server.key"};
}

}  // namespace fieldwork::testing
