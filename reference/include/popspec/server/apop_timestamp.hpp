#pragma once
// APOP greeting timestamps (RFC 1939 §7): a msg-id that is different in every greeting, of the
// form "<pid.counter.epoch@hostname>". The counter is process-wide, so two servers embedded in
// one process never hand out the same timestamp either.
#include <string>
#include <string_view>

namespace popspec::server {

class apop_timestamp_source {
 public:
  explicit apop_timestamp_source(std::string hostname);
  // The next timestamp, e.g. "<4242.17.1700000000@localhost>".
  std::string next();

 private:
  std::string hostname_;
};

}  // namespace popspec::server
