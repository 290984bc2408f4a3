// The standard fixture: the message properties the suite relies on, write_fixture in both
// layouts read back byte-exact through fs_store, and docs/fixture.md kept in step.
#include "popspec/store/fixture.hpp"

#include <gtest/gtest.h>

#include "popspec/store/fs_store.hpp"
#include "store_test_support.hpp"

using namespace popspec::store;
using namespace popspec::store::testing;

namespace {

const fixture_message& by_name(std::string_view name) {
  for (const auto& m : standard_messages())
    if (m.name == name) return m;
  throw std::runtime_error("no fixture message " + std::string(name));
}

std::vector<std::string> split_lines(const std::string& wire) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < wire.size()) {
    const auto end = wire.find("\r\n", pos);
    out.push_back(wire.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

std::vector<std::string> body_lines(const std::string& wire) {
  const auto sep = wire.find("\r\n\r\n");
  return split_lines(wire.substr(sep + 4));
}

std::vector<std::string> wires(const std::vector<fixture_message>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.wire);
  return out;
}

}  // namespace

TEST(FixtureTest, HasTheSevenMessagesInOrder) {
  std::vector<std::string_view> names;
  for (const auto& m : standard_messages()) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"short", "dot-lines", "large", "empty-body",
                                                  "long-line", "from-lines", "ten-lines"}));
  EXPECT_EQ(standard_folder_messages().size(), 2u);
}

TEST(FixtureTest, EveryMessageIsCrlfTextWithTheHeadersInOrder) {
  std::vector<fixture_message> all = standard_messages();
  for (const auto& m : standard_folder_messages()) all.push_back(m);
  std::set<std::string> message_ids;
  for (const auto& m : all) {
    SCOPED_TRACE(std::string(m.name));
    ASSERT_TRUE(m.wire.ends_with("\r\n"));
    for (std::size_t i = 0; i < m.wire.size(); ++i) {
      if (m.wire[i] == '\n') {
        ASSERT_TRUE(i > 0 && m.wire[i - 1] == '\r') << "bare LF at " << i;
      }
      if (m.wire[i] == '\r') {
        ASSERT_TRUE(i + 1 < m.wire.size() && m.wire[i + 1] == '\n') << "bare CR at " << i;
      }
    }
    const auto lines = split_lines(m.wire);
    ASSERT_GE(lines.size(), 6u);
    EXPECT_TRUE(lines[0].starts_with("From: "));
    EXPECT_EQ(lines[1], "To: popspec <popspec@popspec.invalid>");
    EXPECT_TRUE(lines[2].starts_with("Subject: "));
    EXPECT_TRUE(lines[3].starts_with("Date: "));
    EXPECT_TRUE(lines[4].starts_with("Message-ID: <"));
    EXPECT_TRUE(message_ids.insert(lines[4]).second) << "Message-ID reused";
    EXPECT_EQ(lines[5], "");
  }
}

TEST(FixtureTest, ShortHasThreeBodyLines) {
  EXPECT_EQ(body_lines(by_name("short").wire).size(), 3u);
}

TEST(FixtureTest, DotLinesHasEveryDotCaseAndEndsWithALoneDot) {
  const auto body = body_lines(by_name("dot-lines").wire);
  EXPECT_NE(
      std::find_if(body.begin(), body.end(),
                   [](const std::string& l) { return l.starts_with(".") && !l.starts_with(".."); }),
      body.end());
  EXPECT_NE(std::find_if(body.begin(), body.end(),
                         [](const std::string& l) { return l.starts_with(".."); }),
            body.end());
  EXPECT_GE(std::count(body.begin(), body.end(), "."), 2);
  EXPECT_EQ(body.back(), ".");
}

TEST(FixtureTest, LargeIsAbout100KilobytesOf72ColumnLines) {
  const auto& wire = by_name("large").wire;
  EXPECT_NEAR(static_cast<double>(wire.size()), 102400.0, 74.0);
  const auto body = body_lines(wire);
  EXPECT_GT(body.size(), 1000u);
  for (std::size_t i = 0; i < body.size(); ++i) {
    ASSERT_EQ(body[i].size(), 72u) << "line " << i;
    ASSERT_EQ(std::stoi(body[i].substr(0, 5)), static_cast<int>(i + 1));
  }
}

TEST(FixtureTest, EmptyBodyEndsRightAfterTheBlankLine) {
  const auto& wire = by_name("empty-body").wire;
  EXPECT_TRUE(wire.ends_with("\r\n\r\n"));
  EXPECT_EQ(wire.find("\r\n\r\n"), wire.size() - 4);
}

TEST(FixtureTest, LongLineHasOne2000OctetLineBetweenNormalLines) {
  const auto body = body_lines(by_name("long-line").wire);
  ASSERT_EQ(body.size(), 3u);
  EXPECT_LT(body[0].size(), 80u);
  EXPECT_EQ(body[1].size(), 2000u);
  EXPECT_LT(body[2].size(), 80u);
}

TEST(FixtureTest, FromLinesHasFromLinesButNoQuotedFromLines) {
  const auto body = body_lines(by_name("from-lines").wire);
  EXPECT_GE(std::count_if(body.begin(), body.end(),
                          [](const std::string& l) { return l.starts_with("From "); }),
            2);
  // One "From " line right after a blank line, where a lax mbox reader sees a separator.
  bool after_blank = false;
  for (std::size_t i = 1; i < body.size(); ++i)
    after_blank |= body[i - 1].empty() && body[i].starts_with("From ");
  EXPECT_TRUE(after_blank);
  for (const auto& l : body) {
    const auto first = l.find_first_not_of('>');
    EXPECT_FALSE(first > 0 && first != std::string::npos && l.substr(first).starts_with("From "))
        << "mboxo and mboxrd would read this differently: " << l;
  }
}

TEST(FixtureTest, TenLinesHasExactlyTenBodyLines) {
  EXPECT_EQ(body_lines(by_name("ten-lines").wire).size(), 10u);
}

class FixtureRoundTripTest : public ::testing::TestWithParam<maildrop_format> {};

TEST_P(FixtureRoundTripTest, ReadsBackByteExactThroughTheStore) {
  temp_dir root;
  std::string error;
  ASSERT_FALSE(write_fixture(root.path(), "popspec", GetParam(), error)) << error;
  for (auto variant : {mbox_variant::mboxrd, mbox_variant::mboxo}) {
    fs_store_options options;
    options.mbox = variant;
    fs_store store(root.path(), options);
    auto inbox = store.open("popspec");
    ASSERT_EQ(inbox.status, open_status::ok) << inbox.detail;
    EXPECT_EQ(all_contents(*inbox.box), wires(standard_messages()));
    for (std::size_t i = 0; i < standard_messages().size(); ++i)
      EXPECT_EQ(inbox.box->messages()[i].size, standard_messages()[i].wire.size());
    auto folder = store.open("popspec", standard_folder_name);
    ASSERT_EQ(folder.status, open_status::ok) << folder.detail;
    EXPECT_EQ(all_contents(*folder.box), wires(standard_folder_messages()));
  }
}

TEST_P(FixtureRoundTripTest, StoresLfLineEndingsOnDisk) {
  temp_dir root;
  std::string error;
  ASSERT_FALSE(write_fixture(root.path(), "popspec", GetParam(), error)) << error;
  for (const auto& f : tree(root.path())) {
    if (std::filesystem::is_regular_file(root.path() / f)) {
      EXPECT_EQ(read_file(root.path() / f).find('\r'), std::string::npos) << f;
    }
  }
}

TEST_P(FixtureRoundTripTest, RefusesToOverwriteAnExistingMaildrop) {
  temp_dir root;
  std::string error;
  ASSERT_FALSE(write_fixture(root.path(), "popspec", GetParam(), error));
  const auto before = tree(root.path());
  for (auto f : {maildrop_format::maildir, maildrop_format::mbox}) {
    EXPECT_EQ(write_fixture(root.path(), "popspec", f, error), std::errc::file_exists);
    EXPECT_NE(error.find("already exists"), std::string::npos) << error;
  }
  EXPECT_EQ(tree(root.path()), before);
}

TEST_P(FixtureRoundTripTest, WritesForAnotherUserWithTheSameText) {
  temp_dir root;
  std::string error;
  ASSERT_FALSE(write_fixture(root.path() / "new" / "dir", "other", GetParam(), error)) << error;
  fs_store store(root.path() / "new" / "dir");
  auto inbox = store.open("other");
  ASSERT_EQ(inbox.status, open_status::ok);
  EXPECT_EQ(all_contents(*inbox.box), wires(standard_messages()));
}

TEST_P(FixtureRoundTripTest, RefusesAnUnsafeUserName) {
  temp_dir root;
  std::string error;
  EXPECT_EQ(write_fixture(root.path(), "../evil", GetParam(), error), std::errc::invalid_argument);
  EXPECT_TRUE(tree(root.path()).empty());
}

INSTANTIATE_TEST_SUITE_P(Formats, FixtureRoundTripTest,
                         ::testing::Values(maildrop_format::mbox, maildrop_format::maildir),
                         [](const auto& p) {
                           return p.param == maildrop_format::mbox ? "Mbox" : "Maildir";
                         });

TEST(FixtureDocTest, DocumentHoldsTheGeneratedTable) {
  const std::string doc =
      read_file(std::filesystem::path(POPSPEC_SOURCE_DIR) / "docs" / "fixture.md");
  ASSERT_FALSE(doc.empty()) << "docs/fixture.md is missing";
  const std::string table = fixture_table_markdown();
  EXPECT_NE(doc.find(table), std::string::npos)
      << "docs/fixture.md is out of date; its table must be exactly:\n"
      << table;
}

TEST(FixtureDocTest, TableListsEveryMessageWithItsSize) {
  const std::string table = fixture_table_markdown();
  for (const auto& m : standard_messages())
    EXPECT_NE(
        table.find(" | " + std::string(m.name) + " | " + std::to_string(m.wire.size()) + " | "),
        std::string::npos)
        << m.name;
}
