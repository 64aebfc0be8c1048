// The owned Redis reply value.
#include "common/redis/redis_reply.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace fieldwork {

RedisReply RedisReply::Integer(int64_t value) {
  RedisReply reply(Type::kInteger);
  reply.integer_ = value;
  return reply;
}

RedisReply RedisReply::Status(std::string text) {
  RedisReply reply(Type::kStatus);
  reply.str_ = std::move(text);
  return reply;
}

RedisReply RedisReply::Error(std::string message) {
  RedisReply reply(Type::kError);
  reply.str_ = std::move(message);
  return reply;
}

RedisReply RedisReply::String(std::string bytes) {
  RedisReply reply(Type::kString);
  reply.str_ = std::move(bytes);
  return reply;
}

RedisReply RedisReply::Array(std::vector<RedisReply> elements) {
  RedisReply reply(Type::kArray);
  reply.elements_ = std::move(elements);
  return reply;
}

std::string RedisReply::DebugString() const {
  switch (type_) {
    case Type::kNil:
      return "nil";
    case Type::kInteger:
      return absl::StrCat(integer_);
    case Type::kStatus:
      return str_;
    case Type::kError:
      return absl::StrCat("(error) ", str_);
    case Type::kString:
      return absl::StrCat("\"", absl::CHexEscape(str_), "\"");
    case Type::kArray:
      return absl::StrCat("[",
                          absl::StrJoin(elements_, ", ",
                                        [](std::string* out, const RedisReply& element) {
                                          out->append(element.DebugString());
                                        }),
                          "]");
  }
  return "?";
}

bool operator==(const RedisReply& a, const RedisReply& b) {
  return a.type_ == b.type_ && a.integer_ == b.integer_ && a.str_ == b.str_ &&
         a.elements_ == b.elements_;
}

}  // namespace fieldwork
