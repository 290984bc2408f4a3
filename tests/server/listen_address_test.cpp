#include "popspec/server/listen_address.hpp"

#include <gtest/gtest.h>

namespace popspec::server {
namespace {

listen_address parsed(std::string_view text) {
  listen_address a;
  std::string error;
  EXPECT_TRUE(parse_listen_address(text, a, error)) << text << ": " << error;
  return a;
}

std::string refusal(std::string_view text) {
  listen_address a;
  std::string error;
  EXPECT_FALSE(parse_listen_address(text, a, error)) << text;
  return error;
}

TEST(ListenAddressTest, DefaultsToLoopbackWhenOnlyAPortIsGiven) {
  EXPECT_EQ(parsed("1100").host, "127.0.0.1");
  EXPECT_EQ(parsed("1100").port, 1100);
  EXPECT_EQ(parsed(":0").host, "127.0.0.1");
  EXPECT_EQ(parsed(":0").port, 0);
}

TEST(ListenAddressTest, KeepsAnExplicitAddress) {
  EXPECT_EQ(parsed("0.0.0.0:110").host, "0.0.0.0");
  EXPECT_EQ(parsed("127.0.0.2:65535").port, 65535);
  EXPECT_EQ(parsed("[::1]:110").host, "::1");
}

TEST(ListenAddressTest, RefusesBadPortsAndHostNames) {
  EXPECT_NE(refusal("65536"), "");
  EXPECT_NE(refusal("127.0.0.1:"), "");
  EXPECT_NE(refusal("127.0.0.1:-1"), "");
  EXPECT_NE(refusal("127.0.0.1:11x"), "");
  EXPECT_NE(refusal(""), "");
  EXPECT_NE(refusal("localhost:110"), "");  // numeric only: nothing is resolved
  EXPECT_NE(refusal("::1:110"), "");        // IPv6 needs brackets
  EXPECT_NE(refusal("[::1]110"), "");
}

TEST(ListenAddressTest, AcceptsOnlyPlainHostNames) {
  EXPECT_TRUE(is_valid_hostname("mail.example.org"));
  EXPECT_TRUE(is_valid_hostname("localhost"));
  EXPECT_FALSE(is_valid_hostname(""));
  EXPECT_FALSE(is_valid_hostname("a b"));
  EXPECT_FALSE(is_valid_hostname("host>"));
  EXPECT_FALSE(is_valid_hostname("-host"));
  EXPECT_FALSE(is_valid_hostname("host."));
}

}  // namespace
}  // namespace popspec::server
