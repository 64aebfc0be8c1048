// A private redis-server process for tests, and a minimal RESP client of its own so the harness
// never depends on the Redis client it helps to test.
#include "tests/harness/redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/harness/process_pause.h"

namespace fieldwork::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(20);
constexpr absl::Duration kStopTimeout = absl::Seconds(10);

std::string EncodeCommand(const std::vector<std::string>& args) {
  std::string out = absl::StrCat("*", args.size(), "\r\n");
  for (const std::string& arg : args) absl::StrAppend(&out, "$", arg.size(), "\r\n", arg, "\r\n");
  return out;
}

// Reads RESP replies from a blocking socket whose receive timeout is already set.
class ReplyReader {
 public:
  explicit ReplyReader(int fd) : fd_(fd) {}

  absl::StatusOr<std::string> Read() {
    absl::StatusOr<std::string> line = ReadLine();
    if (!line.ok()) return line.status();
    if (line->empty()) return absl::InternalError("empty RESP line");
    const std::string rest = line->substr(1);
    switch ((*line)[0]) {
      case '+':
      case ':':
        return rest;
      case '-':
        return absl::InternalError(rest);
      case '$': {
        int64_t length = 0;
        if (!absl::SimpleAtoi(rest, &length)) return absl::InternalError("bad bulk length");
        if (length < 0) return std::string();
        absl::StatusOr<std::string> bytes = ReadBytes(static_cast<size_t>(length) + 2);
        if (!bytes.ok()) return bytes.status();
        return bytes->substr(0, static_cast<size_t>(length));
      }
      case '*': {
        int64_t count = 0;
        if (!absl::SimpleAtoi(rest, &count)) return absl::InternalError("bad array length");
        std::vector<std::string> elements;
        for (int64_t i = 0; i < count; ++i) {
          absl::StatusOr<std::string> element = Read();
          if (!element.ok()) return element.status();
          elements.push_back(*std::move(element));
        }
        return absl::StrJoin(elements, "\n");
      }
      default:
        return absl::InternalError(absl::StrCat("unexpected RESP line: ", *line));
    }
  }

 private:
  absl::Status Fill() {
    char chunk[4096];
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return absl::OkStatus();
    }
    if (n == 0) return absl::UnavailableError("redis-server closed the connection");
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return absl::DeadlineExceededError("redis-server did not answer in time");
    }
    return absl::UnavailableError(absl::StrCat("recv: ", strerror(errno)));
  }

  absl::StatusOr<std::string> ReadLine() {
    size_t end;
    while ((end = buffer_.find("\r\n")) == std::string::npos) {
      if (absl::Status filled = Fill(); !filled.ok()) return filled;
    }
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    return line;
  }

  absl::StatusOr<std::string> ReadBytes(size_t count) {
    while (buffer_.size() < count) {
      if (absl::Status filled = Fill(); !filled.ok()) return filled;
    }
    std::string bytes = buffer_.substr(0, count);
    buffer_.erase(0, count);
    return bytes;
  }

  int fd_;
  std::string buffer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(const RedisServerOptions& options) {
  absl::Status last = absl::UnknownError("redis-server not started");
  // A port picked free can be taken by someone else before redis-server binds it: try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const std::string data_dir = MakeTempDir("fieldwork-redis");
    if (data_dir.empty()) return absl::InternalError("cannot create a temporary directory");
    std::unique_ptr<RedisServer> server(new RedisServer(options, PickFreePort(), data_dir));
    last = server->Launch();
    if (last.ok()) return server;
  }
  return last;
}

RedisServer::~RedisServer() {
  Stop().IgnoreError();
  std::error_code ignored;
  std::filesystem::remove_all(data_dir_, ignored);
}

std::string RedisServer::url() const {
  return absl::StrCat("redis://", options_.password.empty() ? "" : ":" + options_.password + "@",
                      "127.0.0.1:", port_);
}

absl::Status RedisServer::Launch() {
  std::vector<std::string> argv = {
      "redis-server", "--port",       absl::StrCat(port_),
      "--bind",       "127.0.0.1",    "--dir",
      data_dir_,      "--save",       "",
      "--daemonize",  "no",           "--enable-debug-command",
      "local",        "--appendonly", options_.appendonly ? "yes" : "no"};
  if (options_.fsync_always) argv.insert(argv.end(), {"--appendfsync", "always"});
  if (!options_.password.empty()) argv.insert(argv.end(), {"--requirepass", options_.password});
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  absl::StatusOr<std::unique_ptr<ChildProcess>> process =
      ChildProcess::Spawn(argv, data_dir_ + "/redis-server.log");
  if (!process.ok()) return process.status();
  process_ = *std::move(process);
  const absl::Status ready = WaitFor(
      [this] {
        if (process_->Wait(absl::ZeroDuration()).ok()) return true;  // exited
        absl::StatusOr<std::string> pong = Command({"PING"}, absl::Milliseconds(500));
        return pong.ok() && *pong == "PONG";
      },
      kStartTimeout, "redis-server to answer PING");
  if (!ready.ok() || !process_->running()) {
    const std::string log = process_->ReadLog();
    process_.reset();
    return absl::UnavailableError(absl::StrCat("redis-server on port ", port_,
                                               " did not start: ", ready.message(), "\n", log));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RedisServer::Command(const std::vector<std::string>& args,
                                                 absl::Duration timeout) const {
  return RedisCommandAt(port_, options_.password, args, timeout);
}

absl::StatusOr<std::string> RedisCommandAt(int port, const std::string& password,
                                           const std::vector<std::string>& args,
                                           absl::Duration timeout) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  const absl::Cleanup close_fd = [fd] { close(fd); };
  const timeval limit = absl::ToTimeval(timeout);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    return absl::UnavailableError(absl::StrCat("connect to port ", port, ": ", strerror(errno)));
  }
  std::string request;
  if (!password.empty()) request = EncodeCommand({"AUTH", password});
  request += EncodeCommand(args);
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return absl::UnavailableError(absl::StrCat("send: ", strerror(errno)));
    sent += static_cast<size_t>(n);
  }
  ReplyReader reader(fd);
  if (!password.empty()) {
    if (absl::StatusOr<std::string> auth = reader.Read(); !auth.ok()) return auth.status();
  }
  return reader.Read();
}

absl::Status RedisServer::Stop() {
  if (!running()) return absl::OkStatus();
  process_->Signal(SIGCONT);  // a paused server could not shut down
  Command({"SHUTDOWN", "NOSAVE"}, absl::Seconds(2)).IgnoreError();  // answers by closing
  if (process_->Wait(kStopTimeout).ok()) return absl::OkStatus();
  Kill();
  return absl::DeadlineExceededError(
      absl::StrCat("redis-server on port ", port_, " ignored SHUTDOWN; killed it"));
}

void RedisServer::Kill() {
  if (!running()) return;
  process_->Signal(SIGKILL);
  process_->Wait(kStopTimeout).IgnoreError();
}

void RedisServer::Pause() {
  if (running()) PauseProcess(*process_).IgnoreError();
}

void RedisServer::Resume() {
  if (running()) ResumeProcess(*process_).IgnoreError();
}

absl::Status RedisServer::Restart() {
  if (absl::Status stopped = Stop(); !stopped.ok()) return stopped;
  return Launch();
}

absl::StatusOr<RedisServer*> SharedRedisServer() {
  static absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
  if (!server.ok()) return server.status();
  return server->get();
}

void RedisServerTest::SetUp() {
  absl::StatusOr<RedisServer*> server = SharedRedisServer();
  ASSERT_TRUE(server.ok()) << server.status();
  redis_ = *server;
  if (!redis_->running()) {
    const absl::Status restarted = redis_->Restart();
    ASSERT_TRUE(restarted.ok()) << restarted;
  }
  const absl::StatusOr<std::string> flushed = redis_->Command({"FLUSHALL"});
  ASSERT_TRUE(flushed.ok()) << flushed.status();
}

}  // namespace fieldwork::testing
