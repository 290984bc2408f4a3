#include "popspec/codec/escape.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>

namespace popspec::codec {
namespace {

TEST(EscapeBytesTest, LeavesPrintableAsciiAlone) {
  EXPECT_EQ(escape_bytes("+OK 2 messages (320 octets)"), "+OK 2 messages (320 octets)");
}

TEST(EscapeBytesTest, NamesLineEndsAndTabs) {
  EXPECT_EQ(escape_bytes("a\r\nb\tc\n"), "a\\r\\nb\\tc\\n");
}

TEST(EscapeBytesTest, DoublesBackslashes) {
  EXPECT_EQ(escape_bytes("a\\b"), "a\\\\b");
}

TEST(EscapeBytesTest, WritesOtherOctetsInHex) {
  EXPECT_EQ(escape_bytes(std::string("\0\x7F\x80\xFF\x1B", 5)), "\\x00\\x7F\\x80\\xFF\\x1B");
}

TEST(EscapeBytesTest, IsInjectiveOverAllOctets) {
  std::set<std::string> seen;
  for (int octet = 0; octet < 256; ++octet) {
    EXPECT_TRUE(seen.insert(escape_bytes(std::string(1, static_cast<char>(octet)))).second)
        << octet;
  }
}

TEST(UnescapeBytesTest, ReadsEveryOctetBack) {
  std::string all;
  for (int octet = 0; octet < 256; ++octet) all += static_cast<char>(octet);
  EXPECT_EQ(unescape_bytes(escape_bytes(all)), all);
}

TEST(UnescapeBytesTest, TakesHandEditedTextAsWritten) {
  EXPECT_EQ(unescape_bytes(R"(+OK \x1b[0m\r\n)"), "+OK \x1B[0m\r\n");
  EXPECT_EQ(unescape_bytes("plain text"), "plain text");
}

TEST(UnescapeBytesTest, RefusesMalformedEscapes) {
  EXPECT_EQ(unescape_bytes(R"(\\q\\)"), R"(\q\)");
  EXPECT_EQ(unescape_bytes(R"(\q)"), std::nullopt);
  EXPECT_EQ(unescape_bytes(R"(\x4)"), std::nullopt);
  EXPECT_EQ(unescape_bytes(R"(\xG0)"), std::nullopt);
  EXPECT_EQ(unescape_bytes(R"(ends in \)"), std::nullopt);
}

}  // namespace
}  // namespace popspec::codec
