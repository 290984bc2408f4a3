#pragma once
// The standard test maildrop (`popspec fixture`): what the conformance suite assumes a target
// holds, so content can be checked to the octet. Documented message by message in docs/fixture.md.
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace popspec::store {

struct fixture_message {
  std::string_view name;         // short stable name, e.g. "dot-lines"
  std::string_view description;  // one sentence, for docs and reports
  std::string wire;              // RFC 822 text with CRLF line endings, as sent (unstuffed)
};

// The messages of the default maildrop, in order (message 1 first).
const std::vector<fixture_message>& standard_messages();
// The messages of the POP2 folder named `standard_folder_name` (same user).
const std::vector<fixture_message>& standard_folder_messages();
inline constexpr std::string_view standard_folder_name = "archive";

// Default accounts the embedded reference target uses; a third-party target needs the same
// shape: a user holding the fixture and a second user with an empty maildrop.
inline constexpr std::string_view default_user = "popspec";
inline constexpr std::string_view default_password = "popspec-secret";
inline constexpr std::string_view default_user2 = "popspec2";
inline constexpr std::string_view default_password2 = "popspec2-secret";

enum class maildrop_format { maildir, mbox };

// Writes the fixture for `user` under the maildrops directory `root` in `popspec serve`'s layout:
// Maildir `root/user/` (folder: `root/user/.archive/`) or mbox `root/user.mbox`
// (folder: `root/user.folders/archive.mbox`). Fails if the target already exists.
// Files are stored with LF line endings (as MTAs store mail); the Maildir files land in new/,
// the mbox is in mboxrd form (identical to mboxo here: no body line begins with ">From ").
// The message text is the same whatever `user` is (To: names default_user), so the sizes and
// MD5s of docs/fixture.md always hold. `root` is created if missing. On failure nothing is left
// behind: errc::invalid_argument (unsafe user), errc::file_exists (a maildrop of either form
// or `user.folders` exists), or the system error; `error_message` says what and where.
std::error_code write_fixture(const std::filesystem::path& root, std::string_view user,
                              maildrop_format format, std::string& error_message);

// The table of docs/fixture.md (markdown): number, name, wire octets, line count, MD5 of the
// wire form and purpose of every message, folder messages last ("archive 1", ...). A test
// keeps the document equal to this.
std::string fixture_table_markdown();

}  // namespace popspec::store
