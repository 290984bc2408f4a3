// Unsafe user and mailbox names are refused before the file system is touched.
#include <gtest/gtest.h>

#include "popspec/store/fs_store.hpp"
#include "store_test_support.hpp"

using namespace popspec::store;
using namespace popspec::store::testing;
using namespace std::string_literals;

TEST(FsStoreNamesTest, UnsafeUserNamesAreInvalidAndCreateNothing) {
  temp_dir root;
  write_file(root.path() / "victim", "do not touch\n");
  fs_store store(root.path() / "maildrops");
  std::filesystem::create_directories(root.path() / "maildrops");
  for (const std::string& bad :
       {"../victim"s, "/"s, "a\0b"s, "."s, ".."s, ""s, ".popspec"s, "a/b"s, "../../etc/passwd"s}) {
    auto r = store.open(bad);
    EXPECT_EQ(r.status, open_status::invalid_name) << bad;
    EXPECT_EQ(r.box, nullptr);
  }
  EXPECT_EQ(tree(root.path()), (std::vector<std::string>{"maildrops", "victim"}));
  EXPECT_EQ(read_file(root.path() / "victim"), "do not touch\n");
}

TEST(FsStoreNamesTest, UnsafeMailboxNamesAreInvalidAndCreateNothing) {
  temp_dir root;
  fs_store store(root.path());
  for (const std::string& bad : {"../x"s, "a/b"s, ".hidden"s, ".."s, "x\0y"s, " lead"s, "trail "s})
    EXPECT_EQ(store.open("popspec", bad).status, open_status::invalid_name) << bad;
  EXPECT_TRUE(tree(root.path()).empty());
}

TEST(FsStoreNamesTest, NamesAreCheckedEvenWhenTheRootIsMissing) {
  fs_store store("/nonexistent/popspec/root");
  EXPECT_EQ(store.open("../x").status, open_status::invalid_name);
  EXPECT_EQ(store.open("popspec").status, open_status::io_error);
}

TEST(FsStoreNamesTest, MissingFolderIsNoSuchMailboxAndCreatesNothing) {
  temp_dir root;
  fs_store store(root.path());
  EXPECT_EQ(store.open("popspec", "archive").status, open_status::no_such_mailbox);
  EXPECT_EQ(store.open("popspec", "old mail").status, open_status::no_such_mailbox);
  EXPECT_TRUE(tree(root.path()).empty());
}

TEST(FsStoreNamesTest, MissingDefaultMaildropOpensEmptyWithoutCreatingIt) {
  temp_dir root;
  fs_store store(root.path());
  auto r = store.open("popspec");
  ASSERT_EQ(r.status, open_status::ok) << r.detail;
  EXPECT_TRUE(r.box->messages().empty());
  EXPECT_FALSE(std::filesystem::exists(root.path() / "popspec"));
  EXPECT_FALSE(std::filesystem::exists(root.path() / "popspec.mbox"));
}
