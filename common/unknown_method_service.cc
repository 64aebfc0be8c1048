// A generic handler that finishes every call at once with UNAUTHENTICATED or UNIMPLEMENTED.
#include "common/unknown_method_service.h"

#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace fieldwork {
namespace {

class FinishedReactor : public grpc::ServerGenericBidiReactor {
 public:
  explicit FinishedReactor(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerGenericBidiReactor* UnknownMethodService::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  const absl::StatusOr<Principal> caller =
      authorizer_->AuthenticateMetadata(context->client_metadata());
  if (!caller.ok()) return new FinishedReactor(ToGrpcStatus(caller.status()));
  return new FinishedReactor(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                          absl::StrCat("unknown method ", context->method())));
}

}  // namespace fieldwork
