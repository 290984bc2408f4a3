#include "popspec/store/fs_store.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "fs_mailboxes.hpp"
#include "popspec/store/names.hpp"

namespace popspec::store {

namespace {

bool is_dir(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

fs_store::fs_store(std::filesystem::path root, fs_store_options options)
    : root_(std::move(root)), options_(std::move(options)) {}

open_result fs_store::open(std::string_view user, std::string_view mailbox_name) {
  using detail::open_failure;
  // Names are checked before any path is even built from them.
  if (!is_safe_name(user)) return open_failure(open_status::invalid_name, "unsafe user name");
  if (!mailbox_name.empty() && !is_safe_mailbox_name(mailbox_name))
    return open_failure(open_status::invalid_name, "unsafe mailbox name");
  if (!is_dir(root_))
    return open_failure(open_status::io_error,
                        "maildrops directory " + root_.string() + " does not exist");

  const std::string u(user);
  const std::string name(mailbox_name);
  const std::filesystem::path maildir = name.empty() ? root_ / u : root_ / u / ("." + name);
  const std::filesystem::path mbox =
      name.empty() ? root_ / (u + ".mbox") : root_ / (u + ".folders") / (name + ".mbox");
  // A missing folder is refused before anything (even a lock file) is created for it.
  if (!name.empty() && !is_dir(maildir) && !is_file(mbox))
    return open_failure(open_status::no_such_mailbox, "no mailbox named \"" + name + "\"");

  const std::filesystem::path state_dir = root_ / ("." + u + ".popspec");
  if (::mkdir(state_dir.c_str(), 0700) != 0 && errno != EEXIST)
    return open_failure(open_status::io_error, "cannot create " + state_dir.string() + ": " +
                                                   detail::last_error().message());
  const std::string key = name.empty() ? "inbox" : "folder." + name;

  detail::fs_mailbox_context context;
  context.state_path = state_dir / (key + ".state");
  context.journal_path = state_dir / (key + ".delete");
  context.variant = options_.mbox;
  context.commit_hook = options_.commit_hook;
  if (options_.locking) {
    bool busy = false;
    if (auto ec = context.lock.try_lock(state_dir / (key + ".lock"), busy))
      return open_failure(open_status::io_error, "cannot lock the maildrop: " + ec.message());
    if (busy)
      return open_failure(open_status::in_use, "maildrop already locked by another session");
  }
  // Decided under the lock: the Maildir wins when both forms exist.
  if (is_dir(maildir)) {
    context.path = maildir;
    return detail::open_maildir(std::move(context));
  }
  if (!name.empty() && !is_file(mbox))
    return open_failure(open_status::no_such_mailbox, "no mailbox named \"" + name + "\"");
  context.path = mbox;
  return detail::open_mbox(std::move(context));
}

namespace detail {

bool is_valid_uid(std::string_view uid) {
  if (uid.empty() || uid.size() > 70) return false;
  for (unsigned char c : uid)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

}  // namespace detail

}  // namespace popspec::store
