// A Lua script run with EVALSHA: its source, its SHA1 (what EVALSHA names it by) and a short name
// used in metrics.
#ifndef FIELDWORK_COMMON_REDIS_SCRIPT_H_
#define FIELDWORK_COMMON_REDIS_SCRIPT_H_

#include <string>

namespace fieldwork {

class Script {
 public:
  // `name` labels the script's metrics, e.g. "lock_acquire".
  Script(std::string name, std::string source);

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  // Lower-case hex SHA1 of the source, as SCRIPT LOAD returns it.
  const std::string& sha1() const { return sha1_; }

 private:
  std::string name_;
  std::string source_;
  std::string sha1_;
};

}  // namespace fieldwork

#endif  // FIELDWORK_COMMON_REDIS_SCRIPT_H_
