// Arbitrary input never breaks the session: every line gets one well-formed reply (or none
// once closed), and mail is removed only by QUIT from TRANSACTION (issue #2's closing
// paragraph; RFC 1939 ERR.1, UPD.2).
#include <gtest/gtest.h>

#include <random>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

std::string random_line(std::mt19937& rng) {
  // Half the lines are real commands, so sessions do log in, delete and quit.
  static const std::vector<std::string> commands{
      "USER alice", "PASS secret", "APOP mrose c4c9334bac560ecc979e58001b3e22fb",
      "STAT",       "LIST",        "LIST 1",
      "RETR 2",     "DELE 1",      "DELE 2",
      "RSET",       "TOP 1 0",     "UIDL",
      "LAST",       "NOOP",        "CAPA"};
  if (std::uniform_int_distribution<int>(0, 29)(rng) == 0) return "QUIT";
  if (std::uniform_int_distribution<int>(0, 1)(rng) == 0)
    return commands[std::uniform_int_distribution<std::size_t>(0, commands.size() - 1)(rng)];
  static const std::vector<std::string> words{"USER",
                                              "PASS",
                                              "APOP",
                                              "QUIT",
                                              "STAT",
                                              "LIST",
                                              "RETR",
                                              "DELE",
                                              "NOOP",
                                              "RSET",
                                              "TOP",
                                              "UIDL",
                                              "LAST",
                                              "RPOP",
                                              "CAPA",
                                              "user",
                                              "alice",
                                              "secret",
                                              "mrose",
                                              "1",
                                              "2",
                                              "3",
                                              "0",
                                              "-1",
                                              "99999999999999999999",
                                              "",
                                              " ",
                                              "\t",
                                              std::string(1, '\0'),
                                              "\x7f",
                                              "\xff",
                                              ".",
                                              "../x",
                                              "c4c9334bac560ecc979e58001b3e22fb",
                                              std::string(300, 'a')};
  std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1), count(0, 4);
  std::string line;
  const std::size_t n = count(rng);
  for (std::size_t i = 0; i < n; ++i) {
    if (i) line += ' ';
    line += words[pick(rng)];
  }
  return line;
}

TEST(Pop3RobustnessTest, RandomCommandLinesAlwaysGetOneWellFormedReply) {
  for (const auto prof : {profile::rfc1939, profile::rfc1225}) {
    std::mt19937 rng(1939);
    int logged_in = 0, committed = 0;
    for (int run = 0; run < 300; ++run) {
      session_fixture f(prof);
      f.store.add_mailbox("alice", "", {test::plain_message, test::dotted_message});
      f.store.add_mailbox("mrose", "", {test::lines_message});
      f.start();
      bool quit_in_transaction = false;
      // Half the sessions start with a correct login, the rest find their own way in (or not).
      std::vector<std::string> script;
      if (run % 2 == 0) script = {"USER alice", "PASS secret"};
      for (int i = 0; i < 40 && f.open; ++i) {
        const std::string line = i < static_cast<int>(script.size()) ? script[i] : random_line(rng);
        const bool in_transaction = f.s->current_state() == state::transaction;
        const std::string reply = f.send(line);
        if (!in_transaction && f.s->current_state() == state::transaction) ++logged_in;
        ASSERT_TRUE(reply.starts_with("+OK") || reply.starts_with("-ERR")) << line;
        ASSERT_TRUE(reply.ends_with("\r\n")) << line;
        if (!f.open && in_transaction && reply.starts_with("+OK")) quit_in_transaction = true;
      }
      if (f.open) f.s->on_disconnect();
      EXPECT_FALSE(f.store.is_locked("alice"));
      EXPECT_FALSE(f.store.is_locked("mrose"));
      if (!quit_in_transaction) {
        EXPECT_EQ(f.store.contents("alice").size(), 2u);
        EXPECT_EQ(f.store.contents("mrose").size(), 1u);
      }
      if (!f.s->committed_deletions().empty()) ++committed;
    }
    // The generator really exercised TRANSACTION and UPDATE.
    EXPECT_GT(logged_in, 30);
    EXPECT_GT(committed, 5);
  }
}

TEST(Pop3RobustnessTest, RandomBytesThroughTheFramerNeverBreakTheSession) {
  std::mt19937 rng(2449);
  std::uniform_int_distribution<int> byte(0, 255), length(1, 600);
  for (int run = 0; run < 200; ++run) {
    session_fixture f;
    f.store.add_mailbox("alice", "", {test::plain_message});
    f.start();
    std::string input;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) {
      // Mostly printable, with line ends and arbitrary octets mixed in.
      const int b = byte(rng);
      input += b < 20   ? '\n'
               : b < 30 ? '\r'
               : b < 40 ? static_cast<char>(byte(rng))
                        : static_cast<char>(' ' + b % 95);
    }
    // One reply per framed line, each starting with a status indicator, until QUIT.
    f.framer.feed(input);
    while (auto e = f.framer.next()) {
      const bool was_open = f.open;
      const std::string reply = f.event(*e);
      if (!was_open) {
        EXPECT_EQ(reply, "");
        continue;
      }
      EXPECT_TRUE(reply.starts_with("+OK ") || reply.starts_with("-ERR ")) << reply;
      EXPECT_TRUE(reply.ends_with("\r\n"));
    }
    f.s->on_disconnect();
    EXPECT_EQ(f.store.contents("alice").size(), 1u);
    EXPECT_FALSE(f.store.is_locked("alice"));
  }
}

}  // namespace
}  // namespace popspec::pop3
