// A Maildir opened by fs_store: the regular files of new/ and cur/, in file-name order. Commits
// unlink files through a journal so that a crash part-way is finished by the next open.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <set>

#include "fs_mailboxes.hpp"
#include "popspec/store/wire_form.hpp"
#include "popspec/util/md5.hpp"
#include "state_file.hpp"

namespace popspec::store::detail {

namespace {

constexpr std::string_view journal_magic = "popspec-delete 1\n";

struct maildir_file {
  std::string name;    // file name within new/ or cur/
  std::string subdir;  // "new" or "cur"
  std::string relative() const { return subdir + "/" + name; }
};

// The unique part of a Maildir file name: everything before the ':' that starts the info.
std::string_view unique_part(std::string_view name) {
  return name.substr(0, name.find(':'));
}

// Regular files of dir/sub whose names do not start with '.'. A missing subdirectory is empty.
std::error_code list_messages(const std::filesystem::path& dir, const std::string& sub,
                              std::vector<maildir_file>& out) {
  const auto path = dir / sub;
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return errno == ENOENT ? std::error_code{} : last_error();
  std::error_code result;
  errno = 0;
  while (const dirent* entry = ::readdir(d)) {
    const std::string name = entry->d_name;
    if (name.empty() || name.front() == '.') continue;
    struct stat st {};
    if (::fstatat(::dirfd(d), entry->d_name, &st, 0) != 0) {
      if (errno == ENOENT) continue;  // renamed away by an MUA while we listed
      result = last_error();
      break;
    }
    if (S_ISREG(st.st_mode)) out.push_back({name, sub});
    errno = 0;
  }
  if (!result && errno != 0) result = last_error();
  ::closedir(d);
  return result;
}

// Finds the file whose unique part is `unique` in new/ or cur/ (an MUA may have moved it or
// changed its flags since we listed it).
std::error_code find_by_unique(const std::filesystem::path& dir, std::string_view unique,
                               std::optional<maildir_file>& found) {
  found.reset();
  std::vector<maildir_file> files;
  for (const char* sub : {"new", "cur"})
    if (auto ec = list_messages(dir, sub, files)) return ec;
  for (auto& f : files)
    if (unique_part(f.name) == unique) {
      found = std::move(f);
      break;
    }
  return {};
}

// A journal line must name a plain file of new/ or cur/ and nothing else.
bool is_journal_entry(std::string_view line) {
  if (!line.starts_with("new/") && !line.starts_with("cur/")) return false;
  const std::string_view name = line.substr(4);
  return !name.empty() && name.front() != '.' && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

std::error_code unlink_message(const std::filesystem::path& dir, std::string_view relative) {
  const auto path = dir / std::string(relative);
  if (::unlink(path.c_str()) == 0) return {};
  if (errno != ENOENT) return last_error();
  // Moved by an MUA (new/ -> cur/, flags changed): find it by its unique part.
  std::optional<maildir_file> moved;
  if (auto ec = find_by_unique(dir, unique_part(relative.substr(4)), moved)) return ec;
  if (moved && ::unlink((dir / moved->relative()).c_str()) != 0 && errno != ENOENT)
    return last_error();
  return {};
}

std::error_code sync_subdirs(const std::filesystem::path& dir) {
  for (const char* sub : {"new", "cur"}) {
    const auto ec = fsync_directory(dir / sub);
    if (ec && ec != std::errc::no_such_file_or_directory) return ec;
  }
  return {};
}

// Finishes the deletions of a commit that was interrupted after its journal was written.
std::error_code replay_journal(const std::filesystem::path& dir,
                               const std::filesystem::path& journal) {
  std::string text;
  bool exists = false;
  if (auto ec = read_file(journal, text, exists)) return ec;
  if (!exists) return {};
  // The journal is written whole by rename; anything else is not ours and is ignored.
  if (text.starts_with(journal_magic)) {
    std::string_view rest = std::string_view(text).substr(journal_magic.size());
    while (!rest.empty()) {
      const auto lf = rest.find('\n');
      const std::string_view line = rest.substr(0, lf);
      rest = lf == std::string_view::npos ? std::string_view{} : rest.substr(lf + 1);
      if (!is_journal_entry(line)) continue;
      if (auto ec = unlink_message(dir, line)) return ec;
    }
    if (auto ec = sync_subdirs(dir)) return ec;
  }
  if (auto ec = remove_if_exists(journal)) return ec;
  return fsync_directory(journal.parent_path());
}

std::error_code read_message(const std::filesystem::path& dir, const maildir_file& file,
                             std::string& stored) {
  bool exists = false;
  if (auto ec = read_file(dir / file.relative(), stored, exists)) return ec;
  if (exists) return {};
  std::optional<maildir_file> moved;
  if (auto ec = find_by_unique(dir, unique_part(file.name), moved)) return ec;
  if (!moved) return std::make_error_code(std::errc::no_such_file_or_directory);
  if (auto ec = read_file(dir / moved->relative(), stored, exists)) return ec;
  return exists ? std::error_code{} : std::make_error_code(std::errc::no_such_file_or_directory);
}

class maildir_mailbox final : public mailbox {
 public:
  explicit maildir_mailbox(fs_mailbox_context context) : context_(std::move(context)) {}

  open_result load() {
    if (auto ec = replay_journal(context_.path, context_.journal_path))
      return open_failure(open_status::io_error,
                          "cannot finish an interrupted commit: " + ec.message());
    for (const char* sub : {"new", "cur"})
      if (auto ec = list_messages(context_.path, sub, files_))
        return open_failure(open_status::io_error, "cannot list the Maildir: " + ec.message());
    std::sort(files_.begin(), files_.end(), [](const maildir_file& a, const maildir_file& b) {
      return a.name != b.name ? a.name < b.name : a.subdir > b.subdir;  // "new" before "cur"
    });

    if (auto ec = load_state(context_.state_path, state_))
      return open_failure(open_status::io_error, "cannot read the state file: " + ec.message());
    std::set<std::string, std::less<>> used;
    for (const auto& file : files_) {
      std::string stored;
      if (auto ec = read_message(context_.path, file, stored))
        return open_failure(open_status::io_error,
                            "cannot read " + file.relative() + ": " + ec.message());
      const std::string_view unique = unique_part(file.name);
      std::string uid = is_valid_uid(unique) ? std::string(unique) : util::md5_hex(unique);
      // Two files with one unique part (a broken delivery): the later one is told apart by
      // its full name, which is stable as long as the file is not renamed.
      if (used.contains(uid)) uid = util::md5_hex(file.relative());
      for (int salt = 0; used.contains(uid); ++salt)
        uid = util::md5_hex(file.relative() + "#" + std::to_string(salt));
      used.insert(uid);
      const auto record = state_.records.find(uid);
      infos_.push_back(
          {uid, wire_size(stored), record != state_.records.end() && record->second.accessed});
    }
    return {open_status::ok, nullptr, {}};
  }

  const std::vector<message_info>& messages() const override { return infos_; }

  std::error_code content(std::size_t index, std::string& out) const override {
    if (index >= files_.size()) return std::make_error_code(std::errc::invalid_argument);
    std::string stored;
    if (auto ec = read_message(context_.path, files_[index], stored)) return ec;
    out = to_wire_form(stored);
    // Changed behind our back: sending it would contradict the size LIST announced.
    if (out.size() != infos_[index].size) return std::make_error_code(std::errc::io_error);
    return {};
  }

  std::error_code record_access(std::span<const std::size_t> indices) override {
    const std::set<std::size_t> seen(indices.begin(), indices.end());
    if (!seen.empty() && *seen.rbegin() >= infos_.size())
      return std::make_error_code(std::errc::invalid_argument);
    // Rebuilt from the current messages only, so the file does not grow with deleted mail.
    mailbox_state next = state_;
    next.records.clear();
    for (std::size_t i = 0; i < infos_.size(); ++i) {
      const auto previous = state_.records.find(infos_[i].uid);
      if (seen.contains(i) || (previous != state_.records.end() && previous->second.accessed))
        next.records[infos_[i].uid] = {infos_[i].uid, true};
    }
    if (auto ec = save_state(context_.state_path, next)) return ec;
    state_ = std::move(next);
    return {};
  }

  std::error_code commit_deletions(std::span<const std::size_t> indices) override {
    if (committed_) return std::make_error_code(std::errc::operation_not_permitted);
    std::set<std::size_t> doomed(indices.begin(), indices.end());
    if (!doomed.empty() && *doomed.rbegin() >= files_.size())
      return std::make_error_code(std::errc::invalid_argument);
    if (doomed.empty()) {
      committed_ = true;
      return {};
    }
    context_.hook("maildir.begin");
    std::string journal(journal_magic);
    for (std::size_t i : doomed) journal.append(files_[i].relative()).append("\n");
    // Once the journal is durable the commit has happened: the next open finishes it.
    if (auto ec =
            replace_file(context_.journal_path, context_.journal_path.string() + ".tmp", journal))
      return ec;
    committed_ = true;
    context_.hook("maildir.journal-written");
    for (std::size_t i : doomed) {
      if (auto ec = unlink_message(context_.path, files_[i].relative())) return ec;
      context_.hook("maildir.unlinked");
    }
    if (auto ec = sync_subdirs(context_.path)) return ec;

    mailbox_state next = state_;
    for (std::size_t i : doomed) next.records.erase(infos_[i].uid);
    if (next.records.size() != state_.records.size()) {
      if (auto ec = save_state(context_.state_path, next)) return ec;
      state_ = std::move(next);
    }
    context_.hook("maildir.state-written");
    if (auto ec = remove_if_exists(context_.journal_path)) return ec;
    if (auto ec = fsync_directory(context_.journal_path.parent_path())) return ec;
    context_.hook("maildir.done");
    return {};
  }

 private:
  fs_mailbox_context context_;
  std::vector<maildir_file> files_;
  std::vector<message_info> infos_;
  mailbox_state state_;
  bool committed_ = false;
};

}  // namespace

open_result open_maildir(fs_mailbox_context context) {
  auto box = std::make_unique<maildir_mailbox>(std::move(context));
  open_result result = box->load();
  if (result.status == open_status::ok) result.box = std::move(box);
  return result;
}

}  // namespace popspec::store::detail
