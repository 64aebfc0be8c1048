// Busy blocks: a member's own unavailability, which counts as a booking. Handlers authorize (a
// member acts on itself only) and check fields; BusyBlockBooking (busy_block_booking.h) books.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/call_deadline.h"
#include "common/api/field_checks.h"
#include "common/api/page_token.h"
#include "common/api/resource_names.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "services/scheduling/busy_block_booking.h"
#include "services/scheduling/busy_block_store.h"
#include "services/scheduling/handler_support.h"
#include "services/scheduling/scheduling_service.h"

namespace fieldwork::scheduling {
namespace {

constexpr int kDefaultBusyBlockPageSize = 100;
constexpr int kMaxBusyBlockPageSize = 1000;
constexpr absl::string_view kEveryMember = "/members/-";

absl::StatusOr<ChildName> ParseMemberField(absl::string_view field, absl::string_view name) {
  absl::StatusOr<ChildName> parsed = ParseMemberName(name);
  if (!parsed.ok()) return InvalidField(field, parsed.status().message());
  return parsed;
}

int64_t BlockStartSeconds(const v1::BusyBlock& block) {
  return block.time_range().start_time().seconds();
}

}  // namespace

grpc::Status SchedulingServiceImpl::CreateBusyBlock(grpc::ServerContextBase* context,
                                                    const v1::CreateBusyBlockRequest* request,
                                                    v1::BusyBlock* response) {
  auto run = [&]() -> absl::Status {
    FIELDWORK_ASSIGN_OR_RETURN(const ChildName member,
                               ParseMemberField("parent", request->parent()));
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(context,
                                    AccessTarget::Member(member.organization, request->parent())));
    FieldErrors errors;
    if (!request->busy_block_id().empty()) {
      if (absl::Status valid = ValidateId(request->busy_block_id()); !valid.ok()) {
        errors.Add("busy_block_id", valid.message());
      }
    }
    CheckRequestId(request->request_id(), errors);
    if (!request->has_busy_block()) {
      errors.Add("busy_block", "is required");
    } else {
      CheckTimeRange("busy_block.time_range", request->busy_block().time_range(),
                     request->busy_block().has_time_range(), kMinBusyBlockLength,
                     kMaxBusyBlockLength, errors);
      CheckText("busy_block.reason", request->busy_block().reason(), 0, 200, errors);
    }
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const RequestRecord record(deps_.idempotency, member.organization,
                               SchedulingMethod("CreateBusyBlock"), *request);
    const BusyBlockName name{
        member.organization, member.id,
        request->busy_block_id().empty() ? NewResourceId() : request->busy_block_id()};
    v1::BusyBlock block;
    *block.mutable_time_range() = request->busy_block().time_range();
    block.set_reason(request->busy_block().reason());
    return Once<v1::BusyBlock>(
        record, deadline, *response, [&](v1::BusyBlock& fresh) -> absl::Status {
          FIELDWORK_ASSIGN_OR_RETURN(
              fresh, BusyBlockBooking(deps_).Create(caller, name, block, record, deadline));
          return absl::OkStatus();
        });
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::ListBusyBlocks(grpc::ServerContextBase* context,
                                                   const v1::ListBusyBlocksRequest* request,
                                                   v1::ListBusyBlocksResponse* response) {
  auto run = [&]() -> absl::Status {
    std::string organization;
    std::string member_id;  // "" for every member
    if (absl::EndsWith(request->parent(), kEveryMember)) {
      const absl::string_view org_name =
          absl::string_view(request->parent())
              .substr(0, request->parent().size() - kEveryMember.size());
      absl::StatusOr<std::string> parsed = ParseOrganizationName(org_name);
      if (!parsed.ok()) return InvalidField("parent", parsed.status().message());
      organization = *parsed;
    } else {
      FIELDWORK_ASSIGN_OR_RETURN(const ChildName member,
                                 ParseMemberField("parent", request->parent()));
      organization = member.organization;
      member_id = member.id;
    }
    // Every member's blocks are not for the member role: the target then names no member.
    FIELDWORK_RETURN_IF_ERROR(
        deps_.authorizer
            ->Authorize(context, member_id.empty()
                                     ? AccessTarget::Organization(organization)
                                     : AccessTarget::Member(organization, request->parent()))
            .status());
    FieldErrors errors;
    const int page_size = CheckPageSize(request->page_size(), kDefaultBusyBlockPageSize,
                                        kMaxBusyBlockPageSize, errors);
    Interval window{absl::InfinitePast(), absl::InfiniteFuture()};
    if (request->has_time_range()) {
      if (auto range = CheckFilterRange("time_range", request->time_range(), errors)) {
        window = *range;
      }
    }
    const std::string digest = FilterDigest(*request);
    absl::StatusOr<std::string> after = DecodePageToken(request->page_token(), digest);
    if (!after.ok()) errors.Add("page_token", after.status().message());
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    FIELDWORK_ASSIGN_OR_RETURN(
        std::vector<v1::BusyBlock> blocks,
        BusyBlockStore(deps_.redis)
            .List(organization, member_id, window, CallDeadline(context, deps_.rpc_budget)));
    std::string next;
    FIELDWORK_ASSIGN_OR_RETURN(
        std::vector<v1::BusyBlock> page,
        PageAfter(std::move(blocks), *after, page_size, BlockStartSeconds, next));
    for (v1::BusyBlock& block : page) *response->add_busy_blocks() = std::move(block);
    if (!next.empty()) response->set_next_page_token(EncodePageToken(digest, next));
    return absl::OkStatus();
  };
  return Finish(run());
}

grpc::Status SchedulingServiceImpl::DeleteBusyBlock(grpc::ServerContextBase* context,
                                                    const v1::DeleteBusyBlockRequest* request,
                                                    google::protobuf::Empty* response) {
  auto run = [&]() -> absl::Status {
    absl::StatusOr<BusyBlockName> name = ParseBusyBlockName(request->name());
    if (!name.ok()) return InvalidField("name", name.status().message());
    FIELDWORK_ASSIGN_OR_RETURN(
        const Principal caller,
        deps_.authorizer->Authorize(
            context, AccessTarget::Member(name->organization,
                                          FormatMemberName(name->organization, name->member))));
    FieldErrors errors;
    CheckRequestId(request->request_id(), errors);
    FIELDWORK_RETURN_IF_ERROR(errors.ToStatus());
    const absl::Time deadline = CallDeadline(context, deps_.rpc_budget);
    const RequestRecord record(deps_.idempotency, name->organization,
                               SchedulingMethod("DeleteBusyBlock"), *request);
    return Once<google::protobuf::Empty>(
        record, deadline, *response, [&](google::protobuf::Empty&) {
          return BusyBlockBooking(deps_).Delete(caller, *name, record, deadline);
        });
  };
  return Finish(run());
}

}  // namespace fieldwork::scheduling
