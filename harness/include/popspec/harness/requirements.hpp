#pragma once
// The requirement catalog (scenarios/requirements.json, generated from requirements.md by
// scripts/gen-requirements.py): every testable requirement with its stable ID and level.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/harness/results.hpp"

namespace popspec::harness {

struct requirement {
  std::string id;       // "POP3-1939-RETR.3"
  std::string rfc;      // "937", "1225", "1939", "2449"
  std::string section;  // RFC section or heading
  requirement_level level = requirement_level::must;
  std::string basis;     // K, D, G, T, I or combinations such as "D/K"
  std::string role;      // "S", "C" or "S+C"
  std::string sentence;  // the requirement, paraphrased
};

std::optional<requirement_level> requirement_level_from_string(std::string_view s);
// MUST and MUST NOT are strict: violating one fails a scenario. SHOULD, SHOULD NOT and MAY
// deviations earn non_strict.
bool is_strict(requirement_level level);

class requirement_catalog {
 public:
  // Parses the catalog JSON. On error returns false and sets `error` (one line).
  static bool parse(std::string_view json_text, requirement_catalog& out, std::string& error);
  static bool load(const std::filesystem::path& file, requirement_catalog& out, std::string& error);

  const requirement* find(std::string_view id) const;
  const std::vector<requirement>& all() const { return requirements_; }
  bool empty() const { return requirements_.empty(); }
  // The results' view of a requirement (level, RFC, section and sentence copied).
  requirement_ref ref(const requirement& r) const;

 private:
  std::vector<requirement> requirements_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

}  // namespace popspec::harness
