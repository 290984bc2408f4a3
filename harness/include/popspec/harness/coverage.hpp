#pragma once
// Requirement coverage of the scenario tree (`popspec coverage`). Every server-role requirement of
// the catalog (role "S" or "S+C") should be cited by at least one scenario, or be explained in
// scenarios/untestable.json (why it cannot be tested over the wire). Client-role rows (role "C")
// are listed apart: they bind the client, and the harness obeys them as one.
#include <cstddef>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/harness/requirements.hpp"
#include "popspec/harness/scenario.hpp"

namespace popspec::harness {

// The RFCs the catalog covers, in the order coverage lists them.
inline constexpr std::string_view coverage_rfcs[] = {"937", "1225", "1939", "2449"};

// "937" for "937", "rfc937", "RFC 937" or "RFC937"; empty when `text` names none of
// coverage_rfcs.
std::string normalize_rfc(std::string_view text);

// Roles "S" and "S+C" bind the server; "C" only the client.
bool is_server_role(std::string_view role);

// One entry of scenarios/untestable.json.
struct untestable_note {
  std::string rfc;  // the key it is filed under, without "rfc": "1939"
  std::string id;   // requirement ID
  std::string reason;
};

// scenarios/untestable.json: an object with an optional "description" string and, for each RFC,
// a key "rfcN" holding an array of {"id", "reason"} objects (both non-empty strings).
class untestable_notes {
 public:
  // On a malformed file returns false and sets `error` (one line); nothing is half-read.
  static bool parse(std::string_view json_text, untestable_notes& out, std::string& error);
  static bool load(const std::filesystem::path& file, untestable_notes& out, std::string& error);

  const untestable_note* find(std::string_view id) const;
  const std::vector<untestable_note>& all() const { return notes_; }

 private:
  std::vector<untestable_note> notes_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

enum class coverage_status {
  covered,     // server role, cited by at least one scenario
  untestable,  // server role, cited by none, explained in untestable.json
  missing,     // server role, cited by none, not explained
  client,      // client role: the harness obeys it
};
std::string_view to_string(coverage_status s);  // "covered", "untestable", "missing", "client"

struct requirement_coverage {
  requirement req;
  coverage_status status = coverage_status::missing;
  std::vector<std::string> scenarios;  // full IDs of the scenarios citing it, in load order
  std::string reason;                  // untestable: the note's reason
};

struct coverage_counts {
  std::size_t server = 0;      // server-role requirements
  std::size_t covered = 0;     // ... cited by a scenario
  std::size_t untestable = 0;  // ... explained instead
  std::size_t missing = 0;     // ... neither
  std::size_t client = 0;      // client-role requirements
  std::size_t client_cited = 0;

  // Share of server-role requirements covered or explained, in percent (100 when there are none).
  double accounted_percent() const;
  // Share of server-role requirements cited by a scenario, in percent (100 when there are none).
  double covered_percent() const;
  coverage_counts& operator+=(const coverage_counts& other);
};

struct rfc_coverage {
  std::string rfc;                         // "1939"
  std::string protocol;                    // "POP2" or "POP3"
  std::vector<requirement_coverage> rows;  // in catalog order
  coverage_counts counts;
};

struct coverage_report {
  std::vector<rfc_coverage> rfcs;  // in coverage_rfcs order, the selected ones only
  coverage_counts totals;
  std::size_t scenario_count = 0;  // scenarios in the tree
  // Notes that do not fit the catalog: an unknown ID, an ID filed under another RFC's key, a
  // client-role requirement, or a requirement that scenarios cite after all (a stale note).
  std::vector<std::string> warnings;
  // Of those, the ones that leave a requirement unexplained (unknown ID, wrong RFC key):
  // `popspec coverage --strict` fails on them as on a missing requirement.
  std::size_t note_errors = 0;
};

struct coverage_options {
  std::vector<std::string> rfcs;  // normalized RFC numbers to report; empty: all of them
};

coverage_report compute_coverage(const requirement_catalog& catalog,
                                 const std::vector<scenario>& scenarios,
                                 const untestable_notes& notes,
                                 const coverage_options& options = {});

// Percentages are shown rounded down to one decimal, so anything short of complete never reads
// "100.0".
std::string format_percent(double percent);

struct coverage_text_options {
  bool missing_only = false;  // only the rows that are neither covered nor explained
};
void write_coverage_text(const coverage_report& report, std::ostream& out,
                         const coverage_text_options& options = {});

// Machine-readable form: {"format": "popspec-coverage", "version": 1, "scenarios": N,
// "totals": {...}, "rfcs": [{"rfc", "protocol", "counts", "requirements": [...]}],
// "warnings": [...]}. Every row of the selected RFCs, whatever the text options.
void write_coverage_json(const coverage_report& report, std::ostream& out);

}  // namespace popspec::harness
