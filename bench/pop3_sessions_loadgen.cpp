// Load generator for the sessions/second benchmark (see BENCHMARKS.md and sessions_bench.py).
// Each client thread runs complete POP3 sessions back to back against 127.0.0.1:PORT:
//   greeting, USER, PASS, STAT, RETR 1..n, QUIT
// and counts the sessions that completed with every reply as expected. Plain blocking POSIX
// sockets with a poll() deadline on every read, so the generator stays cheap and its cost is
// easy to reason about. The run is bounded by a duration and a total session count.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct config {
  std::uint16_t port = 0;
  unsigned clients = 8;
  double duration_s = 10;
  std::uint64_t max_sessions = 1'000'000;
  std::string user_prefix = "bench";
  std::string password = "bench-secret";
  unsigned users = 0;  // 0: one user per client
  int read_timeout_ms = 10'000;
};

// One POP3 connection; every read waits at most read_timeout_ms.
class connection {
 public:
  connection(std::uint16_t port, int timeout_ms) : timeout_ms_(timeout_ms) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only, by construction
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) close();
  }
  ~connection() { close(); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  bool ok() const { return fd_ >= 0; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      const auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads until `terminator`; the text up to and including it goes to `out`.
  bool read_until(std::string_view terminator, std::string& out) {
    std::size_t searched = 0;  // octets already known not to start a terminator
    for (;;) {
      if (const auto at = buffer_.find(terminator, searched); at != std::string::npos) {
        out.assign(buffer_, 0, at + terminator.size());
        buffer_.erase(0, at + terminator.size());
        return true;
      }
      if (buffer_.size() >= terminator.size()) searched = buffer_.size() - terminator.size() + 1;
      if (!fill()) return false;
    }
  }
  // The data of a multi-line response, after its status line: up to CRLF "." CRLF, or just
  // "." CRLF when there are no data lines.
  bool read_data_block(std::string& out) {
    while (buffer_.size() < 3)
      if (!fill()) return false;
    if (buffer_.compare(0, 3, ".\r\n") == 0) {
      out.clear();
      buffer_.erase(0, 3);
      return true;
    }
    return read_until("\r\n.\r\n", out);
  }
  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool fill() {
    pollfd p{fd_, POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, timeout_ms_);
    while (r < 0 && errno == EINTR);
    if (r <= 0) return false;
    char buf[65536];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<std::size_t>(n));
    bytes_read_ += static_cast<std::uint64_t>(n);
    return true;
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  int fd_ = -1;
  int timeout_ms_;
  std::string buffer_;
  std::uint64_t bytes_read_ = 0;
};

bool is_ok(const std::string& reply) {
  return reply.rfind("+OK", 0) == 0;
}

struct session_result {
  bool ok = false;
  std::string error;
  std::uint64_t bytes = 0;
  unsigned messages = 0;
};

session_result run_session(const config& cfg, const std::string& user) {
  session_result result;
  connection c(cfg.port, cfg.read_timeout_ms);
  std::string reply;
  const auto fail = [&](std::string what) {
    result.error = std::move(what);
    result.bytes = c.bytes_read();
    return result;
  };
  if (!c.ok()) return fail("connect failed");
  if (!c.read_until("\r\n", reply) || !is_ok(reply)) return fail("greeting: " + reply);
  if (!c.send("USER " + user + "\r\n") || !c.read_until("\r\n", reply) || !is_ok(reply))
    return fail("USER: " + reply);
  if (!c.send("PASS " + cfg.password + "\r\n") || !c.read_until("\r\n", reply) || !is_ok(reply))
    return fail("PASS: " + reply);
  if (!c.send("STAT\r\n") || !c.read_until("\r\n", reply) || !is_ok(reply))
    return fail("STAT: " + reply);
  unsigned count = 0;
  {
    const char* begin = reply.data() + 4;
    const auto [end, ec] = std::from_chars(begin, reply.data() + reply.size(), count);
    if (ec != std::errc{} || end == begin) return fail("STAT reply: " + reply);
  }
  for (unsigned n = 1; n <= count; ++n) {
    if (!c.send("RETR " + std::to_string(n) + "\r\n") || !c.read_until("\r\n", reply) ||
        !is_ok(reply))
      return fail("RETR status: " + reply);
    std::string data;
    if (!c.read_data_block(data)) return fail("RETR data");
  }
  if (!c.send("QUIT\r\n") || !c.read_until("\r\n", reply) || !is_ok(reply))
    return fail("QUIT: " + reply);
  result.ok = true;
  result.messages = count;
  result.bytes = c.bytes_read();
  return result;
}

bool parse_args(int argc, char** argv, config& cfg) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&]() -> std::string_view { return i + 1 < argc ? argv[++i] : ""; };
    const auto number = [&](auto& out) {
      const auto v = value();
      return std::from_chars(v.data(), v.data() + v.size(), out).ec == std::errc{} && !v.empty();
    };
    if (a == "--port") {
      if (!number(cfg.port)) return false;
    } else if (a == "--clients") {
      if (!number(cfg.clients) || cfg.clients == 0 || cfg.clients > 1000) return false;
    } else if (a == "--duration") {
      cfg.duration_s = std::atof(std::string(value()).c_str());
      if (cfg.duration_s <= 0 || cfg.duration_s > 600) return false;
    } else if (a == "--max-sessions") {
      if (!number(cfg.max_sessions) || cfg.max_sessions == 0) return false;
    } else if (a == "--users") {
      if (!number(cfg.users)) return false;
    } else if (a == "--user-prefix") {
      cfg.user_prefix = value();
    } else if (a == "--password") {
      cfg.password = value();
    } else {
      return false;
    }
  }
  return cfg.port != 0;
}

}  // namespace

int main(int argc, char** argv) {
  config cfg;
  if (!parse_args(argc, argv, cfg)) {
    std::fprintf(stderr,
                 "usage: %s --port PORT [--clients N (1-1000, default 8)] [--duration SECONDS "
                 "(default 10, at most 600)] [--max-sessions N] [--users N (default: one per "
                 "client)] [--user-prefix bench] [--password bench-secret]\n"
                 "Runs POP3 sessions (USER, PASS, STAT, RETR all, QUIT) against 127.0.0.1:PORT; "
                 "client i logs in as PREFIX<i mod users + 1>.\n",
                 argv[0]);
    return 2;
  }
  const unsigned users = cfg.users ? cfg.users : cfg.clients;

  std::atomic<std::uint64_t> started{0};
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> messages{0};
  std::mutex latency_mutex;
  std::vector<double> latencies_ms;
  std::string first_error;

  const auto begin = clock_type::now();
  const auto end = begin + std::chrono::duration_cast<clock_type::duration>(
                               std::chrono::duration<double>(cfg.duration_s));
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < cfg.clients; ++t) {
    threads.emplace_back([&, t] {
      const std::string user = cfg.user_prefix + std::to_string(t % users + 1);
      std::vector<double> mine;
      while (clock_type::now() < end && started.fetch_add(1) < cfg.max_sessions) {
        const auto s0 = clock_type::now();
        const auto r = run_session(cfg, user);
        const double ms = std::chrono::duration<double, std::milli>(clock_type::now() - s0).count();
        bytes += r.bytes;
        if (r.ok) {
          ++completed;
          messages += r.messages;
          mine.push_back(ms);
        } else {
          ++failed;
          std::lock_guard lock(latency_mutex);
          if (first_error.empty()) first_error = r.error;
        }
      }
      std::lock_guard lock(latency_mutex);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(clock_type::now() - begin).count();

  std::sort(latencies_ms.begin(), latencies_ms.end());
  const auto pct = [&](double p) {
    if (latencies_ms.empty()) return 0.0;
    const auto i = static_cast<std::size_t>(p * static_cast<double>(latencies_ms.size() - 1));
    return latencies_ms[i];
  };
  std::printf("clients=%u users=%u elapsed_s=%.2f sessions=%llu failed=%llu messages=%llu\n",
              cfg.clients, users, elapsed, static_cast<unsigned long long>(completed.load()),
              static_cast<unsigned long long>(failed.load()),
              static_cast<unsigned long long>(messages.load()));
  std::printf("sessions_per_s=%.1f MiB_per_s=%.1f latency_ms_p50=%.2f p99=%.2f max=%.2f\n",
              static_cast<double>(completed.load()) / elapsed,
              static_cast<double>(bytes.load()) / elapsed / (1024.0 * 1024.0), pct(0.5), pct(0.99),
              latencies_ms.empty() ? 0.0 : latencies_ms.back());
  if (!first_error.empty()) std::printf("first_error=%s\n", first_error.c_str());
  return failed.load() == 0 && completed.load() > 0 ? 0 : 1;
}
