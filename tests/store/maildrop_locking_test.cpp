// The exclusive maildrop lock (RFC 1939 §4): within one process and across processes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "popspec/store/fs_store.hpp"
#include "store_test_support.hpp"

using namespace popspec::store;
using namespace popspec::store::testing;

namespace {

// Runs `child` in a forked process and returns its exit status (0..255), or -1 on a signal.
template <typename F>
int in_child(F child) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(child());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int status_code(open_status s) {
  return static_cast<int>(s);
}

}  // namespace

class LockingTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      make_maildir(root_.path() / "u");
      make_maildir(root_.path() / "u" / ".archive");
      write_file(root_.path() / "u" / "new" / "1.a", "S: 1\n");
    } else {
      write_file(root_.path() / "u.mbox", "From a d\nS: 1\n\n");
      write_file(root_.path() / "u.folders" / "archive.mbox", "From a d\nS: old\n\n");
    }
  }
  temp_dir root_;
};

TEST_P(LockingTest, SecondOpenInTheSameProcessIsInUse) {
  fs_store store(root_.path());
  auto first = store.open("u");
  ASSERT_EQ(first.status, open_status::ok) << first.detail;
  EXPECT_EQ(store.open("u").status, open_status::in_use);
  // Even through another store instance on the same root.
  fs_store other(root_.path());
  EXPECT_EQ(other.open("u").status, open_status::in_use);
}

TEST_P(LockingTest, LockIsReleasedWhenTheMailboxDies) {
  fs_store store(root_.path());
  {
    auto first = store.open("u");
    ASSERT_EQ(first.status, open_status::ok);
  }
  EXPECT_EQ(store.open("u").status, open_status::ok);
}

TEST_P(LockingTest, LockIsReleasedAfterACommit) {
  fs_store store(root_.path());
  {
    auto first = store.open("u");
    const std::size_t doomed[] = {0};
    ASSERT_FALSE(first.box->commit_deletions(doomed));
  }
  EXPECT_EQ(store.open("u").status, open_status::ok);
}

TEST_P(LockingTest, FoldersAndOtherUsersAreLockedSeparately) {
  fs_store store(root_.path());
  auto inbox = store.open("u");
  ASSERT_EQ(inbox.status, open_status::ok);
  auto folder = store.open("u", "archive");
  EXPECT_EQ(folder.status, open_status::ok) << folder.detail;
  EXPECT_EQ(store.open("u", "archive").status, open_status::in_use);
  EXPECT_EQ(store.open("v").status, open_status::ok);
}

TEST_P(LockingTest, AnotherProcessSeesTheMaildropInUse) {
  fs_store store(root_.path());
  auto held = store.open("u");
  ASSERT_EQ(held.status, open_status::ok);
  const int seen = in_child([&] {
    fs_store child_store(root_.path());
    return status_code(child_store.open("u").status);
  });
  EXPECT_EQ(seen, status_code(open_status::in_use));
  held.box.reset();
  const int after = in_child([&] {
    fs_store child_store(root_.path());
    return status_code(child_store.open("u").status);
  });
  EXPECT_EQ(after, status_code(open_status::ok));
}

TEST_P(LockingTest, ALockHeldByAnotherProcessExcludesUs) {
  int ready[2];
  int release[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    fs_store child_store(root_.path());
    auto r = child_store.open("u");
    char c = r.status == open_status::ok ? 'y' : 'n';
    if (::write(ready[1], &c, 1) != 1) ::_exit(2);
    if (::read(release[0], &c, 1) != 1) ::_exit(3);
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  fs_store store(root_.path());
  EXPECT_EQ(store.open("u").status, open_status::in_use);
  c = 'x';
  ASSERT_EQ(::write(release[1], &c, 1), 1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_EQ(store.open("u").status, open_status::ok);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) ::close(fd);
}

TEST_P(LockingTest, ALockOfAKilledProcessIsReleased) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    fs_store child_store(root_.path());
    auto r = child_store.open("u");
    ::raise(SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  fs_store store(root_.path());
  EXPECT_EQ(store.open("u").status, open_status::ok);
}

TEST_P(LockingTest, DisabledLockingAllowsTwoSessionsForTheNoLockFault) {
  fs_store_options options;
  options.locking = false;
  fs_store store(root_.path(), options);
  auto first = store.open("u");
  auto second = store.open("u");
  EXPECT_EQ(first.status, open_status::ok);
  EXPECT_EQ(second.status, open_status::ok);
}

INSTANTIATE_TEST_SUITE_P(Formats, LockingTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Maildir" : "Mbox"; });

TEST(LockingEmptyTest, AMissingDefaultMaildropIsLockedToo) {
  temp_dir root;
  fs_store store(root.path());
  auto first = store.open("nobody");
  ASSERT_EQ(first.status, open_status::ok);
  EXPECT_EQ(store.open("nobody").status, open_status::in_use);
}
