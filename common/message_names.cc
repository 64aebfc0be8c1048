// Resource names and request ids read from messages by reflection (see message_names.h).
#include "common/message_names.h"

#include <google/protobuf/descriptor.h>

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"

namespace fieldwork {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr size_t kMaxRequestIdLength = 64;
constexpr const char* kNameFields[] = {"name",   "parent",  "event",
                                       "member", "subject", "organization"};

// A singular string field, or null when `descriptor` has none called `field`.
const FieldDescriptor* StringFieldNamed(const google::protobuf::Descriptor* descriptor,
                                        const char* field) {
  const FieldDescriptor* found = descriptor->FindFieldByName(field);
  if (found == nullptr || found->is_repeated() || found->type() != FieldDescriptor::TYPE_STRING) {
    return nullptr;
  }
  return found;
}

// Where a message type keeps what is read here, found once per type (and thread: every call
// reads its request and answer, and looking fields up by name each time showed in profiles).
struct FieldPlan {
  std::vector<const FieldDescriptor*> name_fields;  // of kNameFields, in that order
  // Each singular message field whose type has a string field "name", with that field.
  std::vector<std::pair<const FieldDescriptor*, const FieldDescriptor*>> message_names;
  const FieldDescriptor* request_id = nullptr;
};

const FieldPlan& PlanOf(const google::protobuf::Descriptor* descriptor) {
  thread_local absl::flat_hash_map<const google::protobuf::Descriptor*, FieldPlan> plans;
  auto [it, inserted] = plans.try_emplace(descriptor);
  if (!inserted) return it->second;
  FieldPlan& plan = it->second;
  for (const char* field : kNameFields) {
    if (const FieldDescriptor* found = StringFieldNamed(descriptor, field)) {
      plan.name_fields.push_back(found);
    }
  }
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() || field->type() != FieldDescriptor::TYPE_MESSAGE) continue;
    if (const FieldDescriptor* name = StringFieldNamed(field->message_type(), "name")) {
      plan.message_names.emplace_back(field, name);
    }
  }
  plan.request_id = StringFieldNamed(descriptor, "request_id");
  return plan;
}

void Keep(std::string name, std::vector<std::string>& names) {
  if (!name.empty() && name.size() <= kMaxKeptNameLength) names.push_back(std::move(name));
}

}  // namespace

std::vector<std::string> ResourceNamesOf(const Message& message) {
  const FieldPlan& plan = PlanOf(message.GetDescriptor());
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<std::string> names;
  for (const FieldDescriptor* field : plan.name_fields) {
    Keep(reflection->GetString(message, field), names);
  }
  for (const auto& [field, name] : plan.message_names) {
    if (!reflection->HasField(message, field)) continue;
    const Message& nested = reflection->GetMessage(message, field);
    Keep(nested.GetReflection()->GetString(nested, name), names);
  }
  return names;
}

std::string RequestIdOf(const Message& message) {
  const FieldDescriptor* field = PlanOf(message.GetDescriptor()).request_id;
  if (field == nullptr) return "";
  std::string id = message.GetReflection()->GetString(message, field);
  if (id.size() > kMaxRequestIdLength) return "";
  for (const char c : id) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) return "";
  }
  return id;
}

}  // namespace fieldwork
