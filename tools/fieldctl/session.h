// One fieldctl run's connection to fieldwork: the resolved context, lazily opened channels to the
// scheduling, attendance and reporting servers, per-call deadline and bearer token, the
// organization's time zone, and where results and progress go.
#ifndef FIELDWORK_TOOLS_FIELDCTL_SESSION_H_
#define FIELDWORK_TOOLS_FIELDCTL_SESSION_H_

#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/fieldctl/config_file.h"
#include "tools/fieldctl/output_format.h"
#include "tools/fieldctl/table.h"

namespace fieldwork::fieldctl {

// The flags every command accepts.
struct GlobalOptions {
  ConnectionFlags connection;
  std::string output = "table";
  double timeout_seconds = 10;
};

// A server fieldctl talks to.
struct Endpoint {
  std::string label;  // "scheduling", "attendance", "reporting"
  std::string address;
  std::shared_ptr<grpc::Channel> channel;
};

class Session {
 public:
  // Reads the config file, applies environment and flags, and reads the token file if any.
  static absl::StatusOr<std::unique_ptr<Session>> Create(const GlobalOptions& options);

  const Connection& connection() const { return connection_; }
  OutputFormat format() const { return format_; }
  absl::Duration timeout() const { return timeout_; }

  // The organization id; INVALID_ARGUMENT explaining how to set one when there is none.
  absl::StatusOr<std::string> Organization() const;
  // `organizations/{organization}`.
  absl::StatusOr<std::string> OrganizationName() const;

  Endpoint& scheduling();
  Endpoint& attendance();
  Endpoint& reporting();

  // The bearer token and a deadline `timeout()` from now.
  void PrepareContext(grpc::ClientContext* context) const;
  // `status` as an absl::Status with its error details; unreachable servers are named.
  absl::Status FromRpc(const Endpoint& endpoint, const grpc::Status& status) const;

  // The organization's IANA time zone (one GetOrganization per run).
  absl::StatusOr<absl::TimeZone> TimeZone();
  // TimeZone(), or UTC when it cannot be read (for error messages).
  absl::TimeZone TimeZoneOrUtc();
  // Parses a time typed on the command line (RFC 3339, or civil time in the organization's zone).
  absl::StatusOr<absl::Time> ParseTime(const std::string& text);

  // Prints `message` (json, yaml) or `table` (table, csv) to standard output.
  void Print(const google::protobuf::Message& message, const Table& table) const;
  // A progress line on standard error, only when it is a terminal.
  void Progress(const std::string& line) const;
  bool stdout_is_terminal() const;

 private:
  Session(Connection connection, OutputFormat format, absl::Duration timeout)
      : connection_(std::move(connection)), format_(format), timeout_(timeout) {}
  Endpoint& Open(std::optional<Endpoint>& endpoint, const char* label, const std::string& address);

  Connection connection_;
  OutputFormat format_;
  absl::Duration timeout_;
  std::optional<Endpoint> scheduling_;
  std::optional<Endpoint> attendance_;
  std::optional<Endpoint> reporting_;
  std::optional<absl::TimeZone> time_zone_;
};

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_SESSION_H_
