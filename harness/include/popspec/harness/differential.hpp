#pragma once
// Differential comparison with the reference server, with no I/O: each response is reduced to
// what the RFCs fix (status, structure, counts, sizes, message octets), free text dropped, and
// unique-ids replaced by per-scenario tokens (so UIDs are compared as unique and stable, never by
// value). Two normalised responses are equal when the servers behaved the same.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "popspec/harness/observation.hpp"
#include "popspec/harness/results.hpp"
#include "popspec/harness/scenario.hpp"

namespace popspec::harness {

// One response of a played scenario.
struct recorded_response {
  std::size_t step_index = 0;
  std::size_t sub_index = 0;  // position within the step (pipelined commands, login's USER/PASS)
  std::string command;        // the command line sent; "" for a greeting or an awaited response
  bool greeting = false;
  source_location where;
  observation seen;
};

// Assigns tokens "uid#1", "uid#2"... in order of first appearance, within one scenario.
class uid_tokens {
 public:
  std::string token(const std::string& uid);

 private:
  std::map<std::string, std::size_t> ids_;
};

struct normalised_response {
  std::string head;  // status and the numbers the RFCs fix, e.g. "+OK 2 320", "-ERR", "closed"
  std::string data;  // normalised data: message octets, "n size" listings, CAPA tags...
  bool operator==(const normalised_response&) const = default;
  std::string summary() const;  // head plus a short description of data
};

normalised_response normalise(const recorded_response& r, protocol_kind protocol, uid_tokens& uids);

// Describes how two normalised responses differ ("" when equal).
std::string describe_difference(const normalised_response& target,
                                const normalised_response& reference);

}  // namespace popspec::harness
