// RFC 1939 §7 unique-ids of fs_store: valid, unique, stable across sessions and restarts,
// never reused.
#include <gtest/gtest.h>

#include <set>

#include "popspec/store/fs_store.hpp"
#include "store_test_support.hpp"

using namespace popspec::store;
using namespace popspec::store::testing;

namespace {

std::vector<std::string> uids_of(fs_store& store, std::string_view user = "u") {
  auto r = store.open(user);
  EXPECT_EQ(r.status, open_status::ok) << r.detail;
  return r.box ? all_uids(*r.box) : std::vector<std::string>{};
}

void expect_valid_and_unique(const std::vector<std::string>& uids) {
  std::set<std::string> seen;
  for (const auto& uid : uids) {
    EXPECT_GE(uid.size(), 1u);
    EXPECT_LE(uid.size(), 70u);
    for (unsigned char c : uid) EXPECT_TRUE(c >= 0x21 && c <= 0x7e) << uid;
    EXPECT_TRUE(seen.insert(uid).second) << "duplicate uid " << uid;
  }
}

const std::string three_mbox =
    "From a d\nS: 1\n\none\n\nFrom a d\nS: 2\n\ntwo\n\nFrom a d\nS: 3\n\nthree\n\n";

void seed_maildir(const std::filesystem::path& root) {
  make_maildir(root / "u");
  write_file(root / "u" / "new" / "1.a", "S: 1\n");
  write_file(root / "u" / "new" / "2.a", "S: 2\n");
  write_file(root / "u" / "cur" / "3.a:2,S", "S: 3\n");
}

}  // namespace

class UidTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam())
      seed_maildir(root_.path());
    else
      write_file(root_.path() / "u.mbox", three_mbox);
  }
  temp_dir root_;
};

TEST_P(UidTest, AreValidAndUnique) {
  fs_store store(root_.path());
  const auto uids = uids_of(store);
  EXPECT_EQ(uids.size(), 3u);
  expect_valid_and_unique(uids);
}

TEST_P(UidTest, AreStableAcrossSessionsAndStoreInstances) {
  std::vector<std::string> first;
  {
    fs_store store(root_.path());
    first = uids_of(store);
    EXPECT_EQ(uids_of(store), first);
  }
  fs_store restarted(root_.path());  // a server restart
  EXPECT_EQ(uids_of(restarted), first);
}

TEST_P(UidTest, SurvivorsKeepTheirUidsAfterACommit) {
  fs_store store(root_.path());
  const auto before = uids_of(store);
  {
    auto r = store.open("u");
    const std::size_t doomed[] = {0};
    ASSERT_FALSE(r.box->commit_deletions(doomed));
  }
  EXPECT_EQ(uids_of(store), (std::vector<std::string>{before[1], before[2]}));
}

INSTANTIATE_TEST_SUITE_P(Formats, UidTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Maildir" : "Mbox"; });

TEST(MboxUidTest, IdenticalMessagesGetDistinctUids) {
  temp_dir root;
  write_file(root.path() / "u.mbox",
             "From a d\nS: same\n\nFrom a d\nS: same\n\nFrom a d\nS: same\n\n");
  fs_store store(root.path());
  const auto uids = uids_of(store);
  EXPECT_EQ(uids.size(), 3u);
  expect_valid_and_unique(uids);
}

TEST(MboxUidTest, DeletingTheFirstOfTwoIdenticalMessagesKeepsTheSecondsUid) {
  temp_dir root;
  write_file(root.path() / "u.mbox", "From a d\nS: same\n\nFrom a d\nS: same\n\n");
  fs_store store(root.path());
  const auto before = uids_of(store);
  {
    auto r = store.open("u");
    const std::size_t doomed[] = {0};
    ASSERT_FALSE(r.box->commit_deletions(doomed));
  }
  EXPECT_EQ(uids_of(store), (std::vector<std::string>{before[1]}));
}

TEST(MboxUidTest, NewMailGetsANewUidThatWasNeverUsed) {
  temp_dir root;
  write_file(root.path() / "u.mbox", three_mbox);
  fs_store store(root.path());
  const auto before = uids_of(store);
  {
    auto r = store.open("u");
    const std::size_t doomed[] = {2};
    ASSERT_FALSE(r.box->commit_deletions(doomed));
  }
  // The deleted message comes back as new mail with the same content: it is a new message.
  std::ofstream(root.path() / "u.mbox", std::ios::app) << "From a d\nS: 3\n\nthree\n\n";
  const auto after = uids_of(store);
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0], before[0]);
  EXPECT_EQ(after[1], before[1]);
  for (const auto& old : before) EXPECT_NE(after[2], old);
}

TEST(MboxUidTest, UidsAreStableEvenIfTheSessionNeverCommits) {
  temp_dir root;
  write_file(root.path() / "u.mbox", three_mbox);
  fs_store first(root.path());
  const auto uids = uids_of(first);  // session dropped: no UPDATE
  fs_store second(root.path());
  EXPECT_EQ(uids_of(second), uids);
}

TEST(MboxUidTest, ALostSideFileRenumbersWithoutReusingOldUids) {
  temp_dir root;
  write_file(root.path() / "u.mbox", three_mbox);
  fs_store store(root.path());
  const auto before = uids_of(store);
  std::filesystem::remove(root.path() / ".u.popspec" / "inbox.state");
  const auto after = uids_of(store);
  expect_valid_and_unique(after);
  for (const auto& uid : after) EXPECT_EQ(std::count(before.begin(), before.end(), uid), 0) << uid;
  // The mail itself is untouched.
  EXPECT_EQ(read_file(root.path() / "u.mbox"), three_mbox);
}

TEST(MboxUidTest, ADamagedSideFileIsTreatedAsLost) {
  temp_dir root;
  write_file(root.path() / "u.mbox", three_mbox);
  fs_store store(root.path());
  uids_of(store);
  write_file(root.path() / ".u.popspec" / "inbox.state", "garbage\nmore garbage");
  const auto uids = uids_of(store);
  EXPECT_EQ(uids.size(), 3u);
  expect_valid_and_unique(uids);
  EXPECT_EQ(uids_of(store), uids);
}

TEST(MboxUidTest, FoldersHaveTheirOwnUids) {
  temp_dir root;
  write_file(root.path() / "u.mbox", three_mbox);
  write_file(root.path() / "u.folders" / "archive.mbox", three_mbox);
  fs_store store(root.path());
  EXPECT_EQ(uids_of(store).size(), 3u);
  auto r = store.open("u", "archive");
  ASSERT_EQ(r.status, open_status::ok);
  const auto folder = all_uids(*r.box);
  expect_valid_and_unique(folder);
  EXPECT_TRUE(std::filesystem::exists(root.path() / ".u.popspec" / "folder.archive.state"));
}

TEST(MaildirUidTest, SurvivesAnMuaMovingTheFileFromNewToCur) {
  temp_dir root;
  seed_maildir(root.path());
  fs_store store(root.path());
  const auto before = uids_of(store);
  std::filesystem::rename(root.path() / "u" / "new" / "1.a", root.path() / "u" / "cur" / "1.a:2,S");
  EXPECT_EQ(uids_of(store), before);
}
