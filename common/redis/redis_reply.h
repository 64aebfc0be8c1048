// An owned Redis reply (nil, integer, status, error, string or array) that callers keep and
// inspect without ever seeing hiredis types.
#ifndef FIELDWORK_COMMON_REDIS_REDIS_REPLY_H_
#define FIELDWORK_COMMON_REDIS_REDIS_REPLY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace fieldwork {

class RedisReply {
 public:
  enum class Type { kNil, kInteger, kStatus, kError, kString, kArray };

  static RedisReply Nil() { return RedisReply(Type::kNil); }
  static RedisReply Integer(int64_t value);
  // A simple-string reply such as "OK" or "PONG".
  static RedisReply Status(std::string text);
  // An error reply such as "WRONGTYPE Operation against a key holding the wrong kind of value".
  static RedisReply Error(std::string message);
  // A bulk string; binary-safe.
  static RedisReply String(std::string bytes);
  static RedisReply Array(std::vector<RedisReply> elements);

  RedisReply() : RedisReply(Type::kNil) {}

  Type type() const { return type_; }
  bool is_nil() const { return type_ == Type::kNil; }
  bool is_error() const { return type_ == Type::kError; }
  // The value of an integer reply; 0 for other types.
  int64_t integer() const { return integer_; }
  // The bytes of a string, status or error reply; empty for other types.
  const std::string& str() const { return str_; }
  // The elements of an array reply; empty for other types.
  const std::vector<RedisReply>& elements() const { return elements_; }

  // A short readable form for logs and test failures, e.g. `["OK", 3, nil]`.
  std::string DebugString() const;

  friend bool operator==(const RedisReply& a, const RedisReply& b);
  friend bool operator!=(const RedisReply& a, const RedisReply& b) { return !(a == b); }

 private:
  explicit RedisReply(Type type) : type_(type) {}

  Type type_;
  int64_t integer_ = 0;
  std::string str_;
  std::vector<RedisReply> elements_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_REDIS_REPLY_H_
