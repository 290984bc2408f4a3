#pragma once
// Accounts: `user:password` lines (the file named by `popspec serve --users`).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace popspec::store {

// Why a users file was refused (the error_code category is "popspec.user_db").
enum class user_db_errc {
  missing_colon = 1,  // a line that is neither blank, a comment, nor user:password
  empty_password,     // "user:" (a POP3 PASS argument can never be empty)
  unsafe_user,        // the user name fails is_safe_name (it names a maildrop on disk)
  duplicate_user,     // the same user twice: which password was meant is unclear
  unreadable,         // load(): the file cannot be read
};
const std::error_category& user_db_category();
std::error_code make_error_code(user_db_errc e);

class user_db {
 public:
  user_db() = default;
  // Parses `user:password` lines; blank lines (empty or only spaces/tabs) and lines starting with
  // '#' are ignored. The password is everything after the first ':' (it may contain ':' and
  // spaces). Lines may end in LF or CRLF. On a malformed line returns an error and sets
  // `error_line` (1-based); `out` is then left unchanged.
  static std::error_code parse(std::string_view text, user_db& out, std::size_t& error_line);
  // Reads and parses the file at `path`. On error, `error_message` reads like
  // "users.txt:3: expected user:password" (or "users.txt: cannot read: No such file ...").
  static std::error_code load(const std::string& path, user_db& out, std::string& error_message);

  void add(std::string user, std::string password) {
    users_[std::move(user)] = std::move(password);
  }
  // The shared secret (password) of `user`, if the account exists. Names are case-sensitive.
  std::optional<std::string> secret(std::string_view user) const;
  bool empty() const { return users_.empty(); }
  std::size_t size() const { return users_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> users_;
};

}  // namespace popspec::store

template <>
struct std::is_error_code_enum<popspec::store::user_db_errc> : std::true_type {};
