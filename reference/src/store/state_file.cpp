#include "state_file.hpp"

#include <charconv>
#include <random>

#include "posix_file.hpp"

namespace popspec::store::detail {

namespace {

constexpr std::string_view magic = "popspec-state 1 ";

bool is_token(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

bool is_uid(std::string_view s) {
  return s.size() <= 70 && is_token(s);
}

// Splits off the next space-separated field of `line`.
std::string_view next_field(std::string_view& line) {
  const auto space = line.find(' ');
  std::string_view field = line.substr(0, space);
  line = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
  return field;
}

}  // namespace

mailbox_state mailbox_state::fresh() {
  std::random_device device;
  std::uniform_int_distribution<std::uint32_t> dist;
  static constexpr char hex[] = "0123456789abcdef";
  mailbox_state state;
  std::uint32_t value = dist(device);
  state.generation.resize(8);
  for (int i = 7; i >= 0; --i, value >>= 4)
    state.generation[static_cast<std::size_t>(i)] = hex[value & 0xf];
  return state;
}

bool mailbox_state::parse(std::string_view text, mailbox_state& out) {
  mailbox_state parsed;
  const auto first_lf = text.find('\n');
  if (first_lf == std::string_view::npos) return false;
  std::string_view header = text.substr(0, first_lf);
  if (!header.starts_with(magic)) return false;
  header.remove_prefix(magic.size());
  parsed.generation = std::string(next_field(header));
  const std::string_view next = next_field(header);
  if (!header.empty() || parsed.generation.size() != 8 || !is_token(parsed.generation))
    return false;
  const auto [ptr, ec] = std::from_chars(next.data(), next.data() + next.size(), parsed.next);
  if (ec != std::errc{} || ptr != next.data() + next.size() || parsed.next == 0) return false;

  text.remove_prefix(first_lf + 1);
  while (!text.empty()) {
    const auto lf = text.find('\n');
    if (lf == std::string_view::npos) return false;  // a torn last line: not ours to trust
    std::string_view line = text.substr(0, lf);
    text.remove_prefix(lf + 1);
    const std::string_view key = next_field(line);
    const std::string_view uid = next_field(line);
    const std::string_view accessed = next_field(line);
    if (!line.empty() || !is_token(key) || !is_uid(uid) || (accessed != "0" && accessed != "1"))
      return false;
    parsed.records[std::string(key)] = {std::string(uid), accessed == "1"};
  }
  out = std::move(parsed);
  return true;
}

std::string mailbox_state::serialize() const {
  std::string out(magic);
  out.append(generation).append(" ").append(std::to_string(next)).append("\n");
  for (const auto& [key, record] : records)
    out.append(key).append(" ").append(record.uid).append(record.accessed ? " 1\n" : " 0\n");
  return out;
}

std::string mailbox_state::allocate_uid() {
  return generation + "." + std::to_string(next++);
}

std::error_code load_state(const std::filesystem::path& path, mailbox_state& out) {
  std::string text;
  bool exists = false;
  if (auto ec = read_file(path, text, exists)) return ec;
  if (!exists || !mailbox_state::parse(text, out)) out = mailbox_state::fresh();
  return {};
}

std::error_code save_state(const std::filesystem::path& path, const mailbox_state& state) {
  return replace_file(path, path.string() + ".tmp", state.serialize());
}

}  // namespace popspec::store::detail
