#include "popspec/store/memory_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "popspec/store/names.hpp"

namespace popspec::store {

namespace {

struct stored_message {
  std::string uid;
  std::string wire;
  bool accessed = false;  // RFC 1225 LAST: retrieved in an earlier session that reached UPDATE
};

struct stored_mailbox {
  std::uint64_t serial = 0;    // distinguishes UIDs of a replaced mailbox from the old ones
  std::uint64_t next_uid = 1;  // never goes back: UIDs are never reused
  std::vector<stored_message> messages;
  bool locked = false;
};

using mailbox_key = std::pair<std::string, std::string>;

}  // namespace

struct memory_store::state {
  // The server may run sessions on several threads; every access goes through this mutex.
  mutable std::mutex mutex;
  bool locking = true;
  std::uint64_t next_serial = 1;
  std::size_t commits = 0;
  std::error_code commit_error;
  std::error_code content_error;
  std::map<mailbox_key, stored_mailbox, std::less<>> mailboxes;

  stored_mailbox& create(const mailbox_key& key) {
    auto& box = mailboxes[key];
    if (box.serial == 0) box.serial = next_serial++;
    return box;
  }
  const stored_mailbox* find(std::string_view user, std::string_view name) const {
    auto it = mailboxes.find(mailbox_key{user, name});
    return it == mailboxes.end() ? nullptr : &it->second;
  }
  std::string make_uid(stored_mailbox& box) {
    return std::to_string(box.serial) + "." + std::to_string(box.next_uid++);
  }
};

namespace {

class memory_mailbox final : public mailbox {
 public:
  memory_mailbox(std::shared_ptr<memory_store::state> st, mailbox_key key, bool holds_lock,
                 std::vector<stored_message> snapshot)
      : state_(std::move(st)),
        key_(std::move(key)),
        holds_lock_(holds_lock),
        snapshot_(std::move(snapshot)) {
    infos_.reserve(snapshot_.size());
    for (const auto& m : snapshot_) infos_.push_back({m.uid, m.wire.size(), m.accessed});
  }

  ~memory_mailbox() override {
    if (!holds_lock_) return;
    std::lock_guard guard(state_->mutex);
    if (auto it = state_->mailboxes.find(key_); it != state_->mailboxes.end())
      it->second.locked = false;
  }

  const std::vector<message_info>& messages() const override { return infos_; }

  std::error_code content(std::size_t index, std::string& out) const override {
    if (index >= snapshot_.size()) return std::make_error_code(std::errc::invalid_argument);
    {
      std::lock_guard guard(state_->mutex);
      if (state_->content_error) return state_->content_error;
    }
    out = snapshot_[index].wire;
    return {};
  }

  std::error_code commit_deletions(std::span<const std::size_t> indices) override {
    if (committed_) return std::make_error_code(std::errc::operation_not_permitted);
    std::set<std::string> doomed;
    for (std::size_t i : indices) {
      if (i >= snapshot_.size()) return std::make_error_code(std::errc::invalid_argument);
      doomed.insert(snapshot_[i].uid);
    }
    std::lock_guard guard(state_->mutex);
    if (state_->commit_error) return state_->commit_error;
    committed_ = true;
    ++state_->commits;
    auto it = state_->mailboxes.find(key_);
    if (it == state_->mailboxes.end()) return {};  // never created (empty default maildrop)
    // Removal by UID, not position: mail delivered after open() stays, and without locking
    // (the no_lock fault) a message another session already removed is simply gone.
    std::erase_if(it->second.messages,
                  [&](const stored_message& m) { return doomed.contains(m.uid); });
    return {};
  }

  std::error_code record_access(std::span<const std::size_t> indices) override {
    std::set<std::string> seen;
    for (std::size_t i : indices) {
      if (i >= snapshot_.size()) return std::make_error_code(std::errc::invalid_argument);
      seen.insert(snapshot_[i].uid);
    }
    std::lock_guard guard(state_->mutex);
    if (state_->commit_error) return state_->commit_error;
    auto it = state_->mailboxes.find(key_);
    if (it == state_->mailboxes.end()) return {};
    for (auto& m : it->second.messages)
      if (seen.contains(m.uid)) m.accessed = true;
    return {};
  }

 private:
  std::shared_ptr<memory_store::state> state_;
  mailbox_key key_;
  bool holds_lock_;
  bool committed_ = false;
  std::vector<stored_message> snapshot_;
  std::vector<message_info> infos_;
};

}  // namespace

memory_store::memory_store(memory_store_options options) : state_(std::make_shared<state>()) {
  state_->locking = options.locking;
}

memory_store::~memory_store() = default;

void memory_store::add_mailbox(std::string user, std::string mailbox_name,
                               std::vector<std::string> wire_messages) {
  std::lock_guard guard(state_->mutex);
  mailbox_key key{std::move(user), std::move(mailbox_name)};
  auto& box = state_->mailboxes[key];
  // A replaced mailbox gets a new serial, so its UIDs can never repeat the old ones.
  box.serial = state_->next_serial++;
  box.next_uid = 1;
  box.messages.clear();
  for (auto& wire : wire_messages) {
    std::string uid = state_->make_uid(box);
    box.messages.push_back({std::move(uid), std::move(wire), false});
  }
}

void memory_store::deliver(std::string_view user, std::string_view mailbox_name,
                           std::string wire_message) {
  std::lock_guard guard(state_->mutex);
  auto& box = state_->create(mailbox_key{user, mailbox_name});
  std::string uid = state_->make_uid(box);
  box.messages.push_back({std::move(uid), std::move(wire_message), false});
}

std::vector<std::string> memory_store::contents(std::string_view user,
                                                std::string_view mailbox_name) const {
  std::lock_guard guard(state_->mutex);
  std::vector<std::string> out;
  if (const auto* box = state_->find(user, mailbox_name))
    for (const auto& m : box->messages) out.push_back(m.wire);
  return out;
}

std::vector<std::string> memory_store::uids(std::string_view user,
                                            std::string_view mailbox_name) const {
  std::lock_guard guard(state_->mutex);
  std::vector<std::string> out;
  if (const auto* box = state_->find(user, mailbox_name))
    for (const auto& m : box->messages) out.push_back(m.uid);
  return out;
}

std::vector<bool> memory_store::accessed(std::string_view user,
                                         std::string_view mailbox_name) const {
  std::lock_guard guard(state_->mutex);
  std::vector<bool> out;
  if (const auto* box = state_->find(user, mailbox_name))
    for (const auto& m : box->messages) out.push_back(m.accessed);
  return out;
}

bool memory_store::exists(std::string_view user, std::string_view mailbox_name) const {
  std::lock_guard guard(state_->mutex);
  return state_->find(user, mailbox_name) != nullptr;
}

bool memory_store::is_locked(std::string_view user, std::string_view mailbox_name) const {
  std::lock_guard guard(state_->mutex);
  const auto* box = state_->find(user, mailbox_name);
  return box != nullptr && box->locked;
}

std::size_t memory_store::commit_count() const {
  std::lock_guard guard(state_->mutex);
  return state_->commits;
}

void memory_store::fail_commits(std::error_code ec) {
  std::lock_guard guard(state_->mutex);
  state_->commit_error = ec;
}

void memory_store::fail_content(std::error_code ec) {
  std::lock_guard guard(state_->mutex);
  state_->content_error = ec;
}

open_result memory_store::open(std::string_view user, std::string_view mailbox_name) {
  open_result result;
  if (!is_safe_name(user)) {
    result.status = open_status::invalid_name;
    result.detail = "unsafe user name";
    return result;
  }
  if (!mailbox_name.empty() && !is_safe_mailbox_name(mailbox_name)) {
    result.status = open_status::invalid_name;
    result.detail = "unsafe mailbox name";
    return result;
  }
  std::lock_guard guard(state_->mutex);
  mailbox_key key{std::string(user), std::string(mailbox_name)};
  auto it = state_->mailboxes.find(key);
  if (it == state_->mailboxes.end()) {
    if (!mailbox_name.empty()) {
      result.status = open_status::no_such_mailbox;
      result.detail = "no such mailbox";
      return result;
    }
    // A missing default maildrop opens as empty; it exists from now on so it can be locked.
    state_->create(key);
    it = state_->mailboxes.find(key);
  }
  auto& box = it->second;
  if (state_->locking) {
    if (box.locked) {
      result.status = open_status::in_use;
      result.detail = "maildrop already locked by another session";
      return result;
    }
    box.locked = true;
  }
  result.status = open_status::ok;
  result.box =
      std::make_unique<memory_mailbox>(state_, std::move(key), state_->locking, box.messages);
  return result;
}

}  // namespace popspec::store
