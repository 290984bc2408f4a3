#include "popspec/harness/differential.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "popspec/codec/escape.hpp"
#include "popspec/util/md5.hpp"

namespace popspec::harness {

std::string uid_tokens::token(const std::string& uid) {
  auto [it, inserted] = ids_.emplace(uid, ids_.size() + 1);
  return "uid#" + std::to_string(it->second);
}

namespace {

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) out.emplace_back(line.substr(start, i - start));
  }
  return out;
}

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::string keyword_of(const std::string& command) {
  auto w = words(command);
  return w.empty() ? std::string() : upper(w[0]);
}

// "n size" or "n uid" listing lines: the first two words, the second tokenised for UIDs.
std::string listing(std::string_view line, bool uid, uid_tokens& uids) {
  auto w = words(line);
  if (w.size() < 2) return "malformed listing";
  return w[0] + " " + (uid ? uids.token(w[1]) : w[1]);
}

}  // namespace

normalised_response normalise(const recorded_response& r, protocol_kind protocol,
                              uid_tokens& uids) {
  normalised_response n;
  const observation& seen = r.seen;
  if (seen.end != response_end::complete) {
    n.head = std::string(to_string(seen.end));
    return n;
  }
  std::string keyword = keyword_of(r.command);
  std::size_t args = words(r.command).size() - (r.command.empty() ? 0 : 1);
  if (protocol == protocol_kind::pop2) {
    if (seen.pop2_data) {
      n.head = "data " + std::to_string(seen.data.size());
      n.data = seen.data;
    } else {
      std::string line = seen.status_line;
      n.head = line.substr(0, 1);
      if ((n.head == "#" || n.head == "=") && line.size() > 1) {
        std::size_t end = 1;
        while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
        n.head += line.substr(1, end - 1);
      }
    }
  } else {
    auto w = words(seen.status_line);
    std::string status = w.empty() ? std::string() : w[0];
    n.head = status;
    if (status == "+OK") {
      auto numbers = [&](std::size_t count) {
        for (std::size_t i = 1; i <= count && i < w.size(); ++i) n.head += " " + w[i];
      };
      if (keyword == "STAT") numbers(2);
      if (keyword == "LAST") numbers(1);
      if (keyword == "LIST" && args > 0) numbers(2);
      if (keyword == "UIDL" && args > 0) {
        if (w.size() > 1) n.head += " " + w[1];
        if (w.size() > 2) n.head += " " + uids.token(w[2]);
      }
      if (seen.multiline) {
        if (keyword == "RETR" || keyword == "TOP") {
          n.data = seen.data;
        } else if (keyword == "LIST" || keyword == "UIDL") {
          for_each_data_line(seen.data, [&](std::string_view line) {
            n.data += listing(line, keyword == "UIDL", uids) + "\n";
            return true;
          });
        } else if (keyword == "CAPA") {
          std::set<std::string> tags;
          for_each_data_line(seen.data, [&](std::string_view line) {
            auto t = words(line);
            if (!t.empty()) tags.insert(upper(t[0]));
            return true;
          });
          for (const auto& t : tags) n.data += t + "\n";
        } else {
          n.data = std::to_string(seen.line_count) + " lines\n";
        }
      }
    }
  }
  if (seen.closed_after) n.head += " (then closed)";
  return n;
}

std::string normalised_response::summary() const {
  std::string out = codec::escape_bytes(head);
  if (!data.empty()) {
    std::size_t lines = static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n'));
    out += " + " + std::to_string(data.size()) + " octets of data (" + std::to_string(lines) +
           " lines, md5 " + util::md5_hex(data).substr(0, 12) + ")";
  }
  return out;
}

std::string describe_difference(const normalised_response& target,
                                const normalised_response& reference) {
  if (target == reference) return {};
  if (target.head != reference.head)
    return "status or structure differs: target \"" + codec::escape_bytes(target.head) +
           "\", reference \"" + codec::escape_bytes(reference.head) + "\"";
  std::size_t i = 0;
  while (i < target.data.size() && i < reference.data.size() && target.data[i] == reference.data[i])
    ++i;
  std::size_t from = i > 20 ? i - 20 : 0;
  return "data differs at octet " + std::to_string(i) + " (target " +
         std::to_string(target.data.size()) + " octets, reference " +
         std::to_string(reference.data.size()) + "): target \"" +
         codec::escape_bytes(target.data.substr(std::min(from, target.data.size()), 60)) +
         "\", reference \"" +
         codec::escape_bytes(reference.data.substr(std::min(from, reference.data.size()), 60)) +
         "\"";
}

}  // namespace popspec::harness
