#pragma once
// The maildrop store: what the POP3 and POP2 session state machines see of stored mail.
// Implementations: fs_store (mbox and Maildir on disk) and memory_store (tests and fuzzing).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace popspec::store {

struct message_info {
  // RFC 1939 unique-id: 1..70 octets, each 0x21..0x7E, unique within the mailbox and stable
  // across sessions and server restarts.
  std::string uid;
  // Octets of the wire form (CRLF line endings, before POP3 dot-stuffing): what LIST/STAT
  // report and what POP2's =ccc counts.
  std::uint64_t size = 0;
  // RFC 1225 LAST: whether an earlier session that ended in UPDATE retrieved this message (see
  // mailbox::record_access). The "highest number accessed" at session start derives from it.
  bool accessed = false;
};

// An opened mailbox, held under an exclusive lock for the lifetime of this object. The message
// list is a snapshot taken at open time. Destroying it releases the lock and commits nothing:
// a dropped connection never deletes mail.
class mailbox {
 public:
  virtual ~mailbox() = default;
  virtual const std::vector<message_info>& messages() const = 0;
  // Wire form of message `index` (0-based): CRLF line endings, no dot-stuffing. Returns an error
  // if the stored message can no longer be read.
  virtual std::error_code content(std::size_t index, std::string& out) const = 0;
  // Removes the messages at these 0-based indices, atomically: after a crash at any point the
  // mailbox holds either all of its messages or exactly the survivors. Called once, in UPDATE.
  virtual std::error_code commit_deletions(std::span<const std::size_t> indices) = 0;
  // Persists, in UPDATE (before commit_deletions), that these messages (0-based) were retrieved,
  // so a later session sees message_info::accessed set. Never alters message content (mbox: kept
  // beside the uids; Maildir: likewise, not by renaming files). Only RFC 1225's LAST needs it.
  virtual std::error_code record_access(std::span<const std::size_t> indices) = 0;
};

enum class open_status {
  ok,
  in_use,           // another session (in this process or another) holds the lock
  no_such_mailbox,  // a named (non-default) mailbox that does not exist
  invalid_name,     // a user or mailbox name that must never reach the file system
  io_error,
};

struct open_result {
  open_status status = open_status::io_error;
  std::unique_ptr<mailbox> box;  // set when status == ok
  std::string detail;            // human-readable reason when status != ok
};

class store {
 public:
  virtual ~store() = default;
  // Opens and locks `user`'s mailbox. An empty `mailbox_name` is the user's default maildrop
  // (POP3's maildrop, POP2's default mailbox); a missing default maildrop opens as empty.
  // Named mailboxes are POP2 folders (see docs/pop2.md for how they map onto storage).
  virtual open_result open(std::string_view user, std::string_view mailbox_name = {}) = 0;
};

// True when `name` may safely become one path component: non-empty, at most 64 octets, only
// [A-Za-z0-9._+-@], not starting with '.', and not "." or "..". Everything else is refused
// before the file system is touched.
bool is_safe_name(std::string_view name);

}  // namespace popspec::store
