#include "popspec/store/mbox_format.hpp"

#include <gtest/gtest.h>

#include "popspec/store/wire_form.hpp"

using popspec::store::make_mbox_entry;
using popspec::store::mbox_extent;
using popspec::store::mbox_variant;
using popspec::store::split_mbox;
using popspec::store::to_wire_form;
using popspec::store::unescape_mbox_body;

namespace {

std::vector<std::string> bodies(std::string_view file) {
  std::vector<mbox_extent> extents;
  EXPECT_FALSE(split_mbox(file, extents));
  std::vector<std::string> out;
  for (const auto& e : extents)
    out.emplace_back(file.substr(e.body_begin, e.body_end - e.body_begin));
  return out;
}

}  // namespace

TEST(MboxFormatTest, SplitsOnFromLinesAndDropsSeparatorAndBlankLine) {
  const std::string file =
      "From a@x Mon Jan  1 00:00:00 2024\nSubject: 1\n\none\n\n"
      "From b@x Mon Jan  1 00:00:00 2024\nSubject: 2\n\ntwo\n\n";
  EXPECT_EQ(bodies(file), (std::vector<std::string>{"Subject: 1\n\none\n", "Subject: 2\n\ntwo\n"}));
}

TEST(MboxFormatTest, ExtentsCoverTheWholeFile) {
  const std::string file = "From a\nx\n\nFrom b\ny\n\n";
  std::vector<mbox_extent> e;
  ASSERT_FALSE(split_mbox(file, e));
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].begin, 0u);
  EXPECT_EQ(e[0].end, e[1].begin);
  EXPECT_EQ(e[1].end, file.size());
}

TEST(MboxFormatTest, ReadsCrlfStorage) {
  const std::string file = "From a\r\nS: 1\r\n\r\none\r\n\r\nFrom b\r\nS: 2\r\n\r\ntwo\r\n\r\n";
  EXPECT_EQ(bodies(file), (std::vector<std::string>{"S: 1\r\n\r\none\r\n", "S: 2\r\n\r\ntwo\r\n"}));
}

TEST(MboxFormatTest, AcceptsALastMessageWithoutFinalNewline) {
  EXPECT_EQ(bodies("From a\nS: 1\n\nlast line"), (std::vector<std::string>{"S: 1\n\nlast line"}));
  EXPECT_EQ(to_wire_form("S: 1\n\nlast line"), "S: 1\r\n\r\nlast line\r\n");
}

TEST(MboxFormatTest, AcceptsAMissingBlankLineBeforeTheNextSeparator) {
  EXPECT_EQ(bodies("From a\nx\nFrom b\ny\n"), (std::vector<std::string>{"x\n", "y\n"}));
}

TEST(MboxFormatTest, EmptyMessagesHaveEmptyBodies) {
  EXPECT_EQ(bodies("From a\n\nFrom b\nFrom c\n\n"), (std::vector<std::string>{"", "", ""}));
}

TEST(MboxFormatTest, KeepsBlankLinesThatBelongToTheMessage) {
  // Message ends in an empty line of its own, then the separator blank line.
  EXPECT_EQ(bodies("From a\nS: 1\n\n\n"), (std::vector<std::string>{"S: 1\n\n"}));
}

TEST(MboxFormatTest, EmptyFileHasNoMessages) {
  std::vector<mbox_extent> e;
  EXPECT_FALSE(split_mbox("", e));
  EXPECT_TRUE(e.empty());
}

TEST(MboxFormatTest, RefusesAFileThatDoesNotStartWithFrom) {
  std::vector<mbox_extent> e;
  EXPECT_EQ(split_mbox("Subject: x\n\nbody\n", e), std::errc::illegal_byte_sequence);
  EXPECT_EQ(split_mbox("\nFrom a\n", e), std::errc::illegal_byte_sequence);
}

TEST(MboxFormatTest, MboxrdStripsOneQuoteFromQuotedFromLines) {
  EXPECT_EQ(
      unescape_mbox_body(">From a\n>>From b\n>>>From c\n>Fromage\nx>From\n", mbox_variant::mboxrd),
      "From a\n>From b\n>>From c\n>Fromage\nx>From\n");
}

TEST(MboxFormatTest, MboxoStripsTheQuoteOnlyFromSingleQuotedFromLines) {
  EXPECT_EQ(unescape_mbox_body(">From a\n>>From b\n>Fromage\n", mbox_variant::mboxo),
            "From a\n>>From b\n>Fromage\n");
}

TEST(MboxFormatTest, UnescapingKeepsCrlf) {
  EXPECT_EQ(unescape_mbox_body(">From a\r\nb\r\n", mbox_variant::mboxrd), "From a\r\nb\r\n");
}

TEST(MboxFormatTest, EntryEscapesFromLinesTheMboxrdWay) {
  const std::string entry = make_mbox_entry("S: 1\r\n\r\nFrom x\r\n>From y\r\nFromage\r\n", "a@b",
                                            "Mon Jan  1 00:00:00 2024");
  EXPECT_EQ(entry, "From a@b Mon Jan  1 00:00:00 2024\nS: 1\n\n>From x\n>>From y\nFromage\n\n");
}

TEST(MboxFormatTest, EntryOfAMessageWithoutFinalNewlineGetsOne) {
  EXPECT_EQ(make_mbox_entry("S: 1\r\n\r\nend", "a", "d"), "From a d\nS: 1\n\nend\n\n");
}

TEST(MboxFormatTest, EntryRoundTripsInBothVariantsWithoutQuotedFromLines) {
  const std::string wire = "S: 1\r\n\r\nFrom here\r\n\r\nFrom there\r\n.\r\n\r\n";
  const std::string file = make_mbox_entry(wire, "a", "d") + make_mbox_entry(wire, "a", "d");
  for (auto v : {mbox_variant::mboxrd, mbox_variant::mboxo})
    for (const auto& body : bodies(file))
      EXPECT_EQ(to_wire_form(unescape_mbox_body(body, v)), wire);
}

TEST(MboxFormatTest, EntryRoundTripsQuotedFromLinesInMboxrd) {
  const std::string wire = "S: 1\r\n\r\n>From a\r\n>>From b\r\n";
  const auto file = make_mbox_entry(wire, "a", "d");
  EXPECT_EQ(to_wire_form(unescape_mbox_body(bodies(file).at(0), mbox_variant::mboxrd)), wire);
}
