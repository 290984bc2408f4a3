#pragma once
// An in-memory store with the same semantics as fs_store: an exclusive lock per mailbox for the
// life of the opened `mailbox`, a snapshot message list, atomic commits that are visible to the
// next open. For unit tests of the session state machines and for fuzzing (no file system).
//
//   memory_store s;
//   s.add_mailbox("popspec", "", {"Subject: a\r\n\r\nbody\r\n"});
//   auto r = s.open("popspec");          // r.status == open_status::ok, locked
//   s.open("popspec").status;            // open_status::in_use while r.box lives
//   r.box->commit_deletions(...);         // s.contents("popspec") shows the survivors
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "popspec/store/store.hpp"

namespace popspec::store {

struct memory_store_options {
  // false only for fault injection (`no_lock`): a mailbox may then be opened twice at once.
  bool locking = true;
};

class memory_store final : public store {
 public:
  explicit memory_store(memory_store_options options = {});
  ~memory_store() override;
  memory_store(const memory_store&) = delete;
  memory_store& operator=(const memory_store&) = delete;

  // Creates (or replaces) mailbox `mailbox_name` of `user` ("" = the default maildrop) holding
  // these wire-form messages (CRLF, unstuffed), in order. Each message gets a fresh UID
  // "<mailbox-serial>.<n>" from a counter that never goes back, so UIDs are deterministic and
  // never reused, even after the mailbox is replaced. Names are not checked here (tests may
  // plant anything), but open() refuses unsafe ones.
  void add_mailbox(std::string user, std::string mailbox_name,
                   std::vector<std::string> wire_messages);
  // Appends one message (new mail arriving), whether or not the mailbox is open. An open
  // mailbox's snapshot does not change; the message shows up at the next open. Creates the
  // mailbox if needed.
  void deliver(std::string_view user, std::string_view mailbox_name, std::string wire_message);

  // The committed state, for assertions. An unknown mailbox reads as empty.
  std::vector<std::string> contents(std::string_view user,
                                    std::string_view mailbox_name = {}) const;
  std::vector<std::string> uids(std::string_view user, std::string_view mailbox_name = {}) const;
  // RFC 1225 LAST: which committed messages record_access has marked retrieved.
  std::vector<bool> accessed(std::string_view user, std::string_view mailbox_name = {}) const;
  // Whether the mailbox is known: added, delivered to, or (default maildrop) opened once.
  bool exists(std::string_view user, std::string_view mailbox_name = {}) const;
  // True while some opened `mailbox` of this mailbox is alive (only with locking on).
  bool is_locked(std::string_view user, std::string_view mailbox_name = {}) const;
  // How many commit_deletions calls have succeeded in total (tests of "no UPDATE, no commit").
  std::size_t commit_count() const;

  // Failure injection for tests of error paths: while set, commit_deletions and record_access
  // return this error and change nothing (RFC 1939 UPD.3: -ERR when marked messages could not be
  // removed), and content() returns `content_error` for every message.
  void fail_commits(std::error_code ec);
  void fail_content(std::error_code ec);

  // Checks names (is_safe_name / is_safe_mailbox_name), then locks. A missing default maildrop
  // opens as empty; a missing named mailbox is no_such_mailbox.
  open_result open(std::string_view user, std::string_view mailbox_name = {}) override;

  struct state;  // shared with opened mailboxes, so they may outlive the store safely

 private:
  std::shared_ptr<state> state_;
};

}  // namespace popspec::store
