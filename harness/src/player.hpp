#pragma once
// Plays one scenario against one server (internal to the runner). Against the target it judges
// every response; against the reference it only records, for the differential comparison and
// for "expect": "reference" steps.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "popspec/harness/capabilities.hpp"
#include "popspec/harness/differential.hpp"
#include "popspec/harness/results.hpp"
#include "popspec/harness/scenario.hpp"

namespace popspec::harness {

struct play_settings {
  endpoint_config endpoint;
  const target_capabilities* caps = nullptr;
  std::chrono::milliseconds timeout{5000};
  bool judge = true;  // false: the reference side, record only
  bool soft = false;  // every cited requirement is SHOULD/SHOULD NOT/MAY
  // The reference's answers (judge side only, may be null): for "expect": "reference".
  const std::vector<recorded_response>* reference = nullptr;
  std::size_t transcript_limit = 64 * 1024;  // octets kept in the transcript
};

struct play_result {
  verdict result = verdict::pass;
  std::string reason;
  std::optional<step_failure> failure;
  std::vector<recorded_response> responses;
  std::vector<transcript_entry> transcript;
};

boost::asio::awaitable<play_result> play_scenario(const scenario& s, play_settings settings);

}  // namespace popspec::harness
