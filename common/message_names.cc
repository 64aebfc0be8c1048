// Resource names and request ids read from messages by reflection (see message_names.h).
#include "common/message_names.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/ascii.h"

namespace fieldwork {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr size_t kMaxRequestIdLength = 64;
constexpr const char* kNameFields[] = {"name",   "parent",  "event",
                                       "member", "subject", "organization"};

// The value of the singular string field `field` of `message`; "" when it has none.
std::string StringField(const Message& message, const char* field) {
  const FieldDescriptor* descriptor = message.GetDescriptor()->FindFieldByName(field);
  if (descriptor == nullptr || descriptor->is_repeated() ||
      descriptor->type() != FieldDescriptor::TYPE_STRING) {
    return "";
  }
  return message.GetReflection()->GetString(message, descriptor);
}

void Keep(std::string name, std::vector<std::string>& names) {
  if (!name.empty() && name.size() <= kMaxKeptNameLength) names.push_back(std::move(name));
}

}  // namespace

std::vector<std::string> ResourceNamesOf(const Message& message) {
  std::vector<std::string> names;
  for (const char* field : kNameFields) Keep(StringField(message, field), names);
  const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
  const google::protobuf::Reflection* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() || field->type() != FieldDescriptor::TYPE_MESSAGE ||
        !reflection->HasField(message, field)) {
      continue;
    }
    Keep(StringField(reflection->GetMessage(message, field), "name"), names);
  }
  return names;
}

std::string RequestIdOf(const Message& message) {
  std::string id = StringField(message, "request_id");
  if (id.size() > kMaxRequestIdLength) return "";
  for (const char c : id) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) return "";
  }
  return id;
}

}  // namespace fieldwork
