// commit_deletions on disk: exactly the survivors, byte for byte; destroying without a commit
// changes nothing.
#include <gtest/gtest.h>

#include "popspec/store/fs_store.hpp"
#include "store_test_support.hpp"

using namespace popspec::store;
using namespace popspec::store::testing;

namespace {

// Separator lines, escaping and CRLF storage that a careless rewrite would normalise.
const std::string entry1 = "From one@x Mon Jan  1 00:00:01 2024\nS: 1\n\n>From escaped\n\n";
const std::string entry2 = "From two@x Mon Jan  1 00:00:02 2024\r\nS: 2\r\n\r\ncrlf\r\n\r\n";
const std::string entry3 = "From three@x Mon Jan  1 00:00:03 2024\nS: 3\n\n>>From twice\n\n";
const std::string entry4 = "From four@x Mon Jan  1 00:00:04 2024\nS: 4\n\nno final newline";

void commit(fs_store& store, std::vector<std::size_t> doomed, std::string_view user = "u") {
  auto r = store.open(user);
  ASSERT_EQ(r.status, open_status::ok) << r.detail;
  ASSERT_FALSE(r.box->commit_deletions(doomed));
}

}  // namespace

TEST(MboxCommitTest, KeepsExactlyTheSurvivorsByteForByte) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1 + entry2 + entry3 + entry4);
  fs_store store(root.path());
  commit(store, {0, 2});
  EXPECT_EQ(read_file(root.path() / "u.mbox"), entry2 + entry4);
}

TEST(MboxCommitTest, DeletingTheLastMessageKeepsTheOthersIntact) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1 + entry2 + entry4);
  fs_store store(root.path());
  commit(store, {2});
  EXPECT_EQ(read_file(root.path() / "u.mbox"), entry1 + entry2);
}

TEST(MboxCommitTest, DeletingEverythingLeavesAnEmptyMbox) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1 + entry2);
  fs_store store(root.path());
  commit(store, {0, 1, 1});
  EXPECT_EQ(read_file(root.path() / "u.mbox"), "");
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  EXPECT_TRUE(r.box->messages().empty());
}

TEST(MboxCommitTest, EmptyCommitDoesNotRewriteTheFile) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1);
  const auto before = std::filesystem::last_write_time(root.path() / "u.mbox");
  const auto inode_before = std::filesystem::hard_link_count(root.path() / "u.mbox");
  fs_store store(root.path());
  commit(store, {});
  EXPECT_EQ(std::filesystem::last_write_time(root.path() / "u.mbox"), before);
  EXPECT_EQ(std::filesystem::hard_link_count(root.path() / "u.mbox"), inode_before);
  EXPECT_EQ(read_file(root.path() / "u.mbox"), entry1);
}

TEST(MboxCommitTest, SurvivorsReadBackWithTheSameWireForm) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1 + entry2 + entry3 + entry4);
  fs_store store(root.path());
  std::vector<std::string> before;
  {
    auto r = store.open("u");
    before = all_contents(*r.box);
  }
  commit(store, {1});
  auto r = store.open("u");
  EXPECT_EQ(all_contents(*r.box), (std::vector<std::string>{before[0], before[2], before[3]}));
}

TEST(MboxCommitTest, KeepsMailAppendedWhileTheSessionWasOpen) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1 + entry2);
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  std::ofstream(root.path() / "u.mbox", std::ios::app | std::ios::binary) << entry3;
  const std::size_t doomed[] = {0};
  ASSERT_FALSE(r.box->commit_deletions(doomed));
  EXPECT_EQ(read_file(root.path() / "u.mbox"), entry2 + entry3);
}

TEST(MboxCommitTest, RefusesWhenAnotherProgramRewroteTheFile) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1 + entry2);
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  write_file(root.path() / "u.mbox", entry2 + entry1);  // same inode, different bytes
  const std::size_t doomed[] = {0};
  EXPECT_TRUE(r.box->commit_deletions(doomed));
  EXPECT_EQ(read_file(root.path() / "u.mbox"), entry2 + entry1);
}

TEST(MboxCommitTest, KeepsTheFilePermissions) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1 + entry2);
  std::filesystem::permissions(root.path() / "u.mbox", std::filesystem::perms(0640));
  fs_store store(root.path());
  commit(store, {0});
  EXPECT_EQ(std::filesystem::status(root.path() / "u.mbox").permissions(),
            std::filesystem::perms(0640));
}

TEST(MboxCommitTest, LeavesNoTempOrDotlockFilesBehind) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1 + entry2);
  fs_store store(root.path());
  commit(store, {0});
  for (const auto& f : tree(root.path()))
    EXPECT_TRUE(f == "u.mbox" || f.starts_with(".u.popspec")) << f;
}

TEST(MboxCommitTest, AFolderCommitLeavesTheDefaultMaildropAlone) {
  temp_dir root;
  write_file(root.path() / "u.mbox", entry1 + entry2);
  write_file(root.path() / "u.folders" / "archive.mbox", entry3 + entry1);
  fs_store store(root.path());
  {
    auto r = store.open("u", "archive");
    const std::size_t doomed[] = {0};
    ASSERT_FALSE(r.box->commit_deletions(doomed));
  }
  EXPECT_EQ(read_file(root.path() / "u.folders" / "archive.mbox"), entry1);
  EXPECT_EQ(read_file(root.path() / "u.mbox"), entry1 + entry2);
}

TEST(MaildirCommitTest, UnlinksExactlyTheDoomedFilesAndTouchesNoOther) {
  temp_dir root;
  const auto dir = root.path() / "u";
  make_maildir(dir);
  write_file(dir / "new" / "1.a", "S: 1\n");
  write_file(dir / "cur" / "2.a:2,S", "S: 2\r\n");
  write_file(dir / "new" / "3.a", "S: 3\n");
  write_file(dir / "cur" / "4.a:2,", "S: 4");
  fs_store store(root.path());
  commit(store, {0, 2});
  EXPECT_EQ(tree(dir),
            (std::vector<std::string>{"cur", "cur/2.a:2,S", "cur/4.a:2,", "new", "tmp"}));
  EXPECT_EQ(read_file(dir / "cur" / "2.a:2,S"), "S: 2\r\n");
  EXPECT_EQ(read_file(dir / "cur" / "4.a:2,"), "S: 4");
  EXPECT_FALSE(std::filesystem::exists(root.path() / ".u.popspec" / "inbox.delete"));
}

TEST(MaildirCommitTest, DeletesAMessageAnMuaMovedAfterOpen) {
  temp_dir root;
  const auto dir = root.path() / "u";
  make_maildir(dir);
  write_file(dir / "new" / "1.a", "S: 1\n");
  fs_store store(root.path());
  auto r = store.open("u");
  std::filesystem::rename(dir / "new" / "1.a", dir / "cur" / "1.a:2,S");
  const std::size_t doomed[] = {0};
  ASSERT_FALSE(r.box->commit_deletions(doomed));
  EXPECT_EQ(tree(dir), (std::vector<std::string>{"cur", "new", "tmp"}));
}

class RollbackTest : public ::testing::TestWithParam<bool> {};

TEST_P(RollbackTest, DestroyingWithoutCommitChangesNoMail) {
  temp_dir root;
  if (GetParam()) {
    make_maildir(root.path() / "u");
    write_file(root.path() / "u" / "new" / "1.a", "S: 1\n");
    write_file(root.path() / "u" / "new" / "2.a", "S: 2\n");
  } else {
    write_file(root.path() / "u.mbox", entry1 + entry2);
  }
  fs_store store(root.path());
  { auto warm = store.open("u"); }  // the first open may write the uid side file
  const auto files_before = tree(root.path());
  std::vector<std::string> contents_before;
  for (const auto& f : files_before)
    if (std::filesystem::is_regular_file(root.path() / f))
      contents_before.push_back(read_file(root.path() / f));
  {
    auto r = store.open("u");
    ASSERT_EQ(r.status, open_status::ok);
    std::string wire;
    ASSERT_FALSE(r.box->content(0, wire));
  }  // dropped connection: no commit
  EXPECT_EQ(tree(root.path()), files_before);
  std::vector<std::string> contents_after;
  for (const auto& f : tree(root.path()))
    if (std::filesystem::is_regular_file(root.path() / f))
      contents_after.push_back(read_file(root.path() / f));
  EXPECT_EQ(contents_after, contents_before);
}

TEST_P(RollbackTest, ASecondCommitIsRefused) {
  temp_dir root;
  if (GetParam()) {
    make_maildir(root.path() / "u");
    write_file(root.path() / "u" / "new" / "1.a", "S: 1\n");
    write_file(root.path() / "u" / "new" / "2.a", "S: 2\n");
  } else {
    write_file(root.path() / "u.mbox", entry1 + entry2);
  }
  fs_store store(root.path());
  auto r = store.open("u");
  const std::size_t first[] = {0};
  ASSERT_FALSE(r.box->commit_deletions(first));
  const std::size_t second[] = {1};
  EXPECT_EQ(r.box->commit_deletions(second), std::errc::operation_not_permitted);
  r.box.reset();
  auto again = store.open("u");
  EXPECT_EQ(again.box->messages().size(), 1u);
}

TEST_P(RollbackTest, AnOutOfRangeIndexChangesNothing) {
  temp_dir root;
  if (GetParam()) {
    make_maildir(root.path() / "u");
    write_file(root.path() / "u" / "new" / "1.a", "S: 1\n");
  } else {
    write_file(root.path() / "u.mbox", entry1);
  }
  fs_store store(root.path());
  auto r = store.open("u");
  const std::size_t doomed[] = {0, 1};
  EXPECT_EQ(r.box->commit_deletions(doomed), std::errc::invalid_argument);
  r.box.reset();
  EXPECT_EQ(store.open("u").box->messages().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Formats, RollbackTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Maildir" : "Mbox"; });
