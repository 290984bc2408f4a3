// The positioned JSON parser behind scenario-file error messages.
#include "popspec/harness/json_source.hpp"

#include <gtest/gtest.h>

namespace popspec::harness {
namespace {

json_document parse_ok(std::string_view text) {
  json_document doc;
  json_parse_error error;
  EXPECT_TRUE(parse_json_with_positions(text, doc, error)) << error.message;
  return doc;
}

json_parse_error parse_bad(std::string_view text) {
  json_document doc;
  json_parse_error error;
  EXPECT_FALSE(parse_json_with_positions(text, doc, error));
  return error;
}

TEST(JsonSourceTest, BuildsTheSameValueAsNlohmann) {
  std::string text = R"({"a": [1, -2, 3.5, true, false, null, "x\u00e9\ud83d\ude00"], "b": {}})";
  auto doc = parse_ok(text);
  EXPECT_EQ(doc.value, nlohmann::json::parse(text));
}

TEST(JsonSourceTest, RecordsWhereValuesAndKeysStart) {
  auto doc = parse_ok("{\n  \"steps\": [\n    {\"send\": \"STAT\"}\n  ]\n}");
  EXPECT_EQ(doc.value_at("/steps/0").line, 3u);
  EXPECT_EQ(doc.value_at("/steps/0").column, 5u);
  EXPECT_EQ(doc.key_at("/steps/0/send").line, 3u);
  EXPECT_EQ(doc.key_at("/steps/0/send").column, 6u);
  EXPECT_EQ(doc.value_at("/steps/0/send").column, 14u);
}

TEST(JsonSourceTest, CountsColumnsInCharactersNotOctets) {
  auto doc = parse_ok("{\"t\u00e9\": 1, \"x\": 2}");
  EXPECT_EQ(doc.key_at("/x").column, 11u);
}

TEST(JsonSourceTest, EscapesPointerSegments) {
  auto doc = parse_ok(R"({"a/b": {"c~d": 1}})");
  EXPECT_EQ(pointer_append(pointer_append("", "a/b"), "c~d"), "/a~1b/c~0d");
  EXPECT_EQ(doc.value_at("/a~1b/c~0d").column, 17u);
}

TEST(JsonSourceTest, RejectsDuplicateKeysAtTheSecondKey) {
  auto error = parse_bad("{\"send\": 1,\n \"send\": 2}");
  EXPECT_EQ(error.where.line, 2u);
  EXPECT_EQ(error.where.column, 2u);
  EXPECT_NE(error.message.find("duplicate key \"send\""), std::string::npos);
}

TEST(JsonSourceTest, ReportsTrailingCommasWithTheirPosition) {
  auto error = parse_bad("[1, 2,\n]");
  EXPECT_EQ(error.where.line, 2u);
  EXPECT_EQ(error.where.column, 1u);
}

TEST(JsonSourceTest, RejectsCommentsControlCharactersAndBadEscapes) {
  parse_bad("// comment\n{}");
  parse_bad("\"a\tb\"");
  parse_bad(R"("\x")");
  parse_bad(R"("\ud800")");
  parse_bad("\"\xff\"");
  parse_bad("01");
  parse_bad("{} {}");
}

TEST(JsonSourceTest, RefusesNestingDeeperThanTheLimitWithoutCrashing) {
  std::string deep(100000, '[');
  auto error = parse_bad(deep);
  EXPECT_NE(error.message.find("nesting"), std::string::npos);
}

}  // namespace
}  // namespace popspec::harness
