// POP2-937-HELO.5, READ.2..6, ACKS.3..4, NACK.2..3, and RFC 937's three examples as transcripts:
// the current message indicator and the =ccc replies that report on it.
#include "popspec/pop2/session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pop2_session_support.hpp"

namespace popspec::pop2 {
namespace {

using namespace testing;
using codec::pop2_reply_kind;

std::uint64_t length_of(const step& s) {
  const auto r = reply_of(s.out);
  EXPECT_EQ(r.kind, pop2_reply_kind::length) << s.out;
  return r.number;
}

TEST(Pop2CurrentMessageTest, ReadWithoutANumberReadsMessageOneAfterHelo) {
  rig r;
  r.login();
  EXPECT_EQ(length_of(r.line("READ")), default_messages()[0].size());
  EXPECT_EQ(r.line("RETR").out, default_messages()[0]);
}

TEST(Pop2CurrentMessageTest, ReadWithANumberSetsTheCurrentMessage) {
  rig r;
  r.login();
  EXPECT_EQ(length_of(r.line("READ 3")), default_messages()[2].size());
  EXPECT_EQ(length_of(r.line("READ")), default_messages()[2].size());
  EXPECT_EQ(r.line("RETR").out, default_messages()[2]);
  EXPECT_EQ(length_of(r.line("ACKS")), 0u);  // past the last message
}

TEST(Pop2CurrentMessageTest, ReadMayBeRepeatedBeforeRetrToChooseAnotherMessage) {
  rig r;
  r.login();
  length_of(r.line("READ 1"));
  length_of(r.line("READ 2"));
  EXPECT_EQ(r.line("RETR").out, default_messages()[1]);
}

TEST(Pop2CurrentMessageTest, ReadOfANumberWithNoMessageGivesZero) {
  rig r;
  r.login();
  EXPECT_EQ(length_of(r.line("READ 0")), 0u);
  EXPECT_EQ(length_of(r.line("READ 4")), 0u);
  EXPECT_EQ(length_of(r.line("READ 18446744073709551615")), 0u);
  EXPECT_EQ(length_of(r.line("READ 99999999999999999999999999")), 0u);
  EXPECT_EQ(r.st(), state::item);
}

TEST(Pop2CurrentMessageTest, AcksMovesToTheNextMessageAndNackStays) {
  rig r;
  r.login();
  length_of(r.line("READ"));
  r.line("RETR");
  EXPECT_EQ(length_of(r.line("NACK")), default_messages()[0].size());
  EXPECT_EQ(r.line("RETR").out, default_messages()[0]);
  EXPECT_EQ(length_of(r.line("ACKS")), default_messages()[1].size());
  EXPECT_EQ(r.line("RETR").out, default_messages()[1]);
  EXPECT_EQ(length_of(r.line("ACKD")), default_messages()[2].size());
  EXPECT_EQ(r.line("RETR").out, default_messages()[2]);
  EXPECT_EQ(length_of(r.line("ACKS")), 0u);
}

TEST(Pop2CurrentMessageTest, QuitAfterAReadOfZeroEndsTheSessionNormally) {
  rig r;
  r.login();
  EXPECT_EQ(length_of(r.line("READ 9")), 0u);
  const auto got = r.line("QUIT");
  EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::ok);
  EXPECT_FALSE(got.open);
}

TEST(Pop2CurrentMessageTest, FoldIsAcceptedRightAfterAnAckReply) {
  rig r;
  r.login();
  length_of(r.line("READ"));
  r.line("RETR");
  length_of(r.line("ACKS"));
  EXPECT_EQ(reply_of(r.line("FOLD archive").out).number, 1u);
}

// RFC 937 Example 1: two messages read and deleted one after the other.
TEST(Pop2RfcExampleTest, Example1ReadsAndDeletesEveryMessage) {
  rig r;
  const std::vector<std::string> two{std::string(537, 'a'), std::string(234, 'b')};
  r.store.add_mailbox(std::string(user), "", two);
  r.greet();
  EXPECT_EQ(reply_of(r.line("HELO popspec popspec-secret").out).number, 2u);
  EXPECT_EQ(length_of(r.line("READ")), 537u);
  EXPECT_EQ(r.line("RETR").out, two[0]);
  EXPECT_EQ(length_of(r.line("ACKD")), 234u);
  EXPECT_EQ(r.line("RETR").out, two[1]);
  EXPECT_EQ(length_of(r.line("ACKD")), 0u);
  EXPECT_EQ(reply_of(r.line("QUIT").out).kind, pop2_reply_kind::ok);
  EXPECT_TRUE(r.store.contents(user).empty());
}

// RFC 937 Example 2: FOLD to another mailbox, READ its last message, keep it.
TEST(Pop2RfcExampleTest, Example2FoldsAndReadsTheLastMessage) {
  rig r;
  std::vector<std::string> folder(27, "x\r\n");
  folder[26] = std::string(10121, 'z') + "\r\n";
  r.store.add_mailbox(std::string(user), "smith", folder);
  r.greet();
  reply_of(r.line("HELO popspec popspec-secret").out);
  EXPECT_EQ(reply_of(r.line("FOLD smith").out).number, 27u);
  EXPECT_EQ(length_of(r.line("READ 27")), 10123u);
  EXPECT_EQ(r.line("RETR").out, folder[26]);
  EXPECT_EQ(length_of(r.line("ACKS")), 0u);
  EXPECT_EQ(reply_of(r.line("QUIT").out).kind, pop2_reply_kind::ok);
  EXPECT_EQ(r.store.contents(user, "smith").size(), 27u);
}

// RFC 937 Example 3: an empty mailbox. The example shows the server closing on READ; the READ
// command text says "If there is no message to be read, the count of zero is returned", which
// we follow (docs/pop2.md): READ gives =0, and the RETR a client should not send closes.
TEST(Pop2RfcExampleTest, Example3EmptyMailboxReadGivesZeroAndRetrCloses) {
  rig r;
  r.store.add_mailbox(std::string(user), "", {});
  r.greet();
  EXPECT_EQ(reply_of(r.line("HELO popspec popspec-secret").out).number, 0u);
  EXPECT_EQ(length_of(r.line("READ")), 0u);
  const auto got = r.line("RETR");
  EXPECT_EQ(got.out, "");
  EXPECT_FALSE(got.open);
}

}  // namespace
}  // namespace popspec::pop2
