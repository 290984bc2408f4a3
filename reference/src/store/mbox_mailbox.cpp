// An mbox file opened by fs_store: read whole at open (the snapshot), rewritten atomically by
// commit_deletions, with unique-ids kept in the side file (state_file.hpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "fs_mailboxes.hpp"
#include "popspec/store/mbox_format.hpp"
#include "popspec/store/wire_form.hpp"
#include "popspec/util/md5.hpp"
#include "state_file.hpp"

namespace popspec::store::detail {

namespace {

// Side-file keys: identical messages are told apart by their occurrence among identical ones.
std::vector<std::string> message_keys(const std::vector<std::string>& digests) {
  std::map<std::string_view, std::size_t> seen;
  std::vector<std::string> keys;
  keys.reserve(digests.size());
  for (const auto& digest : digests) keys.push_back(digest + "/" + std::to_string(seen[digest]++));
  return keys;
}

std::filesystem::path temp_path_for(const std::filesystem::path& mbox) {
  return mbox.parent_path() / ("." + mbox.filename().string() + ".popspec-tmp");
}

class mbox_mailbox final : public mailbox {
 public:
  explicit mbox_mailbox(fs_mailbox_context context) : context_(std::move(context)) {}

  // Reads and parses the file and assigns unique-ids; returns a failure result or ok.
  open_result load() {
    if (auto ec = remove_if_exists(temp_path_for(context_.path)))
      return open_failure(open_status::io_error,
                          "cannot remove a stale temp file: " + ec.message());
    {
      unique_fd fd(::open(context_.path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd && errno != ENOENT)
        return open_failure(open_status::io_error,
                            "cannot open the mbox: " + last_error().message());
      if (fd) {
        // The MDA's dotlock keeps a half-appended message out of the snapshot.
        dotlock lock;
        if (auto ec = lock.acquire(context_.path))
          return open_failure(open_status::io_error, "mbox dotlock: " + ec.message());
        struct stat st {};
        if (::fstat(fd.get(), &st) != 0)
          return open_failure(open_status::io_error, last_error().message());
        if (auto ec = read_all(fd.get(), raw_))
          return open_failure(open_status::io_error, "cannot read the mbox: " + ec.message());
        device_ = st.st_dev;
        inode_ = st.st_ino;
        mode_ = st.st_mode & 07777;
      }
    }
    if (split_mbox(raw_, extents_))
      return open_failure(open_status::io_error,
                          "not an mbox file (it does not begin with \"From \")");

    std::vector<std::string> digests;
    for (std::size_t i = 0; i < extents_.size(); ++i) {
      const std::string wire = wire_of(i);
      digests.push_back(util::md5_hex(wire));
      infos_.push_back({"", wire.size(), false});
    }
    keys_ = message_keys(digests);

    if (auto ec = load_state(context_.state_path, state_))
      return open_failure(open_status::io_error, "cannot read the uid file: " + ec.message());
    bool changed = false;
    std::map<std::string, state_record, std::less<>> current;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      auto it = state_.records.find(keys_[i]);
      state_record record;
      if (it != state_.records.end()) {
        record = it->second;
      } else {
        record.uid = state_.allocate_uid();
        changed = true;
      }
      infos_[i].uid = record.uid;
      infos_[i].accessed = record.accessed;
      current.emplace(keys_[i], record);
    }
    // Records of messages that are gone are dropped; the counter never goes back.
    if (current.size() != state_.records.size()) changed = true;
    state_.records = std::move(current);
    // Unique-ids must persist even if this session never reaches UPDATE (RFC 1939 §7).
    if (changed)
      if (auto ec = save_state(context_.state_path, state_))
        return open_failure(open_status::io_error, "cannot write the uid file: " + ec.message());
    return {open_status::ok, nullptr, {}};
  }

  const std::vector<message_info>& messages() const override { return infos_; }

  std::error_code content(std::size_t index, std::string& out) const override {
    if (index >= extents_.size()) return std::make_error_code(std::errc::invalid_argument);
    out = wire_of(index);
    return {};
  }

  std::error_code record_access(std::span<const std::size_t> indices) override {
    mailbox_state next = state_;
    for (std::size_t i : indices) {
      if (i >= keys_.size()) return std::make_error_code(std::errc::invalid_argument);
      next.records[keys_[i]].accessed = true;
    }
    if (auto ec = save_state(context_.state_path, next)) return ec;
    state_ = std::move(next);
    return {};
  }

  std::error_code commit_deletions(std::span<const std::size_t> indices) override {
    if (committed_) return std::make_error_code(std::errc::operation_not_permitted);
    std::set<std::size_t> doomed;
    for (std::size_t i : indices) {
      if (i >= extents_.size()) return std::make_error_code(std::errc::invalid_argument);
      doomed.insert(i);
    }
    if (doomed.empty()) {
      committed_ = true;
      return {};
    }
    context_.hook("mbox.begin");
    dotlock lock;
    if (auto ec = lock.acquire(context_.path)) return ec;
    context_.hook("mbox.dotlocked");

    // Mail appended since open (by an MDA) is kept; any other change means someone else
    // rewrote the file, and deleting by our old offsets would be wrong: refuse.
    unique_fd current_fd(::open(context_.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!current_fd) return last_error();
    struct stat st {};
    if (::fstat(current_fd.get(), &st) != 0) return last_error();
    std::string current;
    if (auto ec = read_all(current_fd.get(), current)) return ec;
    if (st.st_dev != device_ || st.st_ino != inode_ || !current.starts_with(raw_))
      return std::make_error_code(std::errc::device_or_resource_busy);

    std::string output;
    output.reserve(current.size());
    std::vector<std::string> survivor_digests;
    std::vector<std::size_t> survivors;
    for (std::size_t i = 0; i < extents_.size(); ++i) {
      if (doomed.contains(i)) continue;
      // Byte for byte: separator line, stored (escaped) text and the blank line as they were.
      output.append(
          std::string_view(raw_).substr(extents_[i].begin, extents_[i].end - extents_[i].begin));
      survivors.push_back(i);
      survivor_digests.push_back(keys_[i].substr(0, keys_[i].find('/')));
    }
    output.append(std::string_view(current).substr(raw_.size()));

    if (auto ec = write_temp(output)) return ec;
    if (::rename(temp_path_for(context_.path).c_str(), context_.path.c_str()) != 0)
      return last_error();
    context_.hook("mbox.renamed");
    committed_ = true;  // the mail is committed; what follows is durability and bookkeeping
    if (auto ec = fsync_directory(context_.path.parent_path())) return ec;
    context_.hook("mbox.dir-synced");

    // Survivors keep their unique-ids under their new occurrence numbers.
    const auto survivor_keys = message_keys(survivor_digests);
    mailbox_state next = state_;
    next.records.clear();
    for (std::size_t k = 0; k < survivors.size(); ++k)
      next.records[survivor_keys[k]] = state_.records[keys_[survivors[k]]];
    if (auto ec = save_state(context_.state_path, next)) return ec;
    state_ = std::move(next);
    context_.hook("mbox.state-written");
    return {};
  }

 private:
  std::string wire_of(std::size_t index) const {
    const auto& e = extents_[index];
    return to_wire_form(unescape_mbox_body(
        std::string_view(raw_).substr(e.body_begin, e.body_end - e.body_begin), context_.variant));
  }

  std::error_code write_temp(std::string_view output) {
    const auto temp = temp_path_for(context_.path);
    if (auto ec = remove_if_exists(temp)) return ec;
    unique_fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) return last_error();
    // The new file gets the old one's permissions (open's mode is filtered by the umask).
    if (::fchmod(fd.get(), mode_) != 0) return last_error();
    const std::size_t half = output.size() / 2;
    if (auto ec = write_all(fd.get(), output.substr(0, half))) return ec;
    context_.hook("mbox.temp-partial");
    if (auto ec = write_all(fd.get(), output.substr(half))) return ec;
    context_.hook("mbox.temp-written");
    if (::fsync(fd.get()) != 0) return last_error();
    context_.hook("mbox.temp-synced");
    return {};
  }

  fs_mailbox_context context_;
  std::string raw_;  // the whole file at open time
  dev_t device_ = 0;
  ino_t inode_ = 0;
  mode_t mode_ = 0600;
  std::vector<mbox_extent> extents_;
  std::vector<std::string> keys_;
  std::vector<message_info> infos_;
  mailbox_state state_;
  bool committed_ = false;
};

}  // namespace

open_result open_mbox(fs_mailbox_context context) {
  auto box = std::make_unique<mbox_mailbox>(std::move(context));
  open_result result = box->load();
  if (result.status == open_status::ok) result.box = std::move(box);
  return result;
}

}  // namespace popspec::store::detail
