// record_access (RFC 1225 LAST): persisted beside the mail, never in it.
#include <gtest/gtest.h>

#include "popspec/store/fs_store.hpp"
#include "store_test_support.hpp"

using namespace popspec::store;
using namespace popspec::store::testing;

namespace {

std::vector<bool> accessed_flags(fs_store& store) {
  auto r = store.open("u");
  EXPECT_EQ(r.status, open_status::ok) << r.detail;
  std::vector<bool> out;
  if (r.box)
    for (const auto& m : r.box->messages()) out.push_back(m.accessed);
  return out;
}

}  // namespace

class AccessTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      make_maildir(root_.path() / "u");
      for (const char* name : {"1.a", "2.a", "3.a"})
        write_file(root_.path() / "u" / "new" / name, std::string("S: ") + name + "\n");
    } else {
      write_file(root_.path() / "u.mbox", "From a d\nS: 1\n\nFrom a d\nS: 2\n\nFrom a d\nS: 3\n\n");
    }
  }
  std::vector<std::string> mail_files() {
    std::vector<std::string> out;
    for (const auto& f : tree(root_.path()))
      if (!f.starts_with(".u.popspec") && std::filesystem::is_regular_file(root_.path() / f))
        out.push_back(f + "=" + read_file(root_.path() / f));
    return out;
  }
  temp_dir root_;
};

TEST_P(AccessTest, NothingIsAccessedAtFirst) {
  fs_store store(root_.path());
  EXPECT_EQ(accessed_flags(store), (std::vector<bool>{false, false, false}));
}

TEST_P(AccessTest, RecordedAccessIsSeenByLaterSessionsAndRestarts) {
  const auto mail = mail_files();
  {
    fs_store store(root_.path());
    auto r = store.open("u");
    const std::size_t read[] = {0, 2};
    ASSERT_FALSE(r.box->record_access(read));
    EXPECT_FALSE(r.box->messages()[0].accessed);  // this session's snapshot is unchanged
  }
  fs_store restarted(root_.path());
  EXPECT_EQ(accessed_flags(restarted), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(mail_files(), mail);  // message files are never altered or renamed
}

TEST_P(AccessTest, AccessMarksAccumulateAndSurviveACommit) {
  fs_store store(root_.path());
  {
    auto r = store.open("u");
    const std::size_t read[] = {1};
    ASSERT_FALSE(r.box->record_access(read));
  }
  {
    auto r = store.open("u");
    const std::size_t read[] = {2};
    ASSERT_FALSE(r.box->record_access(read));
    const std::size_t doomed[] = {0};
    ASSERT_FALSE(r.box->commit_deletions(doomed));
  }
  EXPECT_EQ(accessed_flags(store), (std::vector<bool>{true, true}));
}

TEST_P(AccessTest, OutOfRangeIndexIsRefused) {
  fs_store store(root_.path());
  auto r = store.open("u");
  const std::size_t read[] = {3};
  EXPECT_EQ(r.box->record_access(read), std::errc::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Formats, AccessTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Maildir" : "Mbox"; });
