#include "popspec/codec/errc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace popspec::codec {
namespace {

TEST(CodecErrcTest, CategoryIsNamedPopspecCodec) {
  EXPECT_STREQ(codec_category().name(), "popspec.codec");
  const std::error_code ec = codec_errc::incomplete;
  EXPECT_EQ(&ec.category(), &codec_category());
}

TEST(CodecErrcTest, EnumComparesWithErrorCodes) {
  const std::error_code ec = make_error_code(codec_errc::argument_too_long);
  EXPECT_EQ(ec, codec_errc::argument_too_long);
  EXPECT_NE(ec, codec_errc::command_too_long);
  EXPECT_TRUE(ec);  // no code is zero, so every code reads as an error
}

TEST(CodecErrcTest, EveryCodeHasItsOwnMessage) {
  std::set<std::string> messages;
  for (int v = static_cast<int>(codec_errc::empty_command);
       v <= static_cast<int>(codec_errc::incomplete); ++v) {
    const std::string message = std::error_code(v, codec_category()).message();
    EXPECT_EQ(message.find("unknown"), std::string::npos) << v;
    EXPECT_TRUE(messages.insert(message).second) << "duplicate message: " << message;
  }
  EXPECT_EQ(messages.size(), 12u);
}

TEST(CodecErrcTest, UnknownValuesSaySo) {
  EXPECT_NE(std::error_code(999, codec_category()).message().find("999"), std::string::npos);
}

}  // namespace
}  // namespace popspec::codec
