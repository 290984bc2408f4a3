// The client transport against a scripted server on 127.0.0.1: complete responses, deadlines,
// size limits, closes, silence and POP2 data reads.
#include "popspec/harness/transport.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <optional>

namespace popspec::harness {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

// What the scripted server does with its one connection: a list of (delay, bytes) writes, then
// close (or keep the connection open until the client goes away).
struct script {
  std::vector<std::pair<std::chrono::milliseconds, std::string>> writes;
  bool close_after = true;
};

class TransportTest : public ::testing::Test {
 protected:
  // Serves `s` on a fresh port, connects, then runs `client` with the connection.
  void run(const script& s, std::function<asio::awaitable<void>(connection&)> client) {
    asio::io_context ctx;
    tcp::acceptor acceptor(ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    std::uint16_t port = acceptor.local_endpoint().port();
    asio::co_spawn(
        ctx,
        [&]() -> asio::awaitable<void> {
          tcp::socket peer = co_await acceptor.async_accept(asio::use_awaitable);
          asio::steady_timer timer(ctx);
          boost::system::error_code ec;
          for (const auto& [delay, bytes] : s.writes) {
            timer.expires_after(delay);
            co_await timer.async_wait(asio::use_awaitable);
            co_await asio::async_write(peer, asio::buffer(bytes),
                                       asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
          }
          if (s.close_after) {
            peer.shutdown(tcp::socket::shutdown_send, ec);
            timer.expires_after(200ms);
            co_await timer.async_wait(asio::use_awaitable);
            co_return;
          }
          // Stay until the client closes.
          char sink[256];
          for (;;) {
            co_await peer.async_read_some(asio::buffer(sink),
                                          asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
          }
        },
        asio::detached);
    asio::co_spawn(
        ctx,
        [&]() -> asio::awaitable<void> {
          connection conn(ctx.get_executor());
          auto ec = co_await conn.connect("127.0.0.1", port, steady_clock::now() + 2s);
          EXPECT_FALSE(ec) << ec.message();
          co_await client(conn);
          conn.close();
        },
        asio::detached);
    ctx.run_for(10s);
  }

  static steady_clock::time_point in(std::chrono::milliseconds ms) {
    return steady_clock::now() + ms;
  }
};

TEST_F(TransportTest, ReadsAMultiLineResponseUnstuffed) {
  std::optional<observation> seen;
  run({{{0ms, "+OK 2 lines\r\nfirst\r\n..dot\r\n.\r\n"}}},
      [&](connection& c) -> asio::awaitable<void> {
        read_plan plan;
        plan.multiline_if_ok = true;
        seen = co_await c.read_pop3(plan, in(2000ms));
      });
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->end, response_end::complete);
  EXPECT_EQ(seen->status_line, "+OK 2 lines");
  EXPECT_EQ(seen->data, "first\r\n.dot\r\n");
  EXPECT_EQ(seen->line_count, 2u);
}

TEST_F(TransportTest, KeepsPipelinedResponsesApart) {
  std::optional<observation> a, b;
  run({{{0ms, "+OK one\r\n-ERR two\r\n"}}}, [&](connection& c) -> asio::awaitable<void> {
    a = co_await c.read_pop3({}, in(2000ms));
    b = co_await c.read_pop3({}, in(2000ms));
  });
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status_line, "+OK one");
  EXPECT_EQ(b->status_line, "-ERR two");
}

TEST_F(TransportTest, AMissingTerminatorEndsAtTheDeadlineMidway) {
  std::optional<observation> seen;
  auto start = steady_clock::now();
  run({{{0ms, "+OK\r\nline\r\n"}}, false}, [&](connection& c) -> asio::awaitable<void> {
    read_plan plan;
    plan.multiline_if_ok = true;
    seen = co_await c.read_pop3(plan, in(300ms));
  });
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->end, response_end::timeout_midway);
  EXPECT_LT(steady_clock::now() - start, 3s);
}

TEST_F(TransportTest, NothingAtAllIsATimeoutOrSilenceWhenAsked) {
  std::optional<observation> timeout, silence;
  run({{}, false}, [&](connection& c) -> asio::awaitable<void> {
    timeout = co_await c.read_pop3({}, in(200ms));
    read_plan plan;
    plan.silence = 200ms;
    silence = co_await c.read_pop3(plan, in(50ms));
  });
  ASSERT_TRUE(timeout && silence);
  EXPECT_EQ(timeout->end, response_end::timeout);
  EXPECT_EQ(silence->end, response_end::silence);
  EXPECT_GE(silence->elapsed_ms, 190);
}

TEST_F(TransportTest, CloseBeforeAndInTheMiddleOfAResponse) {
  std::optional<observation> midway, after;
  run({{{0ms, "+OK\r\npartial"}}}, [&](connection& c) -> asio::awaitable<void> {
    read_plan plan;
    plan.multiline_if_ok = true;
    midway = co_await c.read_pop3(plan, in(2000ms));
    after = co_await c.read_pop3({}, in(2000ms));
  });
  ASSERT_TRUE(midway && after);
  EXPECT_EQ(midway->end, response_end::closed_midway);
  EXPECT_EQ(after->end, response_end::closed);
}

TEST_F(TransportTest, AnEndlessLineStopsAtTheSizeLimit) {
  std::optional<observation> seen;
  script s;
  s.writes.push_back({0ms, "+OK " + std::string(20000, 'x')});
  s.close_after = false;
  run(s,
      [&](connection& c) -> asio::awaitable<void> { seen = co_await c.read_pop3({}, in(2000ms)); });
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->end, response_end::too_large);
  EXPECT_LE(seen->octets, 16384u);
}

TEST_F(TransportTest, GarbageIsMalformed) {
  std::optional<observation> seen;
  run({{{0ms, std::string("\x01\x02garbage\r\n", 11)}}},
      [&](connection& c) -> asio::awaitable<void> { seen = co_await c.read_pop3({}, in(2000ms)); });
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->end, response_end::malformed);
}

TEST_F(TransportTest, ViolationsAreRecordedOnCompleteResponses) {
  std::optional<observation> seen;
  run({{{0ms, "+OK\n"}}},
      [&](connection& c) -> asio::awaitable<void> { seen = co_await c.read_pop3({}, in(2000ms)); });
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->end, response_end::complete);
  ASSERT_FALSE(seen->violations.empty());
  EXPECT_EQ(seen->violations[0].rfind("bare_lf", 0), 0u);
}

TEST_F(TransportTest, AwaitCloseSeesTheServerClosing) {
  std::optional<observation> seen;
  run({{{0ms, "+OK bye\r\n"}}}, [&](connection& c) -> asio::awaitable<void> {
    observation o = co_await c.read_pop3({}, in(2000ms));
    co_await c.await_close(o, in(2000ms));
    seen = o;
  });
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->closed_after);
}

TEST_F(TransportTest, UnsolicitedOctetsAreTakenWithoutWaiting) {
  std::string extra;
  run({{{0ms, "+OK hi\r\n+OK surprise\r\n"}}, false}, [&](connection& c) -> asio::awaitable<void> {
    co_await c.read_pop3({}, in(2000ms));
    asio::steady_timer t(co_await asio::this_coro::executor);
    t.expires_after(50ms);
    co_await t.async_wait(asio::use_awaitable);
    extra = c.take_unsolicited();
  });
  EXPECT_EQ(extra, "+OK surprise\r\n");
}

TEST_F(TransportTest, Pop2DataReadsExactlyTheAnnouncedOctets) {
  std::optional<observation> line, data, next;
  run({{{0ms, "=5\r\nab\r\nc=0\r\n"}}}, [&](connection& c) -> asio::awaitable<void> {
    line = co_await c.read_pop2({}, in(2000ms));
    read_plan plan;
    plan.pop2_data = 5;
    data = co_await c.read_pop2(plan, in(2000ms));
    next = co_await c.read_pop2({}, in(2000ms));
  });
  ASSERT_TRUE(line && data && next);
  EXPECT_EQ(line->status_line, "=5");
  EXPECT_EQ(data->data, "ab\r\nc");
  EXPECT_TRUE(data->pop2_data);
  EXPECT_EQ(next->status_line, "=0");
}

TEST_F(TransportTest, DropWaitsForTheServerToClose) {
  bool closed = false;
  run({{}, false},
      [&](connection& c) -> asio::awaitable<void> { closed = co_await c.drop(in(2000ms)); });
  EXPECT_TRUE(closed);
}

TEST_F(TransportTest, AMissingTerminatorKeepsTheDataLinesThatArrived) {
  std::optional<observation> seen;
  run({{{0ms, "+OK\r\nUSER\r\nTOP\r\n"}}, false}, [&](connection& c) -> asio::awaitable<void> {
    read_plan plan;
    plan.multiline_if_ok = true;
    seen = co_await c.read_pop3(plan, in(300ms));
  });
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->end, response_end::timeout_midway);
  EXPECT_EQ(seen->data, "USER\r\nTOP\r\n");
  EXPECT_EQ(seen->line_count, 2u);
}

TEST_F(TransportTest, AWriteAfterAFailedWriteFailsAtOnceInsteadOfAtTheDeadline) {
  std::error_code failed, next;
  run({{{0ms, "-ERR bye\r\n"}}}, [&](connection& c) -> asio::awaitable<void> {
    co_await c.read_pop3({}, in(2000ms));
    // Let the server's socket go away completely, so writes draw a reset and then EPIPE.
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(400ms);
    co_await timer.async_wait(asio::use_awaitable);
    for (int i = 0; i < 20 && !failed; ++i) {
      failed = co_await c.write("NOOP\r\n", in(2000ms));
      timer.expires_after(20ms);
      co_await timer.async_wait(asio::use_awaitable);
    }
    // The deadline would be the only way out if the failed connection were written to again.
    next = co_await c.write("STAT\r\n", in(3000ms));
  });
  ASSERT_TRUE(failed) << "no write failed after the server went away";
  ASSERT_TRUE(next);
  EXPECT_NE(next, std::make_error_code(std::errc::timed_out)) << next.message();
}

}  // namespace
}  // namespace popspec::harness
