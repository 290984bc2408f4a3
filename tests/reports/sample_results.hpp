#pragma once
// Hand-built run results for the report tests: every verdict, hostile strings from "servers" and
// "scenario files" (markup, NUL, ESC, invalid UTF-8, bidi overrides, Markdown syntax), an empty
// run and runs against other targets for the matrix.
#include <optional>
#include <string>
#include <utility>

#include "popspec/harness/results.hpp"

namespace popspec::reports::samples {

using namespace std::string_literals;

// Would run script if an HTML writer let it through unescaped.
inline const std::string hostile_markup =
    "</script><script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
    "<!-- ]]> &amp; '\"";
// Would corrupt a terminal, an XML file or a C string if let through raw.
inline const std::string hostile_controls =
    "NUL\0 ESC\x1b[31mred\x1b[0m OSC\x1b]0;pwned\x07 CR\rBS\x08 DEL\x7f C1\xc2\x9b"s;
// Not UTF-8 at all, plus a right-to-left override.
inline const std::string hostile_encoding =
    "bad\xff\xfe utf8 \xe2\x80\xae"
    "desrever"s;
// Markdown that would make links, tables, code or HTML if let through.
inline const std::string hostile_markdown =
    "| cell | ``` `code` [link](javascript:alert(1)) *em* _u_ # h <b>bold</b> &lt; \\"s;

inline harness::requirement_ref requirement(std::string id, harness::requirement_level level,
                                            std::string rfc, std::string section,
                                            std::string sentence) {
  return {std::move(id), level, std::move(rfc), std::move(section), std::move(sentence)};
}

inline harness::transcript_entry entry(harness::direction d, std::string bytes, double at_ms,
                                       std::string connection = "main",
                                       std::optional<std::size_t> step_index = std::nullopt) {
  return {d, std::move(connection), std::move(bytes), at_ms, step_index};
}

inline harness::scenario_result scenario(std::string id, std::string group, harness::verdict v,
                                         std::string title, std::string reason = {}) {
  harness::scenario_result s;
  s.id = std::move(id);
  s.group = std::move(group);
  s.title = std::move(title);
  s.file = s.id + ".json";
  s.protocol = "pop3";
  s.result = v;
  s.reason = std::move(reason);
  s.duration_ms = 12.5;
  s.transcript = {
      entry(harness::direction::server_to_client, "+OK POP3 ready\r\n", 0.4),
      entry(harness::direction::client_to_server, "USER alice\r\n", 1.0),
      entry(harness::direction::server_to_client, "+OK\r\n", 1.6),
  };
  return s;
}

inline void add(harness::run_results& run, harness::scenario_result s) {
  run.summary.count(s.result);
  run.scenarios.push_back(std::move(s));
}

inline harness::run_metadata metadata(std::string target) {
  harness::run_metadata m;
  m.popspec_version = "0.1.0";
  m.target = std::move(target);
  m.protocol = "pop3";
  m.profile = "rfc1939";
  m.selection = {"all"};
  m.exclude = {"pop3/rfc1939/dele/*"};
  m.started_at = "2026-11-22T02:30:00Z";
  m.duration_ms = 1234.5;
  m.options = {{"step_timeout_ms", "5000"}, {"hostile", hostile_markup}};
  return m;
}

// One scenario per verdict (two failures), hostile strings everywhere a server or scenario file
// can put them, requirements from RFC 1939, 2449 and none.
inline harness::run_results every_verdict_run(std::string target = "127.0.0.1:1110") {
  using harness::direction;
  using harness::requirement_level;
  using harness::verdict;
  harness::run_results run;
  run.meta = metadata(std::move(target));

  add(run, [] {
    auto s = scenario("pop3/rfc1939/stat/counts-messages", "pop3/rfc1939/stat", verdict::pass,
                      "STAT counts the messages in the maildrop");
    s.requirements = {requirement("POP3-1939-STAT.1", requirement_level::must, "1939", "5",
                                  "The positive STAT response gives the message count.")};
    return s;
  }());

  add(run, [] {
    auto s = scenario("pop3/rfc1939/retr/deleted-message", "pop3/rfc1939/retr", verdict::fail,
                      "RETR of a deleted message " + hostile_markup,
                      "the server answered +OK " + hostile_controls);
    s.requirements = {
        requirement("POP3-1939-RETR.3", requirement_level::must, "1939", "5",
                    "RETR of a message marked as deleted gets -ERR. " + hostile_markup),
        requirement("POP3-1939-DELE.2", requirement_level::must_not, "1939", "5",
                    "A deleted message MUST NOT be referred to by later commands."),
    };
    s.transcript.push_back(entry(direction::client_to_server, "DELE 1\r\n", 2.0));
    s.transcript.push_back(entry(direction::server_to_client, "+OK deleted\r\n", 2.5));
    s.transcript.push_back(entry(direction::client_to_server, "RETR 1\r\n", 3.0));
    s.transcript.push_back(entry(direction::server_to_client,
                                 "+OK " + hostile_controls + hostile_encoding + "\\ \t\r\n", 3.5));
    s.transcript.push_back(entry(direction::server_to_client, hostile_markup + "\r\n.\r\n", 3.6));
    s.failure = harness::step_failure{4, "scenarios/pop3/rfc1939/retr/deleted-message.json:42:7",
                                      "-ERR (any text)", "+OK " + hostile_markup};
    s.differences = {{4, "scenarios/pop3/rfc1939/retr/deleted-message.json:42:7",
                      "status indicator differs " + hostile_markdown, "+OK <text>", "-ERR <text>"}};
    return s;
  }());

  add(run, [] {
    auto s = scenario("pop3/rfc2449/capa/ends-with-dot", "pop3/rfc2449/capa", verdict::non_strict,
                      "CAPA lists capabilities " + hostile_encoding,
                      "SHOULD-level: no IMPLEMENTATION capability");
    s.requirements = {requirement("POP3-2449-CAPA.9", requirement_level::should, "2449", "6.9",
                                  "The server SHOULD list IMPLEMENTATION.")};
    s.differences = {{1, "", "capability list differs", "TOP USER", "TOP USER UIDL"}};
    return s;
  }());

  add(run, [] {
    auto s = scenario("pop3/rfc2449/capa/sasl", "pop3/rfc2449/capa", verdict::unsupported,
                      "SASL capability", "the target does not announce SASL");
    s.requirements = {requirement("POP3-2449-SASL.1", requirement_level::may, "2449", "6.3",
                                  "The server MAY announce SASL mechanisms.")};
    return s;
  }());

  add(run, [] {
    auto s = scenario("pop3/rfc1939/dele/then-quit", "pop3/rfc1939/dele", verdict::skipped,
                      "DELE then QUIT removes the message",
                      "destructive scenario on a read-only target");
    s.destructive = true;
    s.transcript.clear();
    s.requirements = {requirement("POP3-1939-DELE.1", requirement_level::must, "1939", "5",
                                  "DELE marks the message as deleted.")};
    return s;
  }());

  add(run, [] {
    auto s = scenario("pop3/rfc1939/quit/closes", "pop3/rfc1939/quit", verdict::timeout,
                      "QUIT closes the connection", "no answer to QUIT within 5000 ms");
    s.requirements = {requirement("POP3-1939-QUIT.1", requirement_level::must, "1939", "6",
                                  "The server answers QUIT and closes the connection.")};
    s.transcript.push_back(entry(direction::client_to_server, "QUIT\r\n", 2.0));
    s.transcript.push_back(entry(direction::event, "deadline of 5000 ms passed", 5002.0));
    s.failure = harness::step_failure{3, "scenarios/pop3/rfc1939/quit/closes.json:12:5",
                                      "+OK then close", "(nothing within 5000 ms)"};
    return s;
  }());

  add(run, [] {
    auto s = scenario("pop3/rfc1939/user/" + hostile_markdown, "pop3/rfc1939/user", verdict::error,
                      hostile_markdown, "reset command failed: " + hostile_encoding);
    s.requirements = {
        requirement("POP3-1939-USER.1", requirement_level::must, "1939", "7", hostile_markdown)};
    s.transcript.push_back(entry(direction::event, "connection reset by peer " + hostile_controls,
                                 3.0, "second " + hostile_markup));
    return s;
  }());

  add(run, [] {
    auto s =
        scenario("misc/no-requirements", "", verdict::pass, "A scenario naming no requirement");
    s.protocol.clear();
    return s;
  }());

  run.meta.duration_ms = 5100.25;
  return run;
}

inline harness::run_results empty_run() {
  harness::run_results run;
  run.meta = metadata("127.0.0.1:1111");
  run.meta.duration_ms = 0;
  return run;
}

// The same suite against another server: some verdicts differ, one scenario was not run there
// and one ran only there.
inline harness::run_results second_target_run(std::string target = "dovecot 127.0.0.1:2110") {
  harness::run_results base = every_verdict_run(std::move(target));
  harness::run_results run;
  run.meta = base.meta;
  for (auto& s : base.scenarios) {
    if (s.id == "pop3/rfc2449/capa/sasl") continue;  // not run on this target
    if (s.result == harness::verdict::fail || s.result == harness::verdict::timeout) {
      s.result = harness::verdict::pass;
      s.reason.clear();
      s.failure.reset();
      s.differences.clear();
    }
    add(run, std::move(s));
  }
  auto extra = scenario("pop3/rfc1939/noop/answers-ok", "pop3/rfc1939/noop", harness::verdict::fail,
                        "NOOP answers +OK", "answered -ERR");
  extra.requirements = {requirement("POP3-1939-NOOP.1", harness::requirement_level::must, "1939",
                                    "5", "NOOP gets a positive response.")};
  add(run, std::move(extra));
  return run;
}

}  // namespace popspec::reports::samples
