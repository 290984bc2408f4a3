// Command lines as framed from the wire: CRLF endings, length limits, bad octets, keyword case,
// spacing, and pipelining (RFC 1939 §3 GEN.3-8; RFC 2449 GRAM.1, LEN.1, PIPE.1-2).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::multiline;
using test::session_fixture;

class Pop3FramingTest : public ::testing::TestWithParam<profile> {
 protected:
  void SetUp() override {
    f = std::make_unique<session_fixture>(GetParam());
    f->store.add_mailbox("alice", "", {test::plain_message, test::lines_message});
    f->start();
  }
  std::unique_ptr<session_fixture> f;
};

TEST_P(Pop3FramingTest, ABareLineFeedIsRefusedAndTheSessionGoesOn) {
  EXPECT_EQ(f->feed("USER alice\n"), "-ERR command must end with CRLF\r\n");
  EXPECT_TRUE(f->open);
  EXPECT_EQ(f->feed("USER alice\r\n"), "+OK send PASS\r\n");
  // A bare-LF PASS is refused too, and uses up the USER.
  EXPECT_EQ(f->feed("PASS secret\n"), "-ERR command must end with CRLF\r\n");
  EXPECT_TRUE(f->feed("PASS secret\r\n").starts_with("-ERR "));
  EXPECT_EQ(f->s->current_state(), state::authorization);
}

TEST_P(Pop3FramingTest, ABareLineFeedIsRefusedInTransaction) {
  f->feed("USER alice\r\nPASS secret\r\n");
  EXPECT_EQ(f->feed("DELE 1\n"), "-ERR command must end with CRLF\r\n");
  EXPECT_EQ(f->feed("STAT\r\n"), "+OK 2 64\r\n");
}

TEST_P(Pop3FramingTest, CommandsOf255OctetsWithCrlfAreAccepted) {
  // RFC 2449 LEN.1; PASS takes the rest of the line, so its argument can be 248 octets.
  const std::string password(255 - 2 - 5, 'p');
  f->users.add("bob", password);
  EXPECT_EQ(f->feed("USER bob\r\n"), "+OK send PASS\r\n");
  EXPECT_TRUE(f->feed("PASS " + password + "\r\n").starts_with("+OK "));
}

TEST_P(Pop3FramingTest, LongerLinesAreRefusedAndTheSessionGoesOn) {
  EXPECT_EQ(f->feed("USER " + std::string(300, 'a') + "\r\n"), "-ERR line too long\r\n");
  EXPECT_EQ(f->feed("PASS " + std::string(249, 'p') + "\r\n"), "-ERR line too long\r\n");
  EXPECT_EQ(f->event({codec::line_kind::too_long, "NOOP"}), "-ERR line too long\r\n");
  EXPECT_TRUE(f->open);
  EXPECT_EQ(f->feed("USER alice\r\n"), "+OK send PASS\r\n");
}

TEST_P(Pop3FramingTest, TheSessionEnforces255OctetsWhateverTheFramer) {
  // A framer with a larger limit hands over a 300-octet line; the parser still refuses it.
  EXPECT_EQ(f->send("USER " + std::string(300, 'a')), "-ERR line too long\r\n");
}

TEST_P(Pop3FramingTest, ArgumentsLongerThan40CharactersAreAccepted) {
  // RFC 2449 §4 raises RFC 1939's 40-character argument limit along with the line limit.
  const std::string name(60, 'n');
  f->users.add(name, "pw");
  EXPECT_EQ(f->feed("USER " + name + "\r\n"), "+OK send PASS\r\n");
  EXPECT_TRUE(f->feed("PASS pw\r\n").starts_with("+OK "));
}

TEST_P(Pop3FramingTest, NulAndControlCharactersAreRefused) {
  const std::string refused = "-ERR command contains a character that is not printable ASCII\r\n";
  EXPECT_EQ(f->feed(std::string("USER al\0ice\r\n", 13)), refused);
  EXPECT_EQ(f->feed("USER\talice\r\n"), refused);
  EXPECT_EQ(f->feed("NOOP\x7f\r\n"), refused);
  EXPECT_EQ(f->feed("USER \xc3\xa9t\xc3\xa9\r\n"), refused);
  EXPECT_EQ(f->feed("USER a\rb\r\n"), refused);
  EXPECT_TRUE(f->open);
  EXPECT_EQ(f->feed("USER alice\r\n"), "+OK send PASS\r\n");
}

TEST_P(Pop3FramingTest, AnEmptyLineIsRefused) {
  EXPECT_EQ(f->feed("\r\n"), "-ERR empty command\r\n");
  EXPECT_TRUE(f->open);
}

TEST_P(Pop3FramingTest, StraySpacesAreSyntaxErrors) {
  const std::string refused =
      "-ERR syntax error: keyword and arguments are separated by single spaces\r\n";
  f->feed("USER alice\r\nPASS secret\r\n");
  EXPECT_EQ(f->feed("LIST  1\r\n"), refused);
  EXPECT_EQ(f->feed("LIST 1 \r\n"), refused);
  EXPECT_EQ(f->feed(" STAT\r\n"), refused);
  EXPECT_EQ(f->feed("STAT \r\n"), refused);
  EXPECT_EQ(f->feed("STAT\r\n"), "+OK 2 64\r\n");
}

TEST_P(Pop3FramingTest, PipelinedCommandsAreAnsweredInOrder) {
  const std::string all = f->feed(
      "USER alice\r\nPASS secret\r\nSTAT\r\nLIST\r\nRETR 1\r\n"
      "BOGUS\r\nDELE 1\r\nSTAT\r\nQUIT\r\n");
  EXPECT_EQ(all,
            "+OK send PASS\r\n"
            "+OK maildrop has 2 messages (64 octets)\r\n"
            "+OK 2 64\r\n" +
                multiline("+OK 2 messages (64 octets)", {"1 23", "2 41"}) + "+OK 23 octets\r\n" +
                test::plain_message + ".\r\n" +
                "-ERR unknown command\r\n"
                "+OK message 1 deleted\r\n"
                "+OK 1 41\r\n"
                "+OK popspec POP3 server signing off (1 messages left)\r\n");
  EXPECT_FALSE(f->open);
  EXPECT_EQ(f->store.contents("alice"), std::vector<std::string>{test::lines_message});
}

TEST_P(Pop3FramingTest, PipelinedInputSplitAtEveryByteGivesTheSameAnswers) {
  const std::string input = "USER alice\r\nPASS secret\r\nRETR 2\r\nNOOP\n\r\nTOP 2 1\r\nRSET\r\n";
  const std::string whole = f->feed(input);
  session_fixture g(GetParam());
  g.store.add_mailbox("alice", "", {test::plain_message, test::lines_message});
  g.start();
  std::string dribbled;
  for (char c : input) dribbled += g.feed(std::string_view(&c, 1));
  EXPECT_EQ(dribbled, whole);
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3FramingTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

}  // namespace
}  // namespace popspec::pop3
