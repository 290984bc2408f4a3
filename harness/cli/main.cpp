// popspec: conformance test harness and fuzzer for POP2 (RFC 937) and POP3 (RFC 1225/1939/2449).
#include <exception>
#include <iostream>
#include <map>

#include "command.hpp"

namespace popspec::cli {
std::vector<command_entry>& command_registry() {
  static std::vector<command_entry> registry;
  return registry;
}
}  // namespace popspec::cli

int main(int argc, char** argv) {
  using namespace popspec::cli;
  CLI::App app{
      "popspec: a conformance test harness and fuzzer for the Post Office Protocols\n"
      "(POP2, RFC 937; POP3, RFC 1225 and RFC 1939 with RFC 2449 CAPA).\n\n"
      "Exit codes: 0 nothing failed, 1 a scenario failed, 2 usage or scenario-file error,\n"
      "3 target unreachable or harness error.",
      "popspec"};
  app.set_version_flag("--version", std::string("popspec ") + POPSPEC_VERSION);
  app.require_subcommand(1, 1);
  app.fallthrough(false);

  std::map<std::string, std::function<int()>> runners;
  for (auto& entry : command_registry()) runners[entry.name] = entry.setup(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_code::usage;
  }
  try {
    for (auto* sub : app.get_subcommands())
      if (auto it = runners.find(sub->get_name()); it != runners.end()) return it->second();
  } catch (const std::exception& e) {
    std::cerr << "popspec: " << e.what() << "\n";
    return exit_code::environment;
  }
  return exit_code::usage;
}
