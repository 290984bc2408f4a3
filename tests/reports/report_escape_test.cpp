#include "popspec/reports/escape.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace popspec::reports {
namespace {
using namespace std::string_literals;

TEST(EscapeOctetsTest, KeepsPrintableAsciiAsItIs) {
  EXPECT_EQ(escape_octets("+OK 2 320 ~!@#$%^&*()"), "+OK 2 320 ~!@#$%^&*()");
}

TEST(EscapeOctetsTest, WritesBackslashAndLineEndsAsShortEscapes) {
  EXPECT_EQ(escape_octets("a\\b\r\n\t"), "a\\\\b\\r\\n\\t");
}

TEST(EscapeOctetsTest, WritesEveryOtherOctetAsUpperCaseHex) {
  EXPECT_EQ(escape_octets("\0\x1b\x7f\x80\xff"s), "\\x00\\x1B\\x7F\\x80\\xFF");
}

TEST(EscapeOctetsTest, ProducesOnlyPrintableAscii) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (const char c : escape_octets(all)) {
    EXPECT_GE(c, 0x20);
    EXPECT_LE(c, 0x7E);
  }
}

TEST(EscapeOctetsTest, RoundTripsEveryOctetValue) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  EXPECT_EQ(unescape_octets(escape_octets(all)), all);
}

TEST(EscapeOctetsTest, RoundTripsRandomOctetStrings) {
  std::mt19937 rng(1939);
  std::uniform_int_distribution<int> octet(0, 255), length(0, 64);
  for (int i = 0; i < 1000; ++i) {
    std::string bytes;
    for (int n = length(rng); n > 0; --n) bytes += static_cast<char>(octet(rng));
    ASSERT_EQ(unescape_octets(escape_octets(bytes)), bytes);
  }
}

TEST(UnescapeOctetsTest, AcceptsLowerCaseHexAndPlainText) {
  EXPECT_EQ(unescape_octets("\\x1b\\xfF ok"), "\x1b\xff ok");
}

TEST(UnescapeOctetsTest, RejectsMalformedEscapes) {
  EXPECT_FALSE(unescape_octets("\\q"));
  EXPECT_FALSE(unescape_octets("\\x4"));
  EXPECT_FALSE(unescape_octets("\\xZZ"));
  EXPECT_FALSE(unescape_octets("ends with \\"));
  EXPECT_FALSE(unescape_octets("\\u0041"));
}

TEST(ValidUtf8Test, KeepsValidUtf8Unchanged) {
  const std::string text = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xac";
  EXPECT_EQ(valid_utf8(text), text);
}

TEST(ValidUtf8Test, ReplacesEachInvalidOctetWithReplacementCharacter) {
  const std::string fffd = "\xef\xbf\xbd";
  EXPECT_EQ(valid_utf8("a\xff"
                       "b"),
            "a" + fffd + "b");
  EXPECT_EQ(valid_utf8("\xc0\x80"), fffd + fffd);                        // overlong NUL
  EXPECT_EQ(valid_utf8("\xed\xa0\x80"), fffd + fffd + fffd);             // UTF-16 surrogate
  EXPECT_EQ(valid_utf8("\xe2\x82"), fffd + fffd);                        // truncated
  EXPECT_EQ(valid_utf8("\xf4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // beyond U+10FFFF
  EXPECT_EQ(valid_utf8("\x80"), fffd);                                   // lone continuation
}

TEST(PrintableTextTest, EscapesControlCharacters) {
  EXPECT_EQ(printable_text("a\0b\x1b[31m\r\x7f"s), "a\\x00b\\x1B[31m\\r\\x7F");
  EXPECT_EQ(printable_text("C1 \xc2\x9b"), "C1 \\u{9B}");
}

TEST(PrintableTextTest, KeepsTabsAndNewlinesUnlessAskedForOneLine) {
  EXPECT_EQ(printable_text("a\tb\nc"), "a\tb\nc");
  EXPECT_EQ(printable_text("a\tb\nc", false), "a\tb\\nc");
}

TEST(PrintableTextTest, EscapesBidirectionalOverrides) {
  EXPECT_EQ(printable_text("x\xe2\x80\xaey"), "x\\u{202E}y");
}

TEST(PrintableTextTest, NeverLetsAControlCharacterThrough) {
  for (int c = 0; c < 256; ++c) {
    const std::string out = printable_text(std::string(1, static_cast<char>(c)) + "\x1b");
    for (const char o : out) {
      const auto u = static_cast<unsigned char>(o);
      EXPECT_TRUE(u >= 0x20 || o == '\t' || o == '\n') << "input octet " << c;
      EXPECT_NE(u, 0x7F) << "input octet " << c;
    }
    EXPECT_EQ(valid_utf8(out), out) << "input octet " << c;
  }
}

}  // namespace
}  // namespace popspec::reports
