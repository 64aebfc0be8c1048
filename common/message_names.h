// What the server runner keeps of a call's messages once the handler is done with them (gRPC
// destroys the request before the status is sent): the resource names a request or response
// carries, and a request's request_id. Read generically by protobuf reflection. Pure: no I/O.
#ifndef FIELDWORK_COMMON_MESSAGE_NAMES_H_
#define FIELDWORK_COMMON_MESSAGE_NAMES_H_

#include <google/protobuf/message.h>

#include <string>
#include <vector>

namespace fieldwork {

// Names longer than this are not kept (a resource name never is; a malformed request may be).
inline constexpr size_t kMaxKeptNameLength = 300;

// The non-empty values of the string fields name, parent, event, member, subject and
// organization, in that order, then the `name` of each message field that is set (the resource of
// an Update request, or of a Create's response such as CreateEventResponse.event), in field order.
std::vector<std::string> ResourceNamesOf(const google::protobuf::Message& message);

// The string field request_id when it holds 1–64 printable ASCII characters, else "".
std::string RequestIdOf(const google::protobuf::Message& message);

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_MESSAGE_NAMES_H_
