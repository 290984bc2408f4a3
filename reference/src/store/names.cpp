#include "popspec/store/names.hpp"

#include "popspec/store/store.hpp"

namespace popspec::store {

namespace {

constexpr std::size_t max_name_octets = 64;

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '+' || c == '-' || c == '@';
}

}  // namespace

bool is_safe_name(std::string_view name) {
  if (name.empty() || name.size() > max_name_octets) return false;
  // A leading '.' also rules out "." and "..", and hidden files such as our own lock files.
  if (name.front() == '.') return false;
  for (char c : name)
    if (!is_name_char(c)) return false;
  return true;
}

bool is_safe_mailbox_name(std::string_view name) {
  if (name.empty() || name.size() > max_name_octets) return false;
  if (name.front() == '.' || name.front() == ' ' || name.back() == ' ') return false;
  // ".." is refused anywhere: harmless inside one component, but no real folder needs it and
  // refusing it keeps every reviewer from having to prove that.
  if (name.find("..") != std::string_view::npos) return false;
  for (char c : name)
    if (!is_name_char(c) && c != ' ') return false;
  return true;
}

}  // namespace popspec::store
