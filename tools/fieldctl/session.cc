// Connection, deadlines, credentials, time zone and output of one fieldctl run.
#include "tools/fieldctl/session.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/tls.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/fieldctl/time_input.h"

namespace fieldwork::fieldctl {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path, const char* what) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", what, " ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Plaintext without TLS files; server TLS verified against ca-file; mutual TLS with a client
// certificate (common/tls.h, which also watches the files).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> Credentials(
    const Connection& connection) {
  if (!connection.cert_file.empty()) {
    TlsFiles files;
    files.cert = connection.cert_file;
    files.key = connection.key_file;
    files.ca = connection.ca_file;
    return MakeChannelCredentials(files);
  }
  if (connection.ca_file.empty()) return grpc::InsecureChannelCredentials();
  absl::StatusOr<std::string> roots = ReadFile(connection.ca_file, "ca-file");
  if (!roots.ok()) return roots.status();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = *roots;
  return grpc::SslCredentials(options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Session>> Session::Create(const GlobalOptions& options) {
  absl::StatusOr<OutputFormat> format = ParseOutputFormat(options.output);
  if (!format.ok()) return format.status();
  if (options.timeout_seconds <= 0) return absl::InvalidArgumentError("--timeout must be positive");
  absl::StatusOr<ConfigFile> config = LoadConfigFile(ConfigFilePath(::getenv));
  if (!config.ok()) return config.status();
  absl::StatusOr<Connection> connection = ResolveConnection(*config, options.connection, ::getenv);
  if (!connection.ok()) return connection.status();
  if (!connection->token_file.empty()) {
    absl::StatusOr<std::string> token = ReadFile(connection->token_file, "token-file");
    if (!token.ok()) return token.status();
    connection->token = std::string(absl::StripAsciiWhitespace(*token));
  }
  return std::unique_ptr<Session>(
      new Session(*std::move(connection), *format, absl::Seconds(options.timeout_seconds)));
}

absl::StatusOr<std::string> Session::Organization() const {
  if (connection_.organization.empty()) {
    return absl::InvalidArgumentError(
        "no organization: pass --org, set FIELDWORK_ORG, or set the context's organization "
        "(fieldctl config set-context)");
  }
  return connection_.organization;
}

absl::StatusOr<std::string> Session::OrganizationName() const {
  absl::StatusOr<std::string> organization = Organization();
  if (!organization.ok()) return organization.status();
  return FormatOrganizationName(*organization);
}

Endpoint& Session::Open(std::optional<Endpoint>& endpoint, const char* label,
                        const std::string& address) {
  if (!endpoint.has_value()) {
    endpoint = Endpoint{label, address, nullptr};
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        Credentials(connection_);
    // Bad TLS files: a channel that fails every call, so the error reaches the user as one line.
    endpoint->channel =
        grpc::CreateChannel(credentials.ok() ? address : "unix:/nonexistent-tls-files",
                            credentials.ok() ? *credentials : grpc::InsecureChannelCredentials());
  }
  return *endpoint;
}

Endpoint& Session::scheduling() { return Open(scheduling_, "scheduling", connection_.server); }
Endpoint& Session::attendance() {
  return Open(attendance_, "attendance", connection_.attendance_server);
}
Endpoint& Session::reporting() {
  return Open(reporting_, "reporting", connection_.reporting_server);
}

void Session::PrepareContext(grpc::ClientContext* context) const {
  if (!connection_.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", connection_.token));
  }
  context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
}

absl::Status Session::FromRpc(const Endpoint& endpoint, const grpc::Status& status) const {
  const absl::Status result = FromGrpcStatus(status);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::Status(result.code(),
                        absl::StrCat("cannot reach the ", endpoint.label, " server at ",
                                     endpoint.address, " within ", absl::FormatDuration(timeout_),
                                     " (", status.error_message(), ")"));
  }
  return result;
}

absl::StatusOr<absl::TimeZone> Session::TimeZone() {
  if (time_zone_.has_value()) return *time_zone_;
  absl::StatusOr<std::string> name = OrganizationName();
  if (!name.ok()) return name.status();
  Endpoint& endpoint = scheduling();
  auto stub = fieldwork::scheduling::v1::SchedulingService::NewStub(endpoint.channel);
  fieldwork::scheduling::v1::GetOrganizationRequest request;
  request.set_name(*name);
  fieldwork::scheduling::v1::Organization organization;
  grpc::ClientContext context;
  PrepareContext(&context);
  const absl::Status status =
      FromRpc(endpoint, stub->GetOrganization(&context, request, &organization));
  if (!status.ok()) return status;
  absl::TimeZone zone;
  const std::string zone_name =
      organization.time_zone().empty() ? "Asia/Shanghai" : organization.time_zone();
  if (!absl::LoadTimeZone(zone_name, &zone)) {
    return absl::FailedPreconditionError(
        absl::StrCat("time zone \"", zone_name, "\" of ", *name, " is unknown on this machine"));
  }
  time_zone_ = zone;
  return zone;
}

absl::TimeZone Session::TimeZoneOrUtc() { return TimeZone().value_or(absl::UTCTimeZone()); }

absl::StatusOr<absl::Time> Session::ParseTime(const std::string& text) {
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return time;
  absl::StatusOr<absl::TimeZone> zone = TimeZone();
  if (!zone.ok()) return zone.status();
  return ParseTimeInput(text, *zone);
}

void Session::Print(const google::protobuf::Message& message, const Table& table) const {
  std::cout << FormatOutput(format_, message, table) << std::flush;
}

void Session::Progress(const std::string& line) const {
  if (isatty(STDERR_FILENO)) std::cerr << "\r\033[K" << line << std::flush;
}

bool Session::stdout_is_terminal() const { return isatty(STDOUT_FILENO); }

}  // namespace fieldwork::fieldctl
