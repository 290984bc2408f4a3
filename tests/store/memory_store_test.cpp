#include "popspec/store/memory_store.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

using popspec::store::memory_store;
using popspec::store::memory_store_options;
using popspec::store::open_status;

namespace {

std::vector<std::string> three() {
  return {"Subject: 1\r\n\r\none\r\n", "Subject: 2\r\n\r\ntwo\r\n", "Subject: 3\r\n\r\nthree\r\n"};
}

}  // namespace

TEST(MemoryStoreTest, OpensAMailboxWithItsMessagesUidsAndWireSizes) {
  memory_store s;
  s.add_mailbox("u", "", three());
  auto r = s.open("u");
  ASSERT_EQ(r.status, open_status::ok);
  ASSERT_EQ(r.box->messages().size(), 3u);
  std::set<std::string> uids;
  for (std::size_t i = 0; i < 3; ++i) {
    std::string wire;
    ASSERT_FALSE(r.box->content(i, wire));
    EXPECT_EQ(wire, three()[i]);
    EXPECT_EQ(r.box->messages()[i].size, wire.size());
    uids.insert(r.box->messages()[i].uid);
  }
  EXPECT_EQ(uids.size(), 3u);
}

TEST(MemoryStoreTest, MissingDefaultMaildropOpensEmpty) {
  memory_store s;
  auto r = s.open("nobody");
  ASSERT_EQ(r.status, open_status::ok);
  EXPECT_TRUE(r.box->messages().empty());
  EXPECT_FALSE(r.box->commit_deletions({}));
}

TEST(MemoryStoreTest, MissingNamedMailboxIsNoSuchMailbox) {
  memory_store s;
  s.add_mailbox("u", "", three());
  EXPECT_EQ(s.open("u", "archive").status, open_status::no_such_mailbox);
}

TEST(MemoryStoreTest, NamedMailboxesAreSeparateFromTheDefault) {
  memory_store s;
  s.add_mailbox("u", "", three());
  s.add_mailbox("u", "old mail", {"Subject: x\r\n\r\n"});
  auto def = s.open("u");
  auto folder = s.open("u", "old mail");
  ASSERT_EQ(def.status, open_status::ok);
  ASSERT_EQ(folder.status, open_status::ok);
  EXPECT_EQ(folder.box->messages().size(), 1u);
}

TEST(MemoryStoreTest, UnsafeNamesAreInvalid) {
  memory_store s;
  s.add_mailbox("../x", "", three());
  EXPECT_EQ(s.open("../x").status, open_status::invalid_name);
  EXPECT_EQ(s.open("").status, open_status::invalid_name);
  EXPECT_EQ(s.open("u", "../archive").status, open_status::invalid_name);
  EXPECT_EQ(s.open("u", std::string_view("a\0b", 3)).status, open_status::invalid_name);
}

TEST(MemoryStoreTest, SecondOpenIsInUseUntilTheFirstMailboxDies) {
  memory_store s;
  s.add_mailbox("u", "", three());
  {
    auto first = s.open("u");
    ASSERT_EQ(first.status, open_status::ok);
    EXPECT_TRUE(s.is_locked("u"));
    auto second = s.open("u");
    EXPECT_EQ(second.status, open_status::in_use);
    EXPECT_EQ(second.box, nullptr);
    // Other users and other mailboxes of the same user are not affected.
    EXPECT_EQ(s.open("v").status, open_status::ok);
  }
  EXPECT_FALSE(s.is_locked("u"));
  EXPECT_EQ(s.open("u").status, open_status::ok);
}

TEST(MemoryStoreTest, LockingCanBeDisabledForTheNoLockFault) {
  memory_store s(memory_store_options{.locking = false});
  s.add_mailbox("u", "", three());
  auto first = s.open("u");
  auto second = s.open("u");
  EXPECT_EQ(first.status, open_status::ok);
  EXPECT_EQ(second.status, open_status::ok);
  EXPECT_FALSE(s.is_locked("u"));
}

TEST(MemoryStoreTest, CommitRemovesExactlyTheGivenIndicesAndIsVisibleToTheNextOpen) {
  memory_store s;
  s.add_mailbox("u", "", three());
  const auto before = s.uids("u");
  {
    auto r = s.open("u");
    const std::size_t doomed[] = {0, 2};
    ASSERT_FALSE(r.box->commit_deletions(doomed));
    // The open mailbox keeps its snapshot.
    EXPECT_EQ(r.box->messages().size(), 3u);
  }
  EXPECT_EQ(s.contents("u"), std::vector<std::string>{three()[1]});
  EXPECT_EQ(s.uids("u"), std::vector<std::string>{before[1]});
  auto again = s.open("u");
  ASSERT_EQ(again.box->messages().size(), 1u);
  EXPECT_EQ(again.box->messages()[0].uid, before[1]);
  EXPECT_EQ(s.commit_count(), 1u);
}

TEST(MemoryStoreTest, DestroyingWithoutCommitChangesNothing) {
  memory_store s;
  s.add_mailbox("u", "", three());
  const auto uids = s.uids("u");
  { auto r = s.open("u"); }
  EXPECT_EQ(s.contents("u"), three());
  EXPECT_EQ(s.uids("u"), uids);
  EXPECT_EQ(s.commit_count(), 0u);
}

TEST(MemoryStoreTest, CommitWithAnOutOfRangeIndexChangesNothing) {
  memory_store s;
  s.add_mailbox("u", "", three());
  auto r = s.open("u");
  const std::size_t doomed[] = {0, 3};
  EXPECT_TRUE(r.box->commit_deletions(doomed));
  EXPECT_EQ(s.contents("u"), three());
}

TEST(MemoryStoreTest, CommitIsAllowedOnlyOnce) {
  memory_store s;
  s.add_mailbox("u", "", three());
  auto r = s.open("u");
  const std::size_t first[] = {0};
  ASSERT_FALSE(r.box->commit_deletions(first));
  const std::size_t second[] = {1};
  EXPECT_TRUE(r.box->commit_deletions(second));
  EXPECT_EQ(s.contents("u").size(), 2u);
}

TEST(MemoryStoreTest, MailDeliveredWhileOpenSurvivesTheCommitAndGetsAFreshUid) {
  memory_store s;
  s.add_mailbox("u", "", three());
  auto r = s.open("u");
  s.deliver("u", "", "Subject: new\r\n\r\n");
  EXPECT_EQ(r.box->messages().size(), 3u);
  const std::size_t all[] = {0, 1, 2};
  ASSERT_FALSE(r.box->commit_deletions(all));
  EXPECT_EQ(s.contents("u"), std::vector<std::string>{"Subject: new\r\n\r\n"});
  const auto uid = s.uids("u").at(0);
  for (const auto& m : r.box->messages()) EXPECT_NE(m.uid, uid);
}

TEST(MemoryStoreTest, UidsAreDeterministicAndNeverReused) {
  memory_store a;
  memory_store b;
  a.add_mailbox("u", "", three());
  b.add_mailbox("u", "", three());
  EXPECT_EQ(a.uids("u"), b.uids("u"));

  const auto old = a.uids("u");
  a.add_mailbox("u", "", three());  // replaced: same content, new UIDs
  for (const auto& uid : a.uids("u")) EXPECT_EQ(std::count(old.begin(), old.end(), uid), 0);

  for (const auto& uid : a.uids("u")) {
    EXPECT_GE(uid.size(), 1u);
    EXPECT_LE(uid.size(), 70u);
    for (unsigned char c : uid) EXPECT_TRUE(c >= 0x21 && c <= 0x7e);
  }
}

TEST(MemoryStoreTest, IdenticalMessagesGetDistinctUids) {
  memory_store s;
  s.add_mailbox("u", "", {"same\r\n", "same\r\n"});
  const auto uids = s.uids("u");
  ASSERT_EQ(uids.size(), 2u);
  EXPECT_NE(uids[0], uids[1]);
}

TEST(MemoryStoreTest, InjectedCommitFailureChangesNothing) {
  memory_store s;
  s.add_mailbox("u", "", three());
  s.fail_commits(std::make_error_code(std::errc::io_error));
  auto r = s.open("u");
  const std::size_t doomed[] = {1};
  EXPECT_EQ(r.box->commit_deletions(doomed), std::errc::io_error);
  EXPECT_EQ(s.contents("u"), three());
}

TEST(MemoryStoreTest, InjectedContentFailureIsReported) {
  memory_store s;
  s.add_mailbox("u", "", three());
  s.fail_content(std::make_error_code(std::errc::io_error));
  auto r = s.open("u");
  std::string wire;
  EXPECT_EQ(r.box->content(0, wire), std::errc::io_error);
}

TEST(MemoryStoreTest, MailboxMayOutliveTheStore) {
  std::unique_ptr<popspec::store::mailbox> box;
  {
    memory_store s;
    s.add_mailbox("u", "", three());
    box = s.open("u").box;
  }
  std::string wire;
  EXPECT_FALSE(box->content(0, wire));
  box.reset();
}

TEST(MemoryStoreTest, RecordedAccessIsVisibleToTheNextOpen) {
  memory_store s;
  s.add_mailbox("u", "", three());
  {
    auto r = s.open("u");
    for (const auto& m : r.box->messages()) EXPECT_FALSE(m.accessed);
    const std::size_t read[] = {0, 1};
    ASSERT_FALSE(r.box->record_access(read));
    // The snapshot of this session does not change.
    EXPECT_FALSE(r.box->messages()[0].accessed);
    const std::size_t doomed[] = {0};
    ASSERT_FALSE(r.box->commit_deletions(doomed));
  }
  EXPECT_EQ(s.accessed("u"), (std::vector<bool>{true, false}));
  auto r = s.open("u");
  ASSERT_EQ(r.box->messages().size(), 2u);
  EXPECT_TRUE(r.box->messages()[0].accessed);
  EXPECT_FALSE(r.box->messages()[1].accessed);
}

TEST(MemoryStoreTest, RecordAccessWithAnOutOfRangeIndexChangesNothing) {
  memory_store s;
  s.add_mailbox("u", "", three());
  auto r = s.open("u");
  const std::size_t read[] = {0, 7};
  EXPECT_TRUE(r.box->record_access(read));
  EXPECT_EQ(s.accessed("u"), (std::vector<bool>{false, false, false}));
}
