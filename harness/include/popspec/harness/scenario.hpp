#pragma once
// The scenario model: what the loader builds from scenarios/**/*.json and the runner plays.
// The file format is documented in docs/scenarios.md and scenarios/schema.json.
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "popspec/harness/results.hpp"

namespace popspec::harness {

enum class protocol_kind { pop3, pop2 };
std::string_view to_string(protocol_kind p);

// Where something was written: "scenarios/pop3/rfc1939/retr.json:42:7".
struct source_location {
  std::string file;  // as shown to people (relative to the current directory when possible)
  std::size_t line = 0;
  std::size_t column = 0;
  std::string str() const;
};

// Text with ${name} references, expanded at run time (see variables.hpp). Octets: JSON
// characters U+0000..U+00FF each stand for one octet (so "\u00ff" is 0xFF).
struct text_template {
  std::string text;
};

// A count written as a number or as a "${var}" template that must expand to a decimal number.
struct number_template {
  text_template text;
};

struct count_range {
  std::optional<number_template> exact;
  std::optional<std::uint64_t> min;
  std::optional<std::uint64_t> max;
};

// A message of the standard fixture: `number` (1-based) in the default maildrop or, for POP2,
// in the fixture folder named `mailbox`.
struct fixture_message_ref {
  std::size_t number = 0;
  std::string mailbox;  // empty: the default maildrop
};

struct top_spec {
  fixture_message_ref message;
  std::uint64_t lines = 0;  // body lines requested from TOP
};

// One response the step accepts (or classifies): every field given must hold.
struct outcome {
  source_location where;
  std::optional<std::string> status;   // "+OK" "-ERR" (POP3); "+" "-" "#" "=" (POP2)
  std::optional<text_template> match;  // regex (Boost, Perl syntax) searched in the line
  std::optional<std::vector<text_template>> lines;  // exact data lines, in order
  std::optional<fixture_message_ref> message;       // data equals fixture message, octet-exact
  std::optional<top_spec> top_of;                   // data equals TOP of a fixture message
  std::optional<count_range> line_count;            // number of data lines
  std::optional<text_template> every_line;          // regex each data line must match
  // Regexes applied to the data lines: the first line each matches sets its named groups as
  // variables (groups it leaves unset, or every group when no line matches: "").
  std::optional<std::vector<text_template>> capture;
  std::optional<std::vector<text_template>> set;       // data lines as an unordered set
  std::optional<std::vector<text_template>> contains;  // lines that must be among the data
  std::optional<number_template> octets;               // data octets (CRLF counted as 2)
  std::optional<number_template> data_octets;          // POP2: read exactly this many octets
  bool closed = false;                      // the server closes the connection and sends nothing
  bool then_closed = false;                 // after this response, the server closes the connection
  std::optional<std::uint32_t> silence_ms;  // no octet arrives within this time
  bool allow_malformed = false;    // accept syntax violations (bare LF, "+ok", unstuffed dots...)
  verdict result = verdict::pass;  // what matching this outcome earns
  std::string note;                // why (shown for non-pass verdicts)

  bool wants_data() const {
    return lines || message || top_of || line_count || every_line || set || contains || octets ||
           capture;
  }
};

// What one response must look like: the first matching outcome wins.
struct expectation {
  source_location where;
  std::vector<outcome> any_of;
  bool from_reference = false;    // "expect": "reference": the reference server's answer
  std::optional<bool> multiline;  // explicit override of the multi-line rule
};

enum class step_kind {
  connect,   // open a named connection; its expectation applies to the greeting
  login,     // USER/PASS (or APOP) for ${user} or ${user2}, each expecting a positive answer
  send,      // one or more command lines (several = pipelined in one write)
  send_raw,  // octets exactly as written (no CRLF added)
  expect,    // read the next response without sending anything
  close,     // QUIT, expecting a positive answer and the server closing the connection
  drop,      // close the connection without QUIT
  sleep,     // wait, sending nothing
};
std::string_view to_string(step_kind k);

enum class login_method { automatic, user_pass, apop };

struct repeat_spec {
  text_template prefix;
  std::string unit;  // octets repeated `count` times
  std::uint64_t count = 0;
  text_template suffix;
};

struct step {
  step_kind kind = step_kind::send;
  source_location where;
  std::string connection;               // named connection ("main" by default)
  std::vector<text_template> commands;  // send: each line without CRLF
  std::optional<text_template> raw;     // send_raw: literal octets
  std::optional<repeat_spec> repeat;    // send_raw: generated octets
  std::string account;                  // login: "user" or "user2"
  login_method method = login_method::automatic;
  std::vector<expectation> expect;                   // one per expected response, in order
  std::optional<std::chrono::milliseconds> timeout;  // overrides --timeout
  std::chrono::milliseconds sleep{0};
};

enum class fixture_need {
  any,       // ${user}'s maildrop holds at least one message (the default)
  standard,  // ${user}'s maildrop holds exactly the standard fixture (`popspec fixture`)
  none,      // the scenario does not depend on ${user}'s maildrop
};
std::string_view to_string(fixture_need f);

struct scenario {
  std::string id;        // full ID: group + "/" + local ID
  std::string local_id;  // [a-z0-9-]+, unique in its file
  std::string title;
  std::string group;  // "pop3/rfc1939/retr": the file's path under the root, without .json
  std::string file;   // the file, relative to the scenario root
  source_location where;
  protocol_kind protocol = protocol_kind::pop3;
  std::vector<std::string> requirements;  // catalog IDs
  std::vector<std::string> profiles;      // "rfc1225", "rfc1939" (POP3) or "rfc937" (POP2)
  std::vector<std::string> needs;         // capabilities / optional commands
  fixture_need fixture = fixture_need::any;
  bool destructive = false;
  std::vector<step> steps;
  std::set<std::string> accounts;  // "user" and/or "user2": whose maildrops the scenario touches
};

}  // namespace popspec::harness
