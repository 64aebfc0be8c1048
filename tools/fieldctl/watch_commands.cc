// `fieldctl watch`: follows the organization's change feed (WatchChanges) until Ctrl-C, the server
// ends the stream, or --max-changes changes were printed. Table rows, or one JSON object (or YAML
// document) per change.
#include <grpcpp/client_context.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "absl/strings/str_join.h"
#include "fieldwork/scheduling/v1/scheduling_service.grpc.pb.h"
#include "tools/fieldctl/cli.h"
#include "tools/fieldctl/csv.h"
#include "tools/fieldctl/resource_args.h"
#include "tools/fieldctl/resource_tables.h"
#include "tools/fieldctl/rpc_client.h"

namespace fieldwork::fieldctl {
namespace {

using Scheduling = v1::SchedulingService;

struct WatchOptions {
  std::string cursor;
  bool from_oldest = false;
  std::vector<std::string> types;
  std::string member;
  int max_changes = 0;
};

void PrintChange(Session& session, const v1::Change& change, const absl::TimeZone& zone,
                 bool first) {
  switch (session.format()) {
    case OutputFormat::kJson:
      std::cout << MessageToJson(change, /*pretty=*/false) << "\n";
      break;
    case OutputFormat::kYaml:
      std::cout << "---\n" << JsonToYaml(MessageToJson(change)).value_or("");
      break;
    default: {
      // Rows stream one at a time, so columns cannot be aligned: table rows are tab-separated.
      const Table table = ChangesTable(One(change), zone);
      const bool csv = session.format() == OutputFormat::kCsv;
      const auto line = [csv](const std::vector<std::string>& cells) {
        return csv ? FormatCsvRecord(cells) : absl::StrCat(absl::StrJoin(cells, "\t"), "\n");
      };
      if (first) std::cout << line(table.headers);
      std::cout << line(table.rows[0]);
    }
  }
  std::cout << std::flush;
}

absl::Status Watch(Session& session, const WatchOptions& options) {
  absl::StatusOr<std::string> parent = session.OrganizationName();
  if (!parent.ok()) return parent.status();
  v1::WatchChangesRequest request;
  request.set_parent(*parent);
  request.set_cursor(options.cursor);
  request.set_from_oldest(options.from_oldest);
  for (const std::string& type : options.types) {
    absl::StatusOr<v1::ChangeType> parsed = ParseEnumArg<v1::ChangeType>(type);
    if (!parsed.ok())
      return absl::InvalidArgumentError(absl::StrCat("--type: ", parsed.status().message()));
    request.add_change_types(*parsed);
  }
  if (!options.member.empty()) {
    absl::StatusOr<std::string> member =
        ResourceNameArg(ResourceKind::kMember, IdOf(*parent), options.member);
    if (!member.ok()) return member.status();
    request.set_member(*member);
  }
  absl::StatusOr<absl::TimeZone> zone = session.TimeZone();
  if (!zone.ok()) return zone.status();
  Endpoint& endpoint = session.scheduling();
  auto stub = Scheduling::NewStub(endpoint.channel);
  // The stream runs until stopped, so only connecting is bounded by --timeout.
  grpc::ClientContext context;
  session.PrepareContext(&context);
  context.set_deadline(std::chrono::system_clock::time_point::max());
  if (!endpoint.channel->WaitForConnected(std::chrono::system_clock::now() +
                                          absl::ToChronoMilliseconds(session.timeout()))) {
    return session.FromRpc(endpoint, grpc::Status(grpc::StatusCode::UNAVAILABLE, "not connected"));
  }
  session.Progress(absl::StrCat("watching ", *parent, " (Ctrl-C to stop)…"));
  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader =
      stub->WatchChanges(&context, request);
  v1::WatchChangesResponse response;
  int printed = 0;
  while (reader->Read(&response)) {
    for (const v1::Change& change : response.changes()) {
      if (printed == 0) session.Progress("");
      PrintChange(session, change, *zone, printed == 0);
      if (++printed == options.max_changes) {
        context.TryCancel();
        return absl::OkStatus();
      }
    }
  }
  return session.FromRpc(endpoint, reader->Finish());
}

}  // namespace

void AddWatchCommands(Cli& cli) {
  auto options = std::make_shared<WatchOptions>();
  CLI::App* app = cli.Add({"watch",
                           "",
                           {},
                           "Follow the organization's changes until Ctrl-C",
                           "fieldctl watch --type event-created,event-cancelled -o json"},
                          [options](Session& session) { return Watch(session, *options); });
  app->add_option("--cursor", options->cursor, "Resume right after this cursor");
  app->add_flag("--from-oldest", options->from_oldest, "Start from the oldest retained change");
  app->add_option("--type", options->types, "Only these change types, e.g. event-created")
      ->delimiter(',');
  app->add_option("--member", options->member, "Only changes concerning this member");
  app->add_option("--max-changes", options->max_changes, "Stop after this many changes");
}

}  // namespace fieldwork::fieldctl
