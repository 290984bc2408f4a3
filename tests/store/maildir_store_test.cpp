// Reading Maildir maildrops through fs_store.
#include <gtest/gtest.h>

#include "popspec/store/fs_store.hpp"
#include "popspec/util/md5.hpp"
#include "store_test_support.hpp"

using namespace popspec::store;
using namespace popspec::store::testing;

TEST(MaildirStoreTest, ReadsNewAndCurInFileNameOrder) {
  temp_dir root;
  const auto dir = root.path() / "u";
  make_maildir(dir);
  write_file(dir / "cur" / "200.M2.host:2,S", "S: 2\n\ntwo\n");
  write_file(dir / "new" / "100.M1.host", "S: 1\n\none\n");
  write_file(dir / "new" / "300.M3.host", "S: 3\r\n\r\nthree\r\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok) << r.detail;
  EXPECT_EQ(all_contents(*r.box),
            (std::vector<std::string>{"S: 1\r\n\r\none\r\n", "S: 2\r\n\r\ntwo\r\n",
                                      "S: 3\r\n\r\nthree\r\n"}));
  EXPECT_EQ(all_uids(*r.box),
            (std::vector<std::string>{"100.M1.host", "200.M2.host", "300.M3.host"}));
}

TEST(MaildirStoreTest, IgnoresTmpDotFilesAndDirectories) {
  temp_dir root;
  const auto dir = root.path() / "u";
  make_maildir(dir);
  write_file(dir / "tmp" / "1.partial", "S: x\n");
  write_file(dir / "new" / ".hidden", "S: x\n");
  std::filesystem::create_directories(dir / "cur" / "subdir");
  write_file(dir / "new" / "1.real", "S: real\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  EXPECT_EQ(all_contents(*r.box), (std::vector<std::string>{"S: real\r\n"}));
}

TEST(MaildirStoreTest, MissingSubdirectoriesReadAsEmpty) {
  temp_dir root;
  std::filesystem::create_directories(root.path() / "u");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok) << r.detail;
  EXPECT_TRUE(r.box->messages().empty());
}

TEST(MaildirStoreTest, IsPreferredOverAnMboxOfTheSameUser) {
  temp_dir root;
  make_maildir(root.path() / "u");
  write_file(root.path() / "u" / "new" / "1.a", "S: maildir\n");
  write_file(root.path() / "u.mbox", "From a d\nS: mbox\n\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  EXPECT_EQ(all_contents(*r.box), (std::vector<std::string>{"S: maildir\r\n"}));
}

TEST(MaildirStoreTest, SizesAreWireOctetsAndFinalLineGetsCrlf) {
  temp_dir root;
  make_maildir(root.path() / "u");
  write_file(root.path() / "u" / "new" / "1.a", "S: 1\n\nno newline");
  write_file(root.path() / "u" / "new" / "2.a", "");
  write_file(root.path() / "u" / "new" / "3.a", "S: 3\r\n\r\n.\r\nmixed\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  const auto wires = all_contents(*r.box);
  EXPECT_EQ(wires, (std::vector<std::string>{"S: 1\r\n\r\nno newline\r\n", "",
                                             "S: 3\r\n\r\n.\r\nmixed\r\n"}));
  for (std::size_t i = 0; i < wires.size(); ++i)
    EXPECT_EQ(r.box->messages()[i].size, wires[i].size());
}

TEST(MaildirStoreTest, UidIsTheUniquePartOrItsMd5) {
  temp_dir root;
  make_maildir(root.path() / "u");
  const std::string long_name(80, 'x');
  write_file(root.path() / "u" / "cur" / "1.ok:2,RS", "a\n");
  write_file(root.path() / "u" / "cur" / (long_name + ":2,"), "b\n");
  write_file(root.path() / "u" / "new" / "3 with space", "c\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  EXPECT_EQ(all_uids(*r.box),
            (std::vector<std::string>{"1.ok", popspec::util::md5_hex("3 with space"),
                                      popspec::util::md5_hex(long_name)}));
}

TEST(MaildirStoreTest, SameUniquePartInNewAndCurGetsDistinctUids) {
  temp_dir root;
  make_maildir(root.path() / "u");
  write_file(root.path() / "u" / "new" / "1.dup", "a\n");
  write_file(root.path() / "u" / "cur" / "1.dup:2,S", "b\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  const auto uids = all_uids(*r.box);
  ASSERT_EQ(uids.size(), 2u);
  EXPECT_NE(uids[0], uids[1]);
}

TEST(MaildirStoreTest, FindsAMessageAnMuaMovedToCurAfterOpen) {
  temp_dir root;
  make_maildir(root.path() / "u");
  write_file(root.path() / "u" / "new" / "1.a", "S: moved\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  std::filesystem::rename(root.path() / "u" / "new" / "1.a", root.path() / "u" / "cur" / "1.a:2,S");
  std::string wire;
  ASSERT_FALSE(r.box->content(0, wire));
  EXPECT_EQ(wire, "S: moved\r\n");
}

TEST(MaildirStoreTest, AMessageRemovedBehindOurBackIsAContentError) {
  temp_dir root;
  make_maildir(root.path() / "u");
  write_file(root.path() / "u" / "new" / "1.a", "S: gone\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  std::filesystem::remove(root.path() / "u" / "new" / "1.a");
  std::string wire;
  EXPECT_TRUE(r.box->content(0, wire));
}

TEST(MaildirStoreTest, FolderIsAMaildirPlusPlusSubfolder) {
  temp_dir root;
  make_maildir(root.path() / "u");
  make_maildir(root.path() / "u" / ".old mail");
  write_file(root.path() / "u" / ".old mail" / "new" / "1.a", "S: old\n");
  fs_store store(root.path());
  auto r = store.open("u", "old mail");
  ASSERT_EQ(r.status, open_status::ok) << r.detail;
  EXPECT_EQ(all_contents(*r.box), (std::vector<std::string>{"S: old\r\n"}));
  // The folder's messages are not part of the default maildrop.
  auto inbox = store.open("u");
  ASSERT_EQ(inbox.status, open_status::ok);
  EXPECT_TRUE(inbox.box->messages().empty());
}
