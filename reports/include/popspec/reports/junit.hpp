#pragma once
// JUnit XML, as CI systems read it (checked against the Jenkins xUnit plugin's junit-10.xsd,
// vendored in reports/schema/). One <testsuite> per RFC section group, one <testcase> per scenario
// (classname = group, name = scenario id):
//   fail -> <failure>; timeout, error -> <error>; skipped, unsupported -> <skipped>;
//   non_strict -> a pass with a <system-out> note. Transcripts of non-passing scenarios go to the
//   testcase's <system-out>.
#include <iosfwd>

#include "popspec/harness/results.hpp"

namespace popspec::reports {

void write_junit(const harness::run_results& results, std::ostream& out);

}  // namespace popspec::reports
