#include "popspec/harness/embedded_target.hpp"

#include <atomic>
#include <random>
#include <thread>

#include "popspec/server/server.hpp"
#include "popspec/store/fixture.hpp"
#include "popspec/store/fs_store.hpp"
#include "popspec/store/user_db.hpp"

namespace popspec::harness {

namespace fs = std::filesystem;

struct embedded_target::impl {
  fs::path root;  // temporary directory; maildrops live in root/maildrops
  std::unique_ptr<store::fs_store> store;
  store::user_db users;
  std::unique_ptr<server::server> srv;
  unsigned long resets = 0;
};

namespace {
fs::path make_temp_dir() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = base / ("popspec-run-" + std::to_string(rd()) + "-" + std::to_string(counter++));
    std::error_code ec;
    if (fs::create_directory(p, ec)) return p;
  }
  return {};
}
}  // namespace

embedded_target::embedded_target(embedded_options options)
    : options_(std::move(options)), impl_(std::make_unique<impl>()) {
  if (options_.user.empty()) options_.user = std::string(store::default_user);
  if (options_.pass.empty()) options_.pass = std::string(store::default_password);
  if (options_.user2.empty()) options_.user2 = std::string(store::default_user2);
  if (options_.pass2.empty()) options_.pass2 = std::string(store::default_password2);
}

embedded_target::~embedded_target() {
  if (impl_->srv) impl_->srv->stop();
  impl_->srv.reset();
  impl_->store.reset();
  if (!impl_->root.empty()) {
    std::error_code ec;
    fs::remove_all(impl_->root, ec);
  }
}

bool embedded_target::start(std::string& error) {
  impl_->root = make_temp_dir();
  if (impl_->root.empty()) {
    error = "cannot create a temporary directory under " + fs::temp_directory_path().string();
    return false;
  }
  // The fixture is written once into a pristine copy; resets copy it back (write_fixture syncs
  // every file to disk, which costs far more than a copy the page cache absorbs).
  fs::path maildrops = impl_->root / "maildrops";
  fs::path pristine = impl_->root / "pristine";
  if (store::write_fixture(pristine, options_.user, store::maildrop_format::maildir, error))
    return false;
  {
    // Open each mailbox once, so the store's own state (unique-ids, marks) is created in the
    // pristine copy and not again, with its disk syncs, after every reset.
    store::fs_store warm(pristine);
    warm.open(options_.user);
    warm.open(options_.user, store::standard_folder_name);
  }
  std::error_code ec;
  fs::copy(pristine, maildrops, fs::copy_options::recursive, ec);
  if (ec) {
    error = "cannot copy the fixture to " + maildrops.string() + ": " + ec.message();
    return false;
  }
  impl_->store = std::make_unique<store::fs_store>(maildrops);
  impl_->users.add(options_.user, options_.pass);
  impl_->users.add(options_.user2, options_.pass2);
  server::server_options so;
  so.pop3 = server::listen_address{"127.0.0.1", 0};
  so.pop2 = server::listen_address{"127.0.0.1", 0};
  so.pop3_profile = options_.profile;
  so.hostname = "localhost";
  impl_->srv = std::make_unique<server::server>(so, *impl_->store, impl_->users);
  if (impl_->srv->listen(error)) return false;
  impl_->srv->start_background();
  return true;
}

void embedded_target::wait_idle(std::chrono::milliseconds settle) {
  if (!impl_->srv) return;
  auto until = std::chrono::steady_clock::now() + settle;
  while (impl_->srv->open_connections() > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

bool embedded_target::reset(std::string& error, std::chrono::milliseconds settle) {
  wait_idle(settle);
  fs::path maildrops = impl_->root / "maildrops";
  // Unlinking files is slow on some file systems (tens of ms for the fixture); a rename is not.
  // The used maildrops are deleted with the temporary directory.
  std::error_code ec;
  fs::rename(maildrops, impl_->root / ("used-" + std::to_string(++impl_->resets)), ec);
  if (ec) {
    error = "cannot move " + maildrops.string() + " aside: " + ec.message();
    return false;
  }
  fs::copy(impl_->root / "pristine", maildrops, fs::copy_options::recursive, ec);
  if (ec) {
    error = "cannot restore " + maildrops.string() + ": " + ec.message();
    return false;
  }
  return true;
}

std::uint16_t embedded_target::pop3_port() const {
  return impl_->srv ? impl_->srv->pop3_port() : 0;
}
std::uint16_t embedded_target::pop2_port() const {
  return impl_->srv ? impl_->srv->pop2_port() : 0;
}

}  // namespace popspec::harness
