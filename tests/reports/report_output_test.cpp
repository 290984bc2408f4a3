#include "popspec/reports/output.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sstream>
#include <vector>

#include "popspec/reports/errc.hpp"
#include "popspec/reports/html.hpp"
#include "popspec/reports/json_results.hpp"
#include "sample_results.hpp"
#include "test_support.hpp"

namespace popspec::reports {
namespace {

const std::vector<harness::run_results> one_run{samples::every_verdict_run()};
const std::vector<harness::run_results> two_runs{samples::every_verdict_run(),
                                                 samples::second_target_run()};

std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ReportOutputTest, WritesWhatTheWriterRenders) {
  test::scratch_dir dir;
  for (const auto format :
       {report_format::json, report_format::junit, report_format::html, report_format::markdown}) {
    std::ostringstream expected;
    std::string error;
    ASSERT_FALSE(render_report(format, one_run, expected, error)) << error;
    ASSERT_FALSE(write_report_file(dir / "report", format, one_run, error)) << error;
    EXPECT_EQ(test::read_file(dir / "report"), expected.str()) << to_string(format);
  }
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"report"});  // no temporary left
}

TEST(ReportOutputTest, ReplacesAnExistingReport) {
  test::scratch_dir dir;
  test::write_file(dir / "r.json", "old and much longer than the new report would ever be... " +
                                       std::string(100000, 'x'));
  std::string error;
  ASSERT_FALSE(write_report_file(dir / "r.json", report_format::json,
                                 std::vector{samples::empty_run()}, error));
  harness::run_results back;
  EXPECT_FALSE(read_results_file(dir / "r.json", back, error)) << error;
}

TEST(ReportOutputTest, OnlyHtmlTakesSeveralRuns) {
  std::ostringstream out;
  std::string error;
  EXPECT_FALSE(render_report(report_format::html, two_runs, out, error));
  for (const auto format : {report_format::json, report_format::junit, report_format::markdown}) {
    EXPECT_EQ(render_report(format, two_runs, out, error), errc::one_run_only);
    EXPECT_NE(error.find("takes exactly one run, not 2"), std::string::npos) << error;
    EXPECT_EQ(render_report(format, {}, out, error), errc::one_run_only);
  }
}

TEST(ReportOutputTest, SaysWhichFileCannotBeWrittenAndWhy) {
  test::scratch_dir dir;
  std::string error;
  const auto missing = dir / "no-such-dir" / "report.html";
  EXPECT_EQ(write_report_file(missing, report_format::html, one_run, error), errc::cannot_write);
  EXPECT_EQ(error, "cannot write " + missing.string() + ": No such file or directory");

  EXPECT_EQ(write_report_file(dir.path(), report_format::html, one_run, error), errc::cannot_write);
  EXPECT_EQ(error, "cannot write " + dir.path().string() + ": Is a directory");
}

TEST(ReportOutputTest, LeavesTheOldReportWhenTheNewOneCannotBeWritten) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  test::scratch_dir dir;
  test::write_file(dir / "report.md", "previous report");
  ::chmod(dir.path().c_str(), 0500);
  std::string error;
  EXPECT_EQ(write_report_file(dir / "report.md", report_format::markdown, one_run, error),
            errc::cannot_write);
  EXPECT_NE(error.find(": Permission denied"), std::string::npos) << error;
  ::chmod(dir.path().c_str(), 0700);
  EXPECT_EQ(test::read_file(dir / "report.md"), "previous report");
}

TEST(ReportOutputTest, WritesStraightIntoDevices) {
  std::string error;
  EXPECT_FALSE(write_report_file("/dev/null", report_format::junit, one_run, error)) << error;
}

TEST(ReportOutputTest, WritesThroughSymbolicLinks) {
  test::scratch_dir dir;
  test::write_file(dir / "target.md", "");
  std::filesystem::create_symlink(dir / "target.md", dir / "link.md");
  std::string error;
  ASSERT_FALSE(write_report_file(dir / "link.md", report_format::markdown, one_run, error));
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "link.md"));
  EXPECT_EQ(test::read_file(dir / "target.md").rfind("## popspec: ", 0), 0u);
}

TEST(ReportOutputTest, NewReportsGetOrdinaryPermissions) {
  test::scratch_dir dir;
  const mode_t old_mask = ::umask(022);
  std::string error;
  ASSERT_FALSE(write_report_file(dir / "r.xml", report_format::junit, one_run, error));
  ::umask(old_mask);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "r.xml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

}  // namespace
}  // namespace popspec::reports
