#pragma once
// Maildrops on disk, in the layout `popspec serve` and `popspec fixture` use. Under the maildrops
// directory `root`, for a user U (U must pass is_safe_name):
//
//   root/U/                 U's default maildrop as a Maildir (cur/ new/ tmp/), or
//   root/U.mbox             U's default maildrop as an mbox file.
//                           If both exist, the Maildir wins (the mbox is ignored); if neither
//                           does, the maildrop is empty and nothing is created for it.
//   root/U/.NAME/           POP2 folder NAME (Maildir++ style) when it is a directory, else
//   root/U.folders/NAME.mbox  POP2 folder NAME as an mbox file; neither: no_such_mailbox.
//   root/.U.popspec/        popspec's own state for U, one set per mailbox KEY ("inbox" for the
//                           default maildrop, "folder.NAME" for a folder):
//     KEY.lock              flock(2) lock file: held for the life of an opened mailbox
//     KEY.state             unique-ids (mbox) and RFC 1225 accessed marks (both formats)
//     KEY.delete            Maildir deletion journal, present only during (or after a crash
//                           in) a commit; the next open finishes the deletions it lists
//
// mbox commits write `.<file>.popspec-tmp` next to the mbox, fsync it, rename it over the mbox
// and fsync the directory, so a crash leaves the old or the new file; a stale temp file is
// removed by the next open. While reading or rewriting an mbox, the traditional dotlock
// `<file>.lock` is held (made by link(2) from `.<file>.popspec-dotlock`, so it always holds our
// pid and a killed holder's lock is recognised as stale) so an MDA honouring it does not
// append half-way; mail appended since the session opened is kept by the commit, and a file
// rewritten by another program since then makes the commit fail without deleting anything.
// Opening needs write access to `root` (lock and state files), even for a missing maildrop.
//
// Maildir messages are the regular files of new/ and cur/ (names not starting with '.'),
// numbered in file-name order; their unique-id is the file name's unique part (before ':'), or
// its MD5 if that is not a valid unique-id. Commits unlink files and never rename anything.
#include <filesystem>
#include <functional>
#include <string_view>

#include "popspec/store/mbox_format.hpp"
#include "popspec/store/store.hpp"

namespace popspec::store {

struct fs_store_options {
  mbox_variant mbox = mbox_variant::mboxrd;  // how ">From " lines are read
  // false only for fault injection (`no_lock`): no lock file is taken.
  bool locking = true;
  // Tests only: called at each step of commit_deletions (mbox: "mbox.begin", "mbox.dotlocked",
  // "mbox.temp-partial", "mbox.temp-written", "mbox.temp-synced", "mbox.renamed",
  // "mbox.dir-synced", "mbox.state-written"; Maildir: "maildir.begin",
  // "maildir.journal-written", "maildir.unlinked" after each file, "maildir.state-written",
  // "maildir.done"), so a test can kill the process at every point of a commit.
  std::function<void(std::string_view step)> commit_hook;
};

class fs_store final : public store {
 public:
  explicit fs_store(std::filesystem::path root, fs_store_options options = {});

  open_result open(std::string_view user, std::string_view mailbox_name = {}) override;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  fs_store_options options_;
};

}  // namespace popspec::store
