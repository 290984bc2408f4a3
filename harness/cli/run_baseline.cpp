#include "run_baseline.hpp"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "popspec/reports/json_results.hpp"

namespace popspec::cli {

bool load_baseline_file(const std::string& file, harness::baseline& out, std::string& error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = "cannot read baseline " + file;
    return false;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = "cannot read baseline " + file;
    return false;
  }
  // Which kind of file: an expectations file has a "baseline" member. Text that is not JSON at
  // all goes to the expectations parser, whose error names the line and column.
  auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || harness::is_baseline_expectations(document))
    return harness::parse_baseline_expectations(text, file, out, error);
  harness::run_results earlier;
  std::string results_error;
  if (reports::parse_results(text, earlier, results_error)) {
    error = file +
            ": neither a baseline file ({\"baseline\": 1, \"expect\": {...}}) nor popspec "
            "JSON results: " +
            results_error;
    return false;
  }
  out = harness::baseline_from_results(earlier, file);
  return true;
}

}  // namespace popspec::cli
