#pragma once
// The HTML report's stylesheet and script (internal): reports/assets/*, compiled in by
// reports/CMakeLists.txt so that every report is one self-contained file.
#include <string_view>

namespace popspec::reports::detail {

extern const std::string_view report_css;
extern const std::string_view report_js;

}  // namespace popspec::reports::detail
