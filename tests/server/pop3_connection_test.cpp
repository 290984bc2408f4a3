// The POP3 listener over TCP: framing, ordering of pipelined replies, commit on QUIT only.
#include "popspec/server/server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "server_test_support.hpp"

namespace popspec::server::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

std::string apop_timestamp_of(const std::string& greeting) {
  std::smatch m;
  if (!std::regex_search(greeting, m, std::regex("<[^<>]*>"))) return {};
  return m.str();
}

TEST(Pop3ConnectionTest, GreetsEachConnectionWithADifferentApopTimestamp) {
  running_server s;
  client a(s.pop3_port());
  client b(s.pop3_port());
  const auto ga = a.read_line();
  const auto gb = b.read_line();
  ASSERT_TRUE(ga && gb);
  EXPECT_THAT(*ga, StartsWith("+OK "));
  const std::string pid = std::to_string(::getpid());
  EXPECT_THAT(apop_timestamp_of(*ga),
              MatchesRegex("<" + pid + "\\.[0-9]+\\.[0-9]+@test\\.example>"));
  EXPECT_THAT(apop_timestamp_of(*gb),
              MatchesRegex("<" + pid + "\\.[0-9]+\\.[0-9]+@test\\.example>"));
  EXPECT_NE(apop_timestamp_of(*ga), apop_timestamp_of(*gb));
}

TEST(Pop3ConnectionTest, AnswersPipelinedCommandsFromOneWriteInOrder) {
  running_server s;
  client c = connect_greeted(s.pop3_port());
  c.send("USER alice\r\nPASS wonderland\r\nSTAT\r\nLIST 2\r\nNOOP\r\nDELE 1\r\nLIST 1\r\n");
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
  const auto sizes = three_messages();
  EXPECT_EQ(
      c.read_line().value_or(""),
      "+OK 3 " + std::to_string(sizes[0].size() + sizes[1].size() + sizes[2].size()) + "\r\n");
  EXPECT_EQ(c.read_line().value_or(""), "+OK 2 " + std::to_string(sizes[1].size()) + "\r\n");
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("-ERR"));  // message 1 is marked deleted
}

TEST(Pop3ConnectionTest, AnswersAWholePipelinedSessionIncludingMultiLineRepliesInOrder) {
  running_server s;
  client c = connect_greeted(s.pop3_port());
  c.send("USER alice\r\nPASS wonderland\r\nRETR 2\r\nLIST\r\nRETR 1\r\nQUIT\r\n");
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
  const auto retr2 = c.read_multiline().value_or("");
  EXPECT_THAT(retr2, StartsWith("+OK"));
  // Lines beginning with '.' are stuffed on the wire.
  EXPECT_THAT(retr2, HasSubstr("\r\n\r\n..dot line\r\n..\r\nend\r\n.\r\n"));
  EXPECT_THAT(c.read_multiline().value_or(""),
              MatchesRegex("\\+OK.*\r\n1 [0-9]+\r\n2 [0-9]+\r\n3 [0-9]+\r\n\\.\r\n"));
  EXPECT_THAT(c.read_multiline().value_or(""),
              HasSubstr("\r\nSubject: one\r\n\r\nfirst body\r\n.\r\n"));
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
  EXPECT_TRUE(c.wait_closed());
}

TEST(Pop3ConnectionTest, RefusesAnOverLongCommandLineAndKeepsTheSessionOpen) {
  running_server s;
  client c = pop3_logged_in(s.pop3_port());
  // RFC 2449: 255 octets with CRLF. 254 octets with CRLF is fine; 256 is not.
  c.send("NOOP" + std::string(250, ' ') + "\r\n");
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("-ERR"));
  c.send(std::string(300, 'X') + "\r\nNOOP\r\n");
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("-ERR"));
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
}

TEST(Pop3ConnectionTest, AnswersALineLongerThanManyReadsWithOneError) {
  running_server s;
  client c = pop3_logged_in(s.pop3_port());
  c.send(std::string(100000, 'A') + "\r\nNOOP\r\n");
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("-ERR"));
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
  c.send("NOOP\r\n");
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK"));
}

TEST(Pop3ConnectionTest, CommitsDeletionsAfterQuit) {
  running_server s;
  client c = pop3_logged_in(s.pop3_port());
  EXPECT_THAT(c.command("DELE 1").value_or(""), StartsWith("+OK"));
  EXPECT_THAT(c.command("QUIT").value_or(""), StartsWith("+OK"));
  EXPECT_TRUE(c.wait_closed());
  const auto all = three_messages();
  EXPECT_EQ(s.store().contents("alice"), (std::vector<std::string>{all[1], all[2]}));
}

TEST(Pop3ConnectionTest, ADroppedConnectionCommitsNothingAndReleasesTheLock) {
  running_server s;
  {
    client c = pop3_logged_in(s.pop3_port());
    EXPECT_THAT(c.command("DELE 1").value_or(""), StartsWith("+OK"));
    EXPECT_TRUE(s.store().is_locked("alice"));
  }
  EXPECT_TRUE(eventually([&] { return !s.store().is_locked("alice"); }));
  EXPECT_EQ(s.store().contents("alice"), three_messages());
  EXPECT_EQ(s.store().commit_count(), 0u);
}

TEST(Pop3ConnectionTest, ASecondSessionOnALockedMaildropGetsInUse) {
  running_server s;
  client first = pop3_logged_in(s.pop3_port());
  client second = connect_greeted(s.pop3_port());
  EXPECT_THAT(second.command("USER alice").value_or(""), StartsWith("+OK"));
  EXPECT_THAT(second.command("PASS wonderland").value_or(""), StartsWith("-ERR [IN-USE]"));
  EXPECT_THAT(first.command("STAT").value_or(""), StartsWith("+OK 3 "));
}

TEST(Pop3ConnectionTest, PipeliningDropsFaultAnswersOnlyTheFirstLineOfARead) {
  auto options = running_server::default_options();
  options.faults.add(fault::pipelining_drops);
  running_server s(options);
  client c = pop3_logged_in(s.pop3_port());
  c.send("STAT\r\nNOOP\r\nNOOP\r\n");
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+OK 3 "));
  EXPECT_FALSE(c.read_line(500ms).has_value());
  // A command in a read of its own is still answered.
  EXPECT_THAT(c.command("NOOP").value_or(""), StartsWith("+OK"));
}

}  // namespace
}  // namespace popspec::server::testing
