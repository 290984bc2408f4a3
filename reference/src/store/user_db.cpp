#include "popspec/store/user_db.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "popspec/store/store.hpp"

namespace popspec::store {

namespace {

class user_db_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "popspec.user_db"; }
  std::string message(int ev) const override {
    switch (static_cast<user_db_errc>(ev)) {
      case user_db_errc::missing_colon:
        return "expected user:password";
      case user_db_errc::empty_password:
        return "empty password (expected user:password)";
      case user_db_errc::unsafe_user:
        return "user name must be 1-64 characters of [A-Za-z0-9._+-@], not starting with '.'";
      case user_db_errc::duplicate_user:
        return "user listed twice";
      case user_db_errc::unreadable:
        return "cannot read the users file";
    }
    return "unknown user_db error";
  }
};

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

const std::error_category& user_db_category() {
  static const user_db_category_impl category;
  return category;
}

std::error_code make_error_code(user_db_errc e) {
  return {static_cast<int>(e), user_db_category()};
}

std::error_code user_db::parse(std::string_view text, user_db& out, std::size_t& error_line) {
  user_db parsed;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line) || line.front() == '#') continue;

    const auto fail = [&](user_db_errc e) {
      error_line = line_number;
      return make_error_code(e);
    };
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail(user_db_errc::missing_colon);
    const std::string_view user = line.substr(0, colon);
    const std::string_view password = line.substr(colon + 1);
    if (password.empty()) return fail(user_db_errc::empty_password);
    if (!is_safe_name(user)) return fail(user_db_errc::unsafe_user);
    if (parsed.users_.contains(user)) return fail(user_db_errc::duplicate_user);
    parsed.users_.emplace(std::string(user), std::string(password));
  }
  out = std::move(parsed);
  return {};
}

std::error_code user_db::load(const std::string& path, user_db& out, std::string& error_message) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int saved = errno;
    error_message = path + ": cannot read: " + std::strerror(saved != 0 ? saved : ENOENT);
    return make_error_code(user_db_errc::unreadable);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error_message = path + ": cannot read: I/O error";
    return make_error_code(user_db_errc::unreadable);
  }
  std::size_t line = 0;
  if (auto ec = parse(buffer.str(), out, line)) {
    error_message = path + ":" + std::to_string(line) + ": " + ec.message();
    return ec;
  }
  return {};
}

std::optional<std::string> user_db::secret(std::string_view user) const {
  if (auto it = users_.find(user); it != users_.end()) return it->second;
  return std::nullopt;
}

}  // namespace popspec::store
