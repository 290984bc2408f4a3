#include "popspec/store/wire_form.hpp"

#include <gtest/gtest.h>

using popspec::store::to_wire_form;
using popspec::store::wire_size;

TEST(WireFormTest, TurnsLfIntoCrlf) {
  EXPECT_EQ(to_wire_form("a\nb\n"), "a\r\nb\r\n");
}

TEST(WireFormTest, KeepsCrlfAsItIs) {
  EXPECT_EQ(to_wire_form("a\r\nb\r\n"), "a\r\nb\r\n");
}

TEST(WireFormTest, HandlesMixedLineEndings) {
  EXPECT_EQ(to_wire_form("a\r\nb\nc\r\n\n"), "a\r\nb\r\nc\r\n\r\n");
}

TEST(WireFormTest, GivesAFinalLineWithoutNewlineItsCrlf) {
  EXPECT_EQ(to_wire_form("a\nlast"), "a\r\nlast\r\n");
  EXPECT_EQ(to_wire_form("x"), "x\r\n");
}

TEST(WireFormTest, KeepsALoneCarriageReturnAsData) {
  EXPECT_EQ(to_wire_form("a\rb\n"), "a\rb\r\n");
}

TEST(WireFormTest, EmptyStaysEmpty) {
  EXPECT_EQ(to_wire_form(""), "");
  EXPECT_EQ(wire_size(""), 0u);
}

TEST(WireFormTest, DoesNotDotStuff) {
  EXPECT_EQ(to_wire_form(".\n..x\n"), ".\r\n..x\r\n");
}

TEST(WireFormTest, SizeIsTheOctetCountOfTheWireForm) {
  for (const char* stored : {"", "a", "a\n", "a\r\n", "\n\n\n", "\r\n\r\n", "a\rb", "a\nb",
                             "x\r\ny\nz", "\r", "\n\r\n\r"})
    EXPECT_EQ(wire_size(stored), to_wire_form(stored).size()) << stored;
}
