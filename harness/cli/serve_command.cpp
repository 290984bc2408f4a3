// `popspec serve`: the reference POP3/POP2 server on real maildrops.
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "command.hpp"
#include "popspec/server/listen_address.hpp"
#include "popspec/server/server.hpp"
#include "popspec/store/fs_store.hpp"
#include "popspec/store/user_db.hpp"
#include "popspec/util/faults.hpp"

namespace popspec::cli {
namespace {

// RFC 1939 §3 (TIMER.2): an autologout timer, if present, lasts at least 10 minutes. RFC 937
// gives T2 no value; the same floor keeps people-driven POP2 clients working.
constexpr unsigned minimum_timeout_seconds = 600;

struct serve_args {
  std::string pop3;
  std::string pop2;
  std::string maildrops;
  std::string users;
  std::string profile = "rfc1939";
  std::string mbox_format = "mboxrd";
  unsigned autologout = minimum_timeout_seconds;
  unsigned pop2_timeout = minimum_timeout_seconds;
  bool allow_short_timeouts = false;
  std::vector<std::string> faults;
  std::string hostname;
  std::size_t max_connections = 4096;
};

std::string fault_help() {
  std::string help =
      "TESTING AID: make the server deliberately NON-CONFORMING in one way (repeatable), to "
      "check that a test suite notices. Names:";
  for (const auto& f : all_faults()) {
    help += "\n  ";
    help += f.name;
    help += " (";
    help += f.protocol;
    help += "): ";
    help += f.description;
  }
  return help;
}

std::string default_hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) == 0 && server::is_valid_hostname(buf)) return buf;
  return "localhost";
}

std::string printable(const server::listen_address& a, std::uint16_t port) {
  const bool v6 = a.host.find(':') != std::string::npos;
  return (v6 ? "[" + a.host + "]" : a.host) + ":" + std::to_string(port);
}

int usage_error(const std::string& message) {
  std::cerr << "popspec serve: " << message << "\n";
  return exit_code::usage;
}

int run_serve(const serve_args& args) {
  server::server_options options;
  if (args.pop3.empty() && args.pop2.empty())
    return usage_error("give --pop3 ADDR:PORT, --pop2 ADDR:PORT, or both");
  std::string error;
  for (const auto& [text, slot] :
       {std::pair{&args.pop3, &options.pop3}, std::pair{&args.pop2, &options.pop2}}) {
    if (text->empty()) continue;
    server::listen_address address;
    if (!server::parse_listen_address(*text, address, error)) return usage_error(error);
    *slot = address;
  }

  const std::filesystem::path root = args.maildrops;
  std::error_code fs_ec;
  if (!std::filesystem::is_directory(root, fs_ec))
    return usage_error("--maildrops " + args.maildrops + ": not a directory");

  std::string users_path = args.users;
  if (users_path.empty()) {
    const auto candidate = root / "users";
    if (!std::filesystem::exists(candidate, fs_ec))
      return usage_error("no --users FILE given and " + candidate.string() +
                         " does not exist (it holds user:password lines)");
    users_path = candidate.string();
  }
  store::user_db users;
  if (store::user_db::load(users_path, users, error)) return usage_error(error);
  if (users.empty())
    return usage_error(users_path + ": no accounts (expected user:password lines)");

  options.pop3_profile =
      args.profile == "rfc1225" ? pop3::profile::rfc1225 : pop3::profile::rfc1939;
  if (!args.allow_short_timeouts) {
    if (args.autologout < minimum_timeout_seconds)
      return usage_error("--autologout " + std::to_string(args.autologout) +
                         " is below RFC 1939's 10-minute minimum (600); add "
                         "--allow-short-timeouts to test with shorter ones");
    if (args.pop2_timeout < minimum_timeout_seconds)
      return usage_error("--pop2-timeout " + std::to_string(args.pop2_timeout) +
                         " is below 600; add --allow-short-timeouts to test with shorter ones");
  }
  options.pop3_autologout = std::chrono::seconds(args.autologout);
  options.pop2_timeout = std::chrono::seconds(args.pop2_timeout);
  options.hostname = args.hostname.empty() ? default_hostname() : args.hostname;
  if (!server::is_valid_hostname(options.hostname))
    return usage_error("--hostname '" + options.hostname +
                       "': use letters, digits, '.' and '-' only (it goes into greetings)");
  options.max_connections = args.max_connections;
  for (const auto& name : args.faults) {
    const auto f = fault_from_name(name);
    if (!f) return usage_error("unknown --fault " + name);
    options.faults.add(*f);
  }

  store::fs_store_options store_options;
  store_options.mbox =
      args.mbox_format == "mboxo" ? store::mbox_variant::mboxo : store::mbox_variant::mboxrd;
  store_options.locking = !options.faults.has(fault::no_lock);
  store::fs_store store(root, store_options);

  // Held back until run() handles them: a script that signals us as soon as it has read the
  // port must get a clean shutdown, not the default action.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  server::server srv(options, store, users);
  if (srv.listen(error)) {
    std::cerr << "popspec serve: " << error << "\n";
    return exit_code::environment;
  }
  if (!options.faults.empty()) {
    std::cerr << "popspec serve: WARNING: fault injection is on; this server deliberately "
                 "violates the RFCs (";
    const char* sep = "";
    for (const auto& name : args.faults) std::cerr << std::exchange(sep, ", ") << name;
    std::cerr << ")\n";
  }
  // Scripts wait for these lines to learn the ports (port 0 picks a free one).
  if (options.pop3)
    std::cout << "popspec: pop3 listening on " << printable(*options.pop3, srv.pop3_port())
              << std::endl;
  if (options.pop2)
    std::cout << "popspec: pop2 listening on " << printable(*options.pop2, srv.pop2_port())
              << std::endl;
  srv.run(/*handle_signals=*/true);
  return exit_code::ok;
}

const command_registration registration{
    "serve", [](CLI::App& app) -> std::function<int()> {
      auto args = std::make_shared<serve_args>();
      auto* cmd = app.add_subcommand(
          "serve",
          "Run the reference POP3/POP2 server on a maildrops directory (user U's maildrop is the "
          "Maildir DIR/U/ or the mbox DIR/U.mbox). Each listener prints \"popspec: pop3 "
          "listening on ADDR:PORT\" (resp. pop2). SIGINT/SIGTERM stop it; unfinished sessions "
          "commit nothing.");
      cmd->add_option("--pop3", args->pop3,
                      "POP3 listener, ADDR:PORT, :PORT or PORT (ADDR defaults to 127.0.0.1; port "
                      "0 picks a free port)")
          ->type_name("ADDR:PORT");
      cmd->add_option("--pop2", args->pop2, "POP2 (RFC 937) listener, same forms as --pop3")
          ->type_name("ADDR:PORT");
      cmd->add_option("--maildrops", args->maildrops, "Directory holding the maildrops")
          ->type_name("DIR")
          ->required();
      cmd->add_option("--users", args->users, "File of user:password lines (default: DIR/users)")
          ->type_name("FILE");
      cmd->add_option("--profile", args->profile,
                      "POP3 profile: rfc1939 (default; UIDL, APOP, TOP, CAPA) or rfc1225 (LAST)")
          ->type_name("PROFILE")
          ->check(CLI::IsMember({"rfc1225", "rfc1939"}));
      cmd->add_option("--mbox-format", args->mbox_format,
                      "How mbox files are read: mboxrd (default) or mboxo")
          ->type_name("FORMAT")
          ->check(CLI::IsMember({"mboxrd", "mboxo"}));
      cmd->add_option("--autologout", args->autologout,
                      "POP3 inactivity autologout in seconds (default 600, the RFC 1939 minimum)")
          ->type_name("SECONDS")
          ->check(CLI::Range(1u, std::numeric_limits<unsigned>::max() / 2));
      cmd->add_option("--pop2-timeout", args->pop2_timeout,
                      "POP2 inactivity timeout T2 in seconds (default 600)")
          ->type_name("SECONDS")
          ->check(CLI::Range(1u, std::numeric_limits<unsigned>::max() / 2));
      cmd->add_flag("--allow-short-timeouts", args->allow_short_timeouts,
                    "TESTING AID: accept --autologout/--pop2-timeout below 600 seconds (RFC 1939 "
                    "requires at least 10 minutes)");
      cmd->add_option("--fault", args->faults, fault_help())
          ->type_name("NAME")
          ->check(CLI::Validator(
              [](std::string& name) -> std::string {
                if (fault_from_name(name)) return {};
                return "unknown fault '" + name + "' (popspec serve --help lists them)";
              },
              ""));
      cmd->add_option("--hostname", args->hostname,
                      "Host name in greetings and APOP timestamps (default: this host's name)")
          ->type_name("NAME");
      cmd->add_option("--max-connections", args->max_connections,
                      "Connections served at once; more get one error line and are closed "
                      "(default 4096)")
          ->type_name("N")
          ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
      return [args] { return run_serve(*args); };
    }};

}  // namespace
}  // namespace popspec::cli
