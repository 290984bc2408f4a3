// Normalising responses for the comparison with the reference server.
#include "popspec/harness/differential.hpp"

#include <gtest/gtest.h>

namespace popspec::harness {
namespace {

recorded_response response(std::string command, std::string status,
                           std::vector<std::string> lines = {}, bool multiline = false) {
  recorded_response r;
  r.command = std::move(command);
  r.seen.status_line = std::move(status);
  r.seen.multiline = multiline || !lines.empty();
  for (const auto& l : lines) r.seen.data += l + "\r\n";
  r.seen.line_count = lines.size();
  return r;
}

normalised_response norm(const recorded_response& r, uid_tokens& uids) {
  return normalise(r, protocol_kind::pop3, uids);
}

TEST(DifferentialTest, FreeTextIsIgnored) {
  uid_tokens a, b;
  EXPECT_EQ(norm(response("NOOP", "+OK fine"), a), norm(response("NOOP", "+OK"), b));
  EXPECT_NE(norm(response("NOOP", "+OK"), a), norm(response("NOOP", "-ERR"), b));
}

TEST(DifferentialTest, StatAndListNumbersCount) {
  uid_tokens a, b;
  EXPECT_EQ(norm(response("STAT", "+OK 7 100 messages"), a).head, "+OK 7 100");
  EXPECT_NE(norm(response("STAT", "+OK 7 100"), a), norm(response("STAT", "+OK 7 101"), b));
  EXPECT_EQ(norm(response("LIST", "+OK scan", {"1 10 extra", "2 20"}), a).data, "1 10\n2 20\n");
}

TEST(DifferentialTest, UidsAreComparedByIdentityNotValue) {
  uid_tokens target, reference;
  auto t1 = norm(response("UIDL", "+OK", {"1 aaa", "2 bbb"}), target);
  auto r1 = norm(response("UIDL", "+OK", {"1 XYZ", "2 QRS"}), reference);
  EXPECT_EQ(t1, r1);
  // Stable: the same message keeps its token in a later session.
  EXPECT_EQ(norm(response("UIDL 2", "+OK 2 bbb"), target),
            norm(response("UIDL 2", "+OK 2 QRS"), reference));
  // A duplicate unique-id on the target shows up as a difference.
  uid_tokens t2, r2;
  EXPECT_NE(norm(response("UIDL", "+OK", {"1 aaa", "2 aaa"}), t2),
            norm(response("UIDL", "+OK", {"1 XYZ", "2 QRS"}), r2));
}

TEST(DifferentialTest, MessageOctetsMustBeIdentical) {
  uid_tokens a, b;
  auto t = norm(response("RETR 1", "+OK", {"Subject: x", "", "body"}), a);
  auto r = norm(response("RETR 1", "+OK 30 octets", {"Subject: x", "", "bodY"}), b);
  EXPECT_NE(t, r);
  EXPECT_NE(describe_difference(t, r).find("data differs at octet"), std::string::npos);
}

TEST(DifferentialTest, CapaComparesTagSets) {
  uid_tokens a, b;
  EXPECT_EQ(norm(response("CAPA", "+OK", {"UIDL", "top", "IMPLEMENTATION x"}), a),
            norm(response("CAPA", "+OK", {"IMPLEMENTATION y", "TOP", "UIDL"}), b));
}

TEST(DifferentialTest, EndingsAndClosingAreStructure) {
  uid_tokens a, b;
  recorded_response closed;
  closed.seen.end = response_end::closed;
  EXPECT_EQ(norm(closed, a).head, "closed");
  auto quit = response("QUIT", "+OK bye");
  quit.seen.closed_after = true;
  EXPECT_EQ(norm(quit, b).head, "+OK (then closed)");
  EXPECT_NE(describe_difference(norm(closed, a), norm(quit, b)).find("status or structure differs"),
            std::string::npos);
}

}  // namespace
}  // namespace popspec::harness
