#include "popspec/codec/escape.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace popspec::codec
