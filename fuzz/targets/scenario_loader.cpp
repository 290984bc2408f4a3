// The scenario loader (harness::load_scenario_text) on arbitrary text, against the real
// requirement catalog (embedded at build time) and the standard fixture's sizes. The input is a
// scenario file; its "group", when it is a valid group path, names the file, so seeds made from
// the suite load cleanly and mutations start from valid files.
// Properties: never an exception or a crash; at most max_errors errors, each placed inside the
// input (line and column); a file that loads cleanly yields scenarios whose IDs, requirement IDs,
// profiles and command lines obey the documented rules.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/harness/loader.hpp"
#include "popspec/harness/requirements.hpp"
#include "popspec/store/fixture.hpp"
#include "support/check.hpp"

namespace popspec::fuzz {
std::string_view embedded_requirements();  // generated from scenarios/requirements.json
}

namespace {

using namespace popspec;

const harness::requirement_catalog& catalog() {
  static const harness::requirement_catalog c = [] {
    harness::requirement_catalog parsed;
    std::string error;
    const bool ok =
        harness::requirement_catalog::parse(fuzz::embedded_requirements(), parsed, error);
    POPSPEC_FUZZ_CHECK(ok, "the embedded requirement catalog does not parse: " + error);
    return parsed;
  }();
  return c;
}

// `"group": "a/b"` near the top of the file, read without a JSON parser (the loader is the
// parser under test): the first "group" key followed by a plain string.
std::string file_name(std::string_view text) {
  const std::string fallback = "fuzz/input.json";
  const std::size_t key = text.find("\"group\"");
  if (key == std::string_view::npos) return fallback;
  std::size_t i = key + 7;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
    ++i;
  if (i >= text.size() || text[i] != ':') return fallback;
  ++i;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
    ++i;
  if (i >= text.size() || text[i] != '"') return fallback;
  const std::size_t end = text.find('"', i + 1);
  if (end == std::string_view::npos || end - i - 1 > 200) return fallback;
  const std::string_view group = text.substr(i + 1, end - i - 1);
  const bool plain = !group.empty() && std::all_of(group.begin(), group.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '/';
  });
  return plain ? std::string(group) + ".json" : fallback;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  harness::loader_options options;
  options.fixture_messages = store::standard_messages().size();
  options.folder_messages = store::standard_folder_messages().size();
  options.folder_name = std::string(store::standard_folder_name);
  const std::string relative = file_name(text);
  harness::load_result result;
  harness::load_scenario_text(text, relative, "input.json", catalog(), options, result);
  const auto where = [&] { return "\n  file " + relative + ", input: " + fuzz::show(text, 600); };

  POPSPEC_FUZZ_CHECK(result.files == 1, "files is not 1" + where());
  POPSPEC_FUZZ_CHECK(result.errors.size() <= options.max_errors, "more than max_errors" + where());
  if (!result.errors.empty()) {
    // Line lengths in octets; a column counts characters, so it is at most the octets + 1.
    std::vector<std::size_t> lengths{0};
    for (const char c : text) {
      if (c == '\n')
        lengths.push_back(0);
      else
        ++lengths.back();
    }
    for (const auto& e : result.errors) {
      POPSPEC_FUZZ_CHECK(!e.message.empty() && e.where.file == "input.json",
                         "an error without message or file: " + e.str() + where());
      if (e.where.line == 0) continue;
      POPSPEC_FUZZ_CHECK(e.where.line <= lengths.size() && e.where.column >= 1 &&
                             e.where.column <= lengths[e.where.line - 1] + 1,
                         "error placed outside the input: " + e.str() + where());
    }
    return 0;
  }

  const std::string group = relative.substr(0, relative.size() - 5);
  for (const auto& s : result.scenarios) {
    POPSPEC_FUZZ_CHECK(s.group == group && s.id == group + "/" + s.local_id && s.file == relative,
                       "scenario " + s.id + " not named after its file" + where());
    for (const auto& id : s.requirements)
      POPSPEC_FUZZ_CHECK(catalog().find(id) != nullptr, "unknown requirement " + id + where());
    for (const auto& p : s.profiles) {
      const bool valid = s.protocol == harness::protocol_kind::pop2
                             ? p == "rfc937"
                             : (p == "rfc1225" || p == "rfc1939");
      POPSPEC_FUZZ_CHECK(valid, "profile " + p + " accepted for " +
                                    std::string(harness::to_string(s.protocol)) + where());
    }
    for (const auto& st : s.steps)
      for (const auto& c : st.commands)
        POPSPEC_FUZZ_CHECK(c.text.find_first_of("\r\n") == std::string::npos,
                           "a command line with CR or LF was accepted" + where());
  }
  return 0;
}
