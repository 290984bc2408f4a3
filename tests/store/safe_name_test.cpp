#include "popspec/store/names.hpp"

#include <gtest/gtest.h>

#include <string>

#include "popspec/store/store.hpp"

using popspec::store::is_safe_mailbox_name;
using popspec::store::is_safe_name;
using namespace std::string_literals;

TEST(SafeNameTest, AcceptsOrdinaryUserNames) {
  EXPECT_TRUE(is_safe_name("popspec"));
  EXPECT_TRUE(is_safe_name("popspec2"));
  EXPECT_TRUE(is_safe_name("first.last+tag@example.org"));
  EXPECT_TRUE(is_safe_name("A_b-C"));
  EXPECT_TRUE(is_safe_name(std::string(64, 'u')));
}

TEST(SafeNameTest, RefusesEverythingThatCouldEscapeOneComponent) {
  for (const std::string& bad :
       {""s,     "."s,     ".."s,    "../x"s,    "/"s,    "a/b"s,      "/etc"s,
        "a\\b"s, "x\0y"s,  "\0"s,    ".hidden"s, "a b"s,  " a"s,       "a\n"s,
        "a\r"s,  "tab\t"s, "star*"s, "q?"s,      "pct%"s, "\xc3\xa9"s, std::string(65, 'u')})
    EXPECT_FALSE(is_safe_name(bad)) << "accepted: " << bad;
}

TEST(SafeMailboxNameTest, AllowsInnerSpacesForPop2Folders) {
  EXPECT_TRUE(is_safe_mailbox_name("archive"));
  EXPECT_TRUE(is_safe_mailbox_name("old mail"));
  EXPECT_TRUE(is_safe_mailbox_name("a  b"));
  EXPECT_TRUE(is_safe_mailbox_name("a.b"));
}

TEST(SafeMailboxNameTest, RefusesSeparatorsDotsAndOuterSpaces) {
  for (const std::string& bad :
       {""s, "."s, ".."s, "../x"s, "a/b"s, "/"s, "a..b"s, ".archive"s, " archive"s, "archive "s,
        "x\0y"s, "tab\tname"s, "line\nname"s, std::string(65, 'f')})
    EXPECT_FALSE(is_safe_mailbox_name(bad)) << "accepted: " << bad;
}
