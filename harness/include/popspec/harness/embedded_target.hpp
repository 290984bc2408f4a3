#pragma once
// The embedded reference server: `popspec run`'s default target and the oracle of the
// differential comparison. It serves POP3 and POP2 on ephemeral 127.0.0.1 ports over temporary
// maildrops: the standard fixture for the first account and an empty maildrop for the second.
// The temporary directory is removed when the object is destroyed.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "popspec/pop3/session.hpp"

namespace popspec::harness {

struct embedded_options {
  pop3::profile profile = pop3::profile::rfc1939;
  std::string user, pass, user2, pass2;  // defaults: the store's default accounts
};

class embedded_target {
 public:
  explicit embedded_target(embedded_options options);
  ~embedded_target();
  embedded_target(const embedded_target&) = delete;
  embedded_target& operator=(const embedded_target&) = delete;

  // Creates the maildrops and starts serving. On failure returns false and sets `error`.
  bool start(std::string& error);
  // Restores the maildrops to the fixture. Waits (up to `settle`) until no connection is open,
  // so no session holds a maildrop while it is rewritten.
  bool reset(std::string& error, std::chrono::milliseconds settle = std::chrono::seconds(2));
  // Waits until the server has no open connection (or `settle` passes).
  void wait_idle(std::chrono::milliseconds settle);

  std::uint16_t pop3_port() const;
  std::uint16_t pop2_port() const;
  const embedded_options& options() const { return options_; }

 private:
  struct impl;
  embedded_options options_;
  std::unique_ptr<impl> impl_;
};

}  // namespace popspec::harness
