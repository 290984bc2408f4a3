// `popspec fixture`: writes the standard test maildrop (docs/fixture.md) in `popspec serve`'s
// layout, so the reference server, or a third-party server after a copy, holds exactly the mail
// the conformance suite expects.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "command.hpp"
#include "popspec/store/fixture.hpp"
#include "popspec/store/store.hpp"
#include "popspec/store/user_db.hpp"

namespace popspec::cli {
namespace {

struct fixture_args {
  std::string format;
  std::string out;
  std::string user{store::default_user};
  bool users_file = false;
  bool table = false;
};

int usage_error(const std::string& message) {
  std::cerr << "popspec fixture: " << message << "\n";
  return exit_code::usage;
}

int io_error(const std::string& message) {
  std::cerr << "popspec fixture: " << message << "\n";
  return exit_code::environment;
}

// Adds the accounts the suite needs to DIR/users (the file `popspec serve` reads by default):
// USER with the fixture's password and the second, empty-maildrop account. Lines already there
// are never changed; an account that already exists is left as it is.
int update_users_file(const std::filesystem::path& path, const std::string& user) {
  store::user_db existing;
  std::string error;
  std::error_code exists_ec;
  if (std::filesystem::exists(path, exists_ec) &&
      store::user_db::load(path.string(), existing, error))
    return usage_error(error + " (fix or remove it; nothing was added)");

  std::string lines;
  store::user_db added;
  for (const auto& [name, password] :
       {std::pair<std::string, std::string_view>{user, store::default_password},
        std::pair<std::string, std::string_view>{std::string(store::default_user2),
                                                 store::default_password2}}) {
    if (existing.secret(name) || added.secret(name)) continue;
    added.add(name, std::string(password));
    lines += name + ":" + std::string(password) + "\n";
  }
  if (lines.empty()) return exit_code::ok;

  // Appends whole lines; a file that does not end in a newline gets one first.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot write " + path.string() + ": " + std::strerror(errno));
  std::string text = lines;
  if (::lseek(fd, 0, SEEK_END) > 0) {
    char last = '\n';
    if (::pread(fd, &last, 1, ::lseek(fd, 0, SEEK_END) - 1) == 1 && last != '\n')
      text = "\n" + text;
  }
  const ssize_t written = ::write(fd, text.data(), text.size());
  const int saved = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()))
    return io_error("cannot write " + path.string() + ": " +
                    std::strerror(written < 0 ? saved : EIO));
  return exit_code::ok;
}

int run_fixture(const fixture_args& args) {
  if (args.table) {
    std::cout << store::fixture_table_markdown();
    return exit_code::ok;
  }
  if (args.format.empty()) return usage_error("--format mbox|maildir is required (see --help)");
  if (args.out.empty()) return usage_error("--out DIR is required (see --help)");
  if (!store::is_safe_name(args.user))
    return usage_error("--user '" + args.user +
                       "': use 1-64 characters of A-Z a-z 0-9 . _ + - @, not starting with '.'");
  const auto format =
      args.format == "mbox" ? store::maildrop_format::mbox : store::maildrop_format::maildir;
  const std::filesystem::path root = args.out;

  std::string error;
  if (auto ec = store::write_fixture(root, args.user, format, error)) {
    // An existing maildrop or a bad name is the caller's to fix; anything else is the system's.
    if (ec == std::errc::file_exists || ec == std::errc::invalid_argument)
      return usage_error(error);
    return io_error(error);
  }
  const std::string where = format == store::maildrop_format::maildir
                                ? (root / args.user).string() + "/"
                                : (root / (args.user + ".mbox")).string();
  std::cout << "popspec fixture: wrote " << store::standard_messages().size() << " messages to "
            << where << " and " << store::standard_folder_messages().size() << " to its folder \""
            << store::standard_folder_name << "\"\n";
  if (args.users_file) {
    const auto users = root / "users";
    if (const int rc = update_users_file(users, args.user); rc != exit_code::ok) return rc;
    std::cout << "popspec fixture: accounts " << args.user << " and " << store::default_user2
              << " are in " << users.string() << "\n";
  }
  return exit_code::ok;
}

const command_registration registration{
    "fixture", [](CLI::App& app) -> std::function<int()> {
      auto args = std::make_shared<fixture_args>();
      auto* cmd = app.add_subcommand(
          "fixture",
          "Write the standard test maildrop (docs/fixture.md): 7 messages (short, dot-lines, "
          "large, empty-body, long-line, from-lines, ten-lines) plus the POP2 folder \"archive\" "
          "with 2 messages, in `popspec serve`'s layout: the Maildir DIR/NAME/ (folder "
          "DIR/NAME/.archive/) or the mbox DIR/NAME.mbox (folder DIR/NAME.folders/archive.mbox). "
          "Files are stored with LF line endings. Never overwrites: an existing maildrop of "
          "NAME (either form) is an error.");
      cmd->add_option("--format", args->format, "Storage format: maildir or mbox (mboxrd)")
          ->check(CLI::IsMember({"maildir", "mbox"}));
      cmd->add_option("--out", args->out,
                      "Maildrops directory to write into (created if missing); pass the same "
                      "directory to `popspec serve --maildrops`");
      cmd->add_option("--user", args->user, "Whose maildrop to write (default: popspec)");
      cmd->add_flag("--users-file", args->users_file,
                    "Also add the accounts NAME:popspec-secret and popspec2:popspec2-secret (an "
                    "empty maildrop) to DIR/users, the file `popspec serve` reads by default; "
                    "existing lines are kept as they are");
      cmd->add_flag("--table", args->table,
                    "Print the message table of docs/fixture.md (octets, lines, MD5) and exit");
      cmd->footer(
          "Examples:\n"
          "  popspec fixture --format maildir --out /tmp/maildrops --users-file\n"
          "  popspec serve --maildrops /tmp/maildrops --pop3 127.0.0.1:0\n"
          "  popspec fixture --format mbox --out /var/tmp/drops --user alice\n"
          "Exit codes: 0 written, 2 usage error (bad option, maildrop already exists), 3 I/O "
          "error.\nFor a third-party server, see docs/fixture.md (Dovecot, generic MDA).");
      return [args] { return run_fixture(*args); };
    }};

}  // namespace
}  // namespace popspec::cli
