#pragma once
// Run results as JSON, versioned by reports/schema/results-v1.schema.json. `popspec run --json`
// writes this and `popspec report` reads it back, so a CI job can run once and render later.
//
// Strings are stored as valid UTF-8 (invalid sequences become U+FFFD); transcript octets are stored
// escaped (see escape_octets), which is reversible. For any results r,
// to_json(from_json(to_json(r))) == to_json(r).
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include "popspec/harness/results.hpp"

namespace popspec::reports {

inline constexpr int results_schema_version = 1;
// The schema's "$id", also written as "$schema" in every results document.
inline constexpr std::string_view results_schema_id = "urn:popspec:schema:results-v1";

nlohmann::json to_json(const harness::run_results& results);

// Reads a results document into `out` (replacing its contents). On failure returns an errc and sets
// `error` to a message naming where the document went wrong, as a JSON pointer, e.g.
// "/scenarios/3/verdict: unknown verdict \"passed\"". Unknown members are ignored.
std::error_code from_json(const nlohmann::json& document, harness::run_results& out,
                          std::string& error);

// to_json, pretty-printed (two spaces) with a final newline.
void write_json(const harness::run_results& results, std::ostream& out);

// Parses `text` and reads it with from_json.
std::error_code parse_results(std::string_view text, harness::run_results& out, std::string& error);

// Reads a results file. Every message in `error` starts with the file name: "FILE: ...", or
// "cannot read FILE: reason".
std::error_code read_results_file(const std::filesystem::path& file, harness::run_results& out,
                                  std::string& error);

}  // namespace popspec::reports
