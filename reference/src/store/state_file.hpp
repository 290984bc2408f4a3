#pragma once
// The per-mailbox side file of fs_store: assigned unique-ids (mbox) and RFC 1225 "accessed"
// marks (both formats). It is never needed for the mail itself: a missing or damaged side file
// only means fresh unique-ids (mbox) and no accessed marks.
//
// Text format, one record per line, written atomically (temp file + rename):
//   popspec-state 1 <generation> <next>
//   <key> <uid> <accessed 0|1>
// mbox keys are "<md5 of the wire form>/<occurrence among identical messages>"; Maildir keys
// are the unique-id itself. mbox unique-ids are "<generation>.<counter>": the counter only
// grows, and the random generation is chosen when the side file is (re)created, so even a
// deleted side file does not make an old unique-id come back.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <system_error>

namespace popspec::store::detail {

struct state_record {
  std::string uid;
  bool accessed = false;
};

struct mailbox_state {
  std::string generation;  // 8 lower-case hex digits
  std::uint64_t next = 1;
  std::map<std::string, state_record, std::less<>> records;

  // A fresh state with a random generation.
  static mailbox_state fresh();
  // Parses `text`; false (and `out` untouched) if it is not a well-formed side file.
  static bool parse(std::string_view text, mailbox_state& out);
  std::string serialize() const;
  // A new unique-id "<generation>.<next>", advancing the counter.
  std::string allocate_uid();
};

// Loads `path`; a missing or malformed file gives mailbox_state::fresh(). Only an unreadable
// file is an error.
std::error_code load_state(const std::filesystem::path& path, mailbox_state& out);
// Atomically replaces `path` (temp file "<path>.tmp").
std::error_code save_state(const std::filesystem::path& path, const mailbox_state& state);

}  // namespace popspec::store::detail
