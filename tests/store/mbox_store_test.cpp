// Reading mbox maildrops through fs_store: variants, line endings, sizes.
#include <gtest/gtest.h>

#include "popspec/store/fs_store.hpp"
#include "store_test_support.hpp"

using namespace popspec::store;
using namespace popspec::store::testing;

namespace {

std::vector<std::string> read_mbox(const std::string& file, mbox_variant v = mbox_variant::mboxrd) {
  temp_dir root;
  write_file(root.path() / "u.mbox", file);
  fs_store_options options;
  options.mbox = v;
  fs_store store(root.path(), options);
  auto r = store.open("u");
  EXPECT_EQ(r.status, open_status::ok) << r.detail;
  if (!r.box) return {};
  return all_contents(*r.box);
}

}  // namespace

TEST(MboxStoreTest, ReadsLfStorageAsCrlfWireForm) {
  EXPECT_EQ(read_mbox("From a d\nS: 1\n\none\n\nFrom b d\nS: 2\n\ntwo\n\n"),
            (std::vector<std::string>{"S: 1\r\n\r\none\r\n", "S: 2\r\n\r\ntwo\r\n"}));
}

TEST(MboxStoreTest, ReadsCrlfStorageUnchanged) {
  EXPECT_EQ(read_mbox("From a d\r\nS: 1\r\n\r\none\r\n\r\n"),
            (std::vector<std::string>{"S: 1\r\n\r\none\r\n"}));
}

TEST(MboxStoreTest, FinalLineWithoutNewlineGetsCrlf) {
  EXPECT_EQ(read_mbox("From a d\nS: 1\n\nno newline"),
            (std::vector<std::string>{"S: 1\r\n\r\nno newline\r\n"}));
}

TEST(MboxStoreTest, EmptyMessageIsZeroOctets) {
  temp_dir root;
  write_file(root.path() / "u.mbox", "From a d\n\nFrom b d\nS: 2\n\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  ASSERT_EQ(r.box->messages().size(), 2u);
  EXPECT_EQ(r.box->messages()[0].size, 0u);
  EXPECT_EQ(all_contents(*r.box), (std::vector<std::string>{"", "S: 2\r\n"}));
}

TEST(MboxStoreTest, MboxrdUnescapesEveryQuotedFromLine) {
  EXPECT_EQ(read_mbox("From a d\nS: 1\n\n>From x\n>>From y\n\n", mbox_variant::mboxrd),
            (std::vector<std::string>{"S: 1\r\n\r\nFrom x\r\n>From y\r\n"}));
}

TEST(MboxStoreTest, MboxoUnescapesOnlySingleQuotedFromLines) {
  EXPECT_EQ(read_mbox("From a d\nS: 1\n\n>From x\n>>From y\n\n", mbox_variant::mboxo),
            (std::vector<std::string>{"S: 1\r\n\r\nFrom x\r\n>>From y\r\n"}));
}

TEST(MboxStoreTest, SizesAreWireOctets) {
  temp_dir root;
  write_file(
      root.path() / "u.mbox",
      "From a d\nS: 1\n\n>From x\n.\nend\n\nFrom b d\r\nS: 2\r\n\r\nx\r\n\r\nFrom c d\nlast");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  const auto wires = all_contents(*r.box);
  ASSERT_EQ(wires.size(), 3u);
  for (std::size_t i = 0; i < wires.size(); ++i)
    EXPECT_EQ(r.box->messages()[i].size, wires[i].size());
}

TEST(MboxStoreTest, EmptyFileIsAnEmptyMaildrop) {
  EXPECT_TRUE(read_mbox("").empty());
}

TEST(MboxStoreTest, AFileThatIsNotAnMboxIsAnIoError) {
  temp_dir root;
  write_file(root.path() / "u.mbox", "Subject: not an mbox\n\n");
  fs_store store(root.path());
  auto r = store.open("u");
  EXPECT_EQ(r.status, open_status::io_error);
  EXPECT_NE(r.detail.find("mbox"), std::string::npos);
  // The lock was released: the failure does not leave the maildrop in use.
  write_file(root.path() / "u.mbox", "");
  EXPECT_EQ(store.open("u").status, open_status::ok);
}

TEST(MboxStoreTest, FolderIsReadFromUserDotFolders) {
  temp_dir root;
  write_file(root.path() / "u.mbox", "From a d\nS: inbox\n\n");
  write_file(root.path() / "u.folders" / "old mail.mbox", "From a d\nS: old\n\n");
  fs_store store(root.path());
  auto r = store.open("u", "old mail");
  ASSERT_EQ(r.status, open_status::ok) << r.detail;
  EXPECT_EQ(all_contents(*r.box), (std::vector<std::string>{"S: old\r\n"}));
}

TEST(MboxStoreTest, DoesNotLeaveTheDotlockBehind) {
  temp_dir root;
  write_file(root.path() / "u.mbox", "From a d\nS: 1\n\n");
  fs_store store(root.path());
  {
    auto r = store.open("u");
    ASSERT_EQ(r.status, open_status::ok);
  }
  EXPECT_FALSE(std::filesystem::exists(root.path() / "u.mbox.lock"));
}

TEST(MboxStoreTest, TakesOverAStaleDotlockOfADeadProcess) {
  temp_dir root;
  write_file(root.path() / "u.mbox", "From a d\nS: 1\n\n");
  // No process has pid 2^22+1 (above the default pid_max); treat as dead.
  write_file(root.path() / "u.mbox.lock", "4194305\n");
  fs_store store(root.path());
  auto r = store.open("u");
  ASSERT_EQ(r.status, open_status::ok) << r.detail;
  EXPECT_EQ(r.box->messages().size(), 1u);
}
