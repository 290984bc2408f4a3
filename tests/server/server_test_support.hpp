#pragma once
// Shared by tests/server/*_test.cpp: an in-process server on 127.0.0.1 port 0 over a
// memory_store, and a small blocking POSIX client whose every read has a deadline. The client
// deliberately does not use Asio, so these tests exercise the server through plain sockets.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "popspec/server/server.hpp"
#include "popspec/store/memory_store.hpp"
#include "popspec/store/user_db.hpp"

namespace popspec::server::testing {

using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;

inline constexpr std::string_view user = "alice";
inline constexpr std::string_view password = "wonderland";

inline std::vector<std::string> three_messages() {
  return {"Subject: one\r\n\r\nfirst body\r\n", "Subject: two\r\n\r\n.dot line\r\n.\r\nend\r\n",
          "Subject: three\r\n\r\nthird body\r\n"};
}

// A server over a memory store holding `alice`'s three messages, running on a background thread.
class running_server {
 public:
  explicit running_server(server_options options = default_options(),
                          store::memory_store_options store_options = {})
      : store_(store_options) {
    store_.add_mailbox(std::string(user), "", three_messages());
    store_.add_mailbox(std::string(user), "archive", {"Subject: old\r\n\r\nold body\r\n"});
    users_.add(std::string(user), std::string(password));
    server_ = std::make_unique<server>(std::move(options), store_, users_);
    std::string error;
    const auto ec = server_->listen(error);
    if (ec) ADD_FAILURE() << "listen failed: " << error;
    server_->start_background();
  }
  ~running_server() { server_->stop(); }

  static server_options default_options() {
    server_options o;
    o.pop3 = listen_address{};
    o.pop2 = listen_address{};
    o.hostname = "test.example";
    return o;
  }

  server& srv() { return *server_; }
  store::memory_store& store() { return store_; }
  std::uint16_t pop3_port() const { return server_->pop3_port(); }
  std::uint16_t pop2_port() const { return server_->pop2_port(); }

 private:
  store::memory_store store_;
  store::user_db users_;
  std::unique_ptr<server> server_;
};

// A blocking TCP client of 127.0.0.1 whose reads all have deadlines.
class client {
 public:
  // With must_connect (the default) a failed connect fails the test.
  explicit client(std::uint16_t port, bool must_connect = true) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      if (must_connect)
        ADD_FAILURE() << "cannot connect to 127.0.0.1:" << port << ": " << std::strerror(errno);
      close();
    }
  }
  ~client() { close(); }
  client(client&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}
  client& operator=(client&&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  void send(std::string_view data) {
    while (!data.empty() && fd_ >= 0) {
      const auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        ADD_FAILURE() << "send failed: " << std::strerror(errno);
        return;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // Everything up to and including the first `terminator`, or nothing if the deadline passes or
  // the connection closes first.
  std::optional<std::string> read_until(std::string_view terminator, ms timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (const auto at = buffer_.find(terminator); at != std::string::npos) {
        std::string out = buffer_.substr(0, at + terminator.size());
        buffer_.erase(0, at + terminator.size());
        return out;
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }
  std::optional<std::string> read_line(ms timeout = 5000ms) { return read_until("\r\n", timeout); }
  // A multi-line POP3 response (status line through the "." line).
  std::optional<std::string> read_multiline(ms timeout = 5000ms) {
    return read_until("\r\n.\r\n", timeout);
  }
  std::optional<std::string> read_exactly(std::size_t n, ms timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (buffer_.size() < n)
      if (!fill(deadline)) return std::nullopt;
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return out;
  }
  // Sends `line` + CRLF and reads one reply line.
  std::optional<std::string> command(std::string_view line, ms timeout = 5000ms) {
    send(std::string(line) + "\r\n");
    return read_line(timeout);
  }
  // True when the server closes the connection (EOF or reset) within `timeout`; any data that
  // arrives first is kept in `unread`.
  bool wait_closed(ms timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const int r = poll_in(deadline);
      if (r <= 0) return false;
      char buf[4096];
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      unread.append(buf, static_cast<std::size_t>(n));
    }
  }
  // Data received but not consumed by the read_* functions.
  std::string pending() const { return buffer_ + unread; }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  std::string unread;

 private:
  int poll_in(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      const auto left = std::chrono::duration_cast<ms>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || fd_ < 0) return 0;
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r < 0 && errno == EINTR) continue;
      return r;
    }
  }
  bool fill(std::chrono::steady_clock::time_point deadline) {
    if (poll_in(deadline) <= 0) return false;
    char buf[16384];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
};

// Connects and consumes the greeting; fails the test if there is none.
inline client connect_greeted(std::uint16_t port) {
  client c(port);
  const auto greeting = c.read_line();
  EXPECT_TRUE(greeting.has_value()) << "no greeting";
  return c;
}

// A POP3 client logged in as alice.
inline client pop3_logged_in(std::uint16_t port) {
  client c = connect_greeted(port);
  EXPECT_EQ(c.command("USER alice").value_or("").substr(0, 3), "+OK");
  EXPECT_EQ(c.command("PASS wonderland").value_or("").substr(0, 3), "+OK");
  return c;
}

// Polls `condition` until it holds or `timeout` passes.
template <class Condition>
bool eventually(Condition condition, ms timeout = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

}  // namespace popspec::server::testing
