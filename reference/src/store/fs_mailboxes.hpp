#pragma once
// The two on-disk mailbox kinds behind fs_store (private to src/store).
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "popspec/store/fs_store.hpp"
#include "posix_file.hpp"

namespace popspec::store::detail {

// Everything an opened mailbox needs; the lock is already held (or locking is off).
struct fs_mailbox_context {
  std::filesystem::path path;          // the mbox file or the Maildir directory
  std::filesystem::path state_path;    // root/.U.popspec/KEY.state
  std::filesystem::path journal_path;  // root/.U.popspec/KEY.delete (Maildir only)
  mbox_variant variant = mbox_variant::mboxrd;
  std::function<void(std::string_view)> commit_hook;
  file_lock lock;

  void hook(std::string_view step) const {
    if (commit_hook) commit_hook(step);
  }
};

// Opens an mbox file (a missing file is an empty mailbox).
open_result open_mbox(fs_mailbox_context context);
// Opens a Maildir directory (missing cur/ or new/ read as empty).
open_result open_maildir(fs_mailbox_context context);

// RFC 1939 unique-id syntax: 1..70 octets in 0x21..0x7E.
bool is_valid_uid(std::string_view uid);

inline open_result open_failure(open_status status, std::string detail) {
  open_result result;
  result.status = status;
  result.detail = std::move(detail);
  return result;
}

}  // namespace popspec::store::detail
