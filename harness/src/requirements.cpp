#include "popspec/harness/requirements.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace popspec::harness {

std::optional<requirement_level> requirement_level_from_string(std::string_view s) {
  if (s == "MUST") return requirement_level::must;
  if (s == "MUST NOT") return requirement_level::must_not;
  if (s == "SHOULD") return requirement_level::should;
  if (s == "SHOULD NOT") return requirement_level::should_not;
  if (s == "MAY") return requirement_level::may;
  return std::nullopt;
}

bool is_strict(requirement_level level) {
  return level == requirement_level::must || level == requirement_level::must_not;
}

bool requirement_catalog::parse(std::string_view json_text, requirement_catalog& out,
                                std::string& error) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) {
    error = "not valid JSON";
    return false;
  }
  if (!doc.is_object() || !doc.contains("requirements") || !doc["requirements"].is_array()) {
    error = "expected an object with a \"requirements\" array";
    return false;
  }
  requirement_catalog catalog;
  std::size_t index = 0;
  for (const auto& row : doc["requirements"]) {
    auto field = [&](const char* name) -> std::optional<std::string> {
      if (!row.is_object() || !row.contains(name) || !row[name].is_string()) return std::nullopt;
      return row[name].get<std::string>();
    };
    auto id = field("id"), rfc = field("rfc"), section = field("section"), level = field("level"),
         basis = field("basis"), role = field("role"), sentence = field("sentence");
    if (!id || !rfc || !section || !level || !basis || !role || !sentence) {
      error = "requirement #" + std::to_string(index + 1) +
              ": expected string fields id, rfc, section, level, basis, role, sentence";
      return false;
    }
    auto lvl = requirement_level_from_string(*level);
    if (!lvl) {
      error = *id + ": unknown level \"" + *level + "\"";
      return false;
    }
    if (!catalog.index_.emplace(*id, catalog.requirements_.size()).second) {
      error = "duplicate requirement ID " + *id;
      return false;
    }
    catalog.requirements_.push_back({*id, *rfc, *section, *lvl, *basis, *role, *sentence});
    ++index;
  }
  out = std::move(catalog);
  return true;
}

bool requirement_catalog::load(const std::filesystem::path& file, requirement_catalog& out,
                               std::string& error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = file.string() + ": cannot read the requirement catalog";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (!parse(text.str(), out, error)) {
    error = file.string() + ": " + error;
    return false;
  }
  return true;
}

const requirement* requirement_catalog::find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &requirements_[it->second];
}

requirement_ref requirement_catalog::ref(const requirement& r) const {
  return {r.id, r.level, r.rfc, r.section, r.sentence};
}

}  // namespace popspec::harness
