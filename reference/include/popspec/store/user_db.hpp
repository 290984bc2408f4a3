#pragma once
// Accounts: `user:password` lines (the file named by `popspec serve --users`).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace popspec::store {

class user_db {
public:
  user_db() = default;
  // Parses `user:password` lines; blank lines and lines starting with '#' are ignored. The
  // password is everything after the first ':' (it may contain ':' and spaces). On a malformed
  // line returns an error and sets `error_line` (1-based).
  static std::error_code parse(std::string_view text, user_db& out, std::size_t& error_line);
  static std::error_code load(const std::string& path, user_db& out, std::string& error_message);

  void add(std::string user, std::string password) { users_[std::move(user)] = std::move(password); }
  // The shared secret (password) of `user`, if the account exists.
  std::optional<std::string> secret(std::string_view user) const;
  bool empty() const { return users_.empty(); }

private:
  std::map<std::string, std::string, std::less<>> users_;
};

}  // namespace popspec::store
