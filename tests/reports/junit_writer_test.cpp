#include "popspec/reports/junit.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "sample_results.hpp"
#include "test_support.hpp"

namespace popspec::reports {
namespace {

class JunitWriterTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const harness::run_results& run, const std::string& name) {
    std::ostringstream out;
    write_junit(run, out);
    text_ = out.str();
    const auto path = dir_ / name;
    test::write_file(path, text_);
    return path;
  }

  // Evaluates an XPath expression over `file` with xmllint.
  static std::string xpath(const std::filesystem::path& file, const std::string& expression) {
    const auto r =
        test::run_command("xmllint --xpath " + test::quote(expression) + " " + test::quote(file));
    std::string out = r.output;
    if (!out.empty() && out.back() == '\n') out.pop_back();  // xmllint ends every result with one
    return out;
  }

  static test::command_result validate(const std::filesystem::path& file) {
    return test::run_command("xmllint --noout --schema " +
                             test::quote(test::source_path("reports/schema/junit-10.xsd")) + " " +
                             test::quote(file));
  }

  test::scratch_dir dir_;
  std::string text_;
};

TEST_F(JunitWriterTest, ValidatesAgainstTheJenkinsJunitSchema) {
  for (const auto& [name, run] : {std::pair{"every.xml", samples::every_verdict_run()},
                                  std::pair{"second.xml", samples::second_target_run()},
                                  std::pair{"empty.xml", samples::empty_run()}}) {
    const auto result = validate(write(run, name));
    EXPECT_EQ(result.exit_code, 0) << name << ": " << result.output;
  }
}

TEST_F(JunitWriterTest, SchemaRejectsATestcaseWithoutName) {
  // The validation above means something only if the schema can say no.
  const auto file = dir_ / "broken.xml";
  test::write_file(file,
                   "<testsuites><testsuite name=\"g\" tests=\"1\" failures=\"0\" errors=\"0\">"
                   "<testcase classname=\"g\"/></testsuite></testsuites>");
  EXPECT_NE(validate(file).exit_code, 0);
}

TEST_F(JunitWriterTest, WritesOneTestsuitePerGroupInRunOrder) {
  const auto file = write(samples::every_verdict_run(), "every.xml");
  EXPECT_EQ(xpath(file, "count(//testsuite)"), "7");
  EXPECT_EQ(xpath(file, "string(//testsuite[1]/@name)"), "pop3/rfc1939/stat");
  EXPECT_EQ(xpath(file, "string(//testsuite[3]/@name)"), "pop3/rfc2449/capa");
  EXPECT_EQ(xpath(file, "count(//testsuite[3]/testcase)"), "2");
  EXPECT_EQ(xpath(file, "string(//testsuite[7]/@name)"), "ungrouped");
}

TEST_F(JunitWriterTest, NamesEachTestcaseByScenarioIdWithGroupAsClassname) {
  const auto file = write(samples::every_verdict_run(), "every.xml");
  EXPECT_EQ(xpath(file, "count(//testcase)"), "8");
  EXPECT_EQ(xpath(file, "string(//testcase[@name='pop3/rfc1939/retr/deleted-message']/@classname)"),
            "pop3/rfc1939/retr");
  EXPECT_EQ(xpath(file, "string(//testcase[@name='pop3/rfc1939/retr/deleted-message']/@time)"),
            "0.013");
}

TEST_F(JunitWriterTest, MapsVerdictsToJunitElements) {
  const auto file = write(samples::every_verdict_run(), "every.xml");
  const auto child = [&](const std::string& id) {
    return xpath(file, "name(//testcase[@name='" + id + "']/*[1])");
  };
  EXPECT_EQ(child("pop3/rfc1939/stat/counts-messages"), "");
  EXPECT_EQ(child("pop3/rfc1939/retr/deleted-message"), "failure");
  EXPECT_EQ(child("pop3/rfc1939/quit/closes"), "error");
  EXPECT_EQ(xpath(file, "string(//testcase[@name='pop3/rfc1939/quit/closes']/error/@type)"),
            "timeout");
  EXPECT_EQ(child("pop3/rfc2449/capa/sasl"), "skipped");
  EXPECT_EQ(child("pop3/rfc1939/dele/then-quit"), "skipped");
  // non_strict: a pass, with a note.
  EXPECT_EQ(child("pop3/rfc2449/capa/ends-with-dot"), "system-out");
  EXPECT_EQ(xpath(file,
                  "count(//testcase[@name='pop3/rfc2449/capa/ends-with-dot']"
                  "/*[self::failure or self::error or self::skipped])"),
            "0");
  EXPECT_NE(xpath(file, "string(//testcase[@name='pop3/rfc2449/capa/ends-with-dot']/system-out)")
                .find("non-strict"),
            std::string::npos);
  EXPECT_EQ(xpath(file, "count(//testcase/error)"), "2");  // the timeout and the error
}

TEST_F(JunitWriterTest, CountsAgreeWithTheElements) {
  const auto file = write(samples::every_verdict_run(), "every.xml");
  EXPECT_EQ(xpath(file, "string(/testsuites/@tests)"), "8");
  EXPECT_EQ(xpath(file, "string(/testsuites/@failures)"), "1");
  EXPECT_EQ(xpath(file, "string(/testsuites/@errors)"), "2");
  EXPECT_EQ(xpath(file, "sum(//testsuite/@skipped)"), "2");
  EXPECT_EQ(xpath(file, "sum(//testsuite/@tests)"), "8");
}

TEST_F(JunitWriterTest, FailureCarriesRequirementExpectedActualAndTranscript) {
  const auto file = write(samples::every_verdict_run(), "every.xml");
  const std::string failure =
      xpath(file, "string(//testcase[@name='pop3/rfc1939/retr/deleted-message']/failure)");
  EXPECT_NE(failure.find("POP3-1939-RETR.3 (MUST)"), std::string::npos) << failure;
  EXPECT_NE(failure.find("Expected: -ERR (any text)"), std::string::npos) << failure;
  EXPECT_NE(failure.find("Actual:   +OK </script>"), std::string::npos) << failure;
  EXPECT_NE(failure.find("Differences from the reference server"), std::string::npos);
  const std::string out =
      xpath(file, "string(//testcase[@name='pop3/rfc1939/retr/deleted-message']/system-out)");
  EXPECT_NE(out.find("S: +OK NUL\\x00 ESC\\x1B[31m"), std::string::npos) << out;
}

TEST_F(JunitWriterTest, HostileTextStaysTextAndLeavesNoForbiddenCharacters) {
  const auto file = write(samples::every_verdict_run(), "every.xml");
  for (const char c : text_) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u >= 0x20 || c == '\n' || c == '\t') << "raw control octet " << int{u};
  }
  EXPECT_EQ(xpath(file, "count(//script)"), "0");
  EXPECT_EQ(
      xpath(file, "string(//testcase[@name='pop3/rfc1939/retr/deleted-message']/failure/@message)"),
      "the server answered +OK NUL\\x00 ESC\\x1B[31mred\\x1B[0m OSC\\x1B]0;pwned\\x07 "
      "CR\\rBS\\x08 DEL\\x7F C1\\u{9B}");
}

TEST_F(JunitWriterTest, EmptyRunIsAnEmptyTestsuitesElement) {
  const auto file = write(samples::empty_run(), "empty.xml");
  EXPECT_EQ(xpath(file, "string(/testsuites/@tests)"), "0");
  EXPECT_EQ(xpath(file, "count(//testsuite)"), "0");
}

}  // namespace
}  // namespace popspec::reports
