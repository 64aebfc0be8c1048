// A typed client of one fieldwork gRPC service for a Session: every call gets the session's
// deadline and token and comes back as an absl::Status with the server's error details; List calls
// can be followed across every page.
#ifndef FIELDWORK_TOOLS_FIELDCTL_RPC_CLIENT_H_
#define FIELDWORK_TOOLS_FIELDCTL_RPC_CLIENT_H_

#include <grpcpp/client_context.h>

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/fieldctl/session.h"

namespace fieldwork::fieldctl {

template <typename Service>
class RpcClient {
 public:
  using Stub = typename Service::Stub;
  template <typename Request, typename Response>
  using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

  RpcClient(Session& session, Endpoint& endpoint)
      : session_(session), endpoint_(endpoint), stub_(Service::NewStub(endpoint.channel)) {}

  template <typename Request, typename Response>
  absl::Status Call(Method<Request, Response> method, const Request& request, Response* response) {
    grpc::ClientContext context;
    session_.PrepareContext(&context);
    return session_.FromRpc(endpoint_, (stub_.get()->*method)(&context, request, response));
  }

  // Calls a List method page after page, appending every page's items to `*all` (whose
  // next_page_token ends empty).
  template <typename Request, typename Response>
  absl::Status ListAll(Method<Request, Response> method, Request request, Response* all) {
    for (int pages = 1;; ++pages) {
      Response page;
      if (absl::Status status = Call(method, request, &page); !status.ok()) return status;
      all->MergeFrom(page);
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
      session_.Progress(absl::StrCat("read ", pages, " pages…"));
    }
    all->clear_next_page_token();
    session_.Progress("");
    return absl::OkStatus();
  }

  Stub& stub() { return *stub_; }
  Session& session() { return session_; }
  Endpoint& endpoint() { return endpoint_; }

 private:
  Session& session_;
  Endpoint& endpoint_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace fieldwork::fieldctl

#endif  // FIELDWORK_TOOLS_FIELDCTL_RPC_CLIENT_H_
