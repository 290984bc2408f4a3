#include "popspec/reports/html.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <regex>
#include <sstream>
#include <vector>

#include "sample_results.hpp"

namespace popspec::reports {
namespace {

std::string html_of(const std::vector<harness::run_results>& runs) {
  std::ostringstream out;
  write_html(runs, out);
  return out.str();
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The text between `open` and the next `close` after it.
std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const auto start = text.find(open);
  if (start == std::string::npos) return {};
  const auto end = text.find(close, start + open.size());
  return text.substr(start + open.size(), end - start - open.size());
}

std::string sha256_base64(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  unsigned char encoded[128];
  const int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(size));
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(n));
}

TEST(HtmlWriterTest, IsOneSelfContainedDocument) {
  const std::string page = html_of({samples::every_verdict_run()});
  EXPECT_EQ(page.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_NE(page.find("</html>\n"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_FALSE(std::regex_search(page, std::regex("<[a-zA-Z][^>]*\\s(src|href)=\"[^d#]")))
      << "a tag loads something";
  EXPECT_EQ(occurrences(page, "<link"), 1u);  // the empty data: favicon, so none is fetched
  EXPECT_NE(page.find("<link rel=\"icon\" href=\"data:,\">"), std::string::npos);
  EXPECT_EQ(occurrences(page, "<style>"), 1u);
  EXPECT_EQ(occurrences(page, "<script>"), 1u);
}

TEST(HtmlWriterTest, PolicyAllowsOnlyTheReportsOwnStyleAndScript) {
  const std::string page = html_of({samples::every_verdict_run()});
  const std::string policy =
      between(page, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src 'sha256-" +
                        sha256_base64(between(page, "<script>", "</script>")) + "'"),
            std::string::npos)
      << policy;
  EXPECT_NE(
      policy.find("style-src 'sha256-" + sha256_base64(between(page, "<style>", "</style>")) + "'"),
      std::string::npos)
      << policy;
}

TEST(HtmlWriterTest, EscapesHostileTextEverywhere) {
  const std::string page = html_of({samples::every_verdict_run(), samples::second_target_run()});
  EXPECT_EQ(occurrences(page, "<script"), 1u);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("onerror=\""), std::string::npos);
  EXPECT_EQ(page.find("<b>"), std::string::npos);
  EXPECT_EQ(page.find("<!-- ]]>"), std::string::npos);
  EXPECT_NE(page.find("&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;"),
            std::string::npos);
  for (const char c : page) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u >= 0x20 || c == '\n' || c == '\t') << "raw control octet " << int{u};
  }
}

TEST(HtmlWriterTest, AttributesHoldOnlyQuotedEscapedValues) {
  const std::string page = html_of({samples::every_verdict_run()});
  // Every data-* attribute value is a safe token list: nothing can close the quote.
  const std::regex data_attribute("data-[a-z-]+=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), data_attribute);
       it != std::sregex_iterator(); ++it)
    EXPECT_TRUE(std::regex_match((*it)[1].str(), std::regex("[A-Za-z0-9._ -]*"))) << it->str();
}

TEST(HtmlWriterTest, ShowsTheCountsOfEveryVerdict) {
  const std::string page = html_of({samples::every_verdict_run()});
  EXPECT_NE(page.find("data-count=\"pass\">2<"), std::string::npos);
  EXPECT_NE(page.find("data-count=\"fail\">1<"), std::string::npos);
  EXPECT_NE(page.find("data-count=\"total\">8<"), std::string::npos);
  EXPECT_NE(page.find("<p class=\"counts-line\" id=\"counts-line\">2 passed, 1 failed, 1 "
                      "non-strict, 1 unsupported, 1 skipped, 1 timed out, 1 error</p>"),
            std::string::npos);
}

TEST(HtmlWriterTest, GroupsTheRequirementMatrixByRfc) {
  const std::string page = html_of({samples::every_verdict_run()});
  const auto rfc1939 = page.find("<section class=\"rfc-section\" data-rfc=\"1939\">");
  const auto rfc2449 = page.find("<section class=\"rfc-section\" data-rfc=\"2449\">");
  ASSERT_NE(rfc1939, std::string::npos);
  ASSERT_NE(rfc2449, std::string::npos);
  EXPECT_LT(rfc1939, rfc2449);
  EXPECT_EQ(occurrences(page, "class=\"filterable req-row\""), 8u);
  EXPECT_NE(page.find("<option value=\"2449\">RFC 2449</option>"), std::string::npos);
}

TEST(HtmlWriterTest, ShowsFailingStepDifferencesAndEscapedTranscript) {
  const std::string page = html_of({samples::every_verdict_run()});
  EXPECT_NE(page.find("Failing step 5 at <code>scenarios/pop3/rfc1939/retr/deleted-message.json"
                      ":42:7</code>"),
            std::string::npos);
  EXPECT_NE(page.find("<td><pre>-ERR (any text)</pre></td>"), std::string::npos);
  EXPECT_NE(page.find("Differences from the reference server"), std::string::npos);
  EXPECT_NE(page.find("<span class=\"data\">+OK NUL\\x00 ESC\\x1B[31mred"), std::string::npos);
}

TEST(HtmlWriterTest, PutsSeveralRunsSideBySideLabelledByTarget) {
  const std::string page =
      html_of({samples::every_verdict_run(), samples::second_target_run(), samples::empty_run()});
  const std::string header = between(page, "<table id=\"scenario-matrix\">", "</thead>");
  EXPECT_EQ(occurrences(header, "<th class=\"run-label\">"), 3u);
  EXPECT_NE(header.find(">dovecot 127.0.0.1:2110<"), std::string::npos);
  EXPECT_EQ(occurrences(page, "class=\"filterable scenario-row\""), 9u);  // union of the ids
  EXPECT_NE(page.find("id=\"filter-differ\""), std::string::npos);
  EXPECT_NE(page.find("data-verdict=\"absent\""), std::string::npos);
}

TEST(HtmlWriterTest, TellsRunsAgainstTheSameTargetApart) {
  const std::string page = html_of({samples::every_verdict_run(), samples::every_verdict_run()});
  const std::string header = between(page, "<table id=\"scenario-matrix\">", "</thead>");
  EXPECT_NE(header.find(">127.0.0.1:1110<"), std::string::npos);
  EXPECT_NE(header.find(">127.0.0.1:1110 (2)<"), std::string::npos);
}

TEST(HtmlWriterTest, RendersAnEmptyRun) {
  const std::string page = html_of({samples::empty_run()});
  EXPECT_NE(page.find("No scenarios ran."), std::string::npos);
  EXPECT_NE(page.find("data-count=\"total\">0<"), std::string::npos);
  EXPECT_NE(page.find("</html>\n"), std::string::npos);
}

TEST(HtmlWriterTest, RendersNoRunsAtAll) {
  const std::string page = html_of({});
  EXPECT_NE(page.find("No scenarios ran."), std::string::npos);
  EXPECT_NE(page.find("</html>\n"), std::string::npos);
}

}  // namespace
}  // namespace popspec::reports
