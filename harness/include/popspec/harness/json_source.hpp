#pragma once
// A strict JSON parser that remembers where every value and every object key starts, so scenario
// errors can name file:line:column. nlohmann/json's own parser reports only byte offsets for
// syntax errors and nothing for a value the loader later refuses, hence this small parser that
// builds an ordinary nlohmann::json plus a position table keyed by JSON pointer.
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace popspec::harness {

// 1-based line and column (columns count Unicode characters, as editors do). 0 means unknown.
struct source_position {
  std::size_t line = 0;
  std::size_t column = 0;
};

struct json_document {
  nlohmann::json value;
  // Keyed by JSON pointer ("" is the root, "/scenarios/0/steps/3"): where that value starts.
  std::map<std::string, source_position> value_positions;
  // Keyed by the JSON pointer of an object member: where its key (the opening quote) starts.
  std::map<std::string, source_position> key_positions;

  source_position value_at(const std::string& pointer) const;
  source_position key_at(const std::string& pointer) const;  // falls back to value_at
};

struct json_parse_error {
  source_position where;
  std::string message;  // e.g. "expected ',' or '}' after an object member"
};

// Parses RFC 8259 JSON (UTF-8, no comments, no trailing commas). Also refuses what would make a
// scenario ambiguous: duplicate keys in one object, and nesting deeper than 64 levels. Returns
// false and fills `error` on failure; never throws on input.
bool parse_json_with_positions(std::string_view text, json_document& out, json_parse_error& error);

// JSON pointer construction (RFC 6901 escaping of '~' and '/').
std::string pointer_append(const std::string& base, std::string_view key);
std::string pointer_append(const std::string& base, std::size_t index);

}  // namespace popspec::harness
