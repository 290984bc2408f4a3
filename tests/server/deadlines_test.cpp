// Deadlines on reads (the POP3 autologout timer) and on writes, and the cap on unsent output.
#include "popspec/server/server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "server_test_support.hpp"

namespace popspec::server::testing {
namespace {

using ::testing::StartsWith;

server_options with_autologout(std::chrono::seconds autologout) {
  auto o = running_server::default_options();
  o.pop3_autologout = autologout;
  return o;
}

TEST(DeadlinesTest, ClosesASilentPop3ClientAtTheAutologoutDeadlineWithoutAResponse) {
  running_server s(with_autologout(std::chrono::seconds(1)));
  client c(s.pop3_port());
  ASSERT_TRUE(c.read_line().has_value());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.wait_closed(5000ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
  EXPECT_EQ(c.unread, "");  // RFC 1939 TIMER.5: no response on autologout
}

TEST(DeadlinesTest, AutologoutTimerIsResetByEveryCommand) {
  running_server s(with_autologout(std::chrono::seconds(1)));
  client c = pop3_logged_in(s.pop3_port());
  for (int i = 0; i < 6; ++i) {  // 2.4 s in all, well past one timeout
    std::this_thread::sleep_for(400ms);
    EXPECT_THAT(c.command("NOOP").value_or("closed"), StartsWith("+OK")) << "at NOOP " << i;
  }
}

TEST(DeadlinesTest, BytesThatCompleteNoCommandDoNotPostponeTheAutologout) {
  running_server s(with_autologout(std::chrono::seconds(1)));
  client c(s.pop3_port());
  ASSERT_TRUE(c.read_line().has_value());
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  for (int i = 0; i < 10 && !closed; ++i) {  // a byte every 300 ms, never a CRLF
    c.send("N");
    closed = c.wait_closed(300ms);
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2000ms);
}

TEST(DeadlinesTest, AutologoutCommitsNothingAndReleasesTheLock) {
  running_server s(with_autologout(std::chrono::seconds(1)));
  client c = pop3_logged_in(s.pop3_port());
  EXPECT_THAT(c.command("DELE 1").value_or(""), StartsWith("+OK"));
  EXPECT_TRUE(c.wait_closed(5000ms));
  EXPECT_TRUE(eventually([&] { return !s.store().is_locked("alice"); }));
  EXPECT_EQ(s.store().contents("alice"), three_messages());
  EXPECT_EQ(s.store().commit_count(), 0u);
}

enum class flood_end { stalled, connection_closed, limit_reached };

// A client that pipelines RETRs of a big message and never reads, until its writes make no
// progress for 1.5 s, the connection fails, or `max_bytes` are sent.
flood_end flood_with_retr(client& c, std::size_t max_bytes, std::size_t& sent) {
  const int flags = ::fcntl(c.fd(), F_GETFL);
  ::fcntl(c.fd(), F_SETFL, flags | O_NONBLOCK);
  std::string chunk;
  for (int i = 0; i < 1024; ++i) chunk += "RETR 1\r\n";
  sent = 0;
  auto last_progress = std::chrono::steady_clock::now();
  while (sent < max_bytes) {
    const auto n = ::send(c.fd(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      last_progress = std::chrono::steady_clock::now();
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return flood_end::connection_closed;
    if (std::chrono::steady_clock::now() - last_progress > 1500ms) return flood_end::stalled;
    std::this_thread::sleep_for(20ms);
  }
  return flood_end::limit_reached;
}

TEST(DeadlinesTest, StopsReadingFromAClientThatDoesNotReadItsResponses) {
  running_server s;
  s.store().add_mailbox("alice", "", {"Subject: big\r\n\r\n" + std::string(1 << 20, 'x') + "\r\n"});
  client c = pop3_logged_in(s.pop3_port());
  std::size_t sent = 0;
  // Each 8-octet command asks for 1 MiB. A server that kept reading would take all 64 MiB of
  // commands (and owe 8 TiB of output); one that stops reading stalls the client once the
  // kernel's socket buffers are full.
  EXPECT_EQ(flood_with_retr(c, 64u << 20, sent), flood_end::stalled)
      << "the server kept reading: " << sent << " octets of commands taken";
  EXPECT_LT(sent, 32u << 20);
}

TEST(DeadlinesTest, DropsAClientThatAcceptsNoOutputForTheWriteTimeout) {
  auto options = running_server::default_options();
  options.write_timeout = std::chrono::seconds(1);
  running_server s(options);
  s.store().add_mailbox("alice", "", {"Subject: big\r\n\r\n" + std::string(1 << 20, 'x') + "\r\n"});
  client c = pop3_logged_in(s.pop3_port());
  EXPECT_THAT(c.command("DELE 1").value_or(""), StartsWith("+OK"));
  std::size_t sent = 0;
  ASSERT_NE(flood_with_retr(c, 64u << 20, sent), flood_end::limit_reached);
  // The session is dropped (lock released, nothing committed) although the client never closed.
  EXPECT_TRUE(eventually([&] { return s.srv().open_connections() == 0; }, 10000ms));
  EXPECT_FALSE(s.store().is_locked("alice"));
  EXPECT_EQ(s.store().commit_count(), 0u);
}

}  // namespace
}  // namespace popspec::server::testing
