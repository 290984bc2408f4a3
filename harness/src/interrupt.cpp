#include "popspec/harness/interrupt.hpp"

#include <signal.h>

#include <atomic>

namespace popspec::harness {

namespace {

// Written from a signal handler: a lock-free atomic is async-signal-safe.
std::atomic<int> requested{0};
static_assert(std::atomic<int>::is_always_lock_free);

struct sigaction previous_int {};
struct sigaction previous_term {};

extern "C" void on_interrupt(int signal_number) {
  requested.store(signal_number);
  // A second signal ends the process at once: someone who presses Ctrl-C twice means it.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(signal_number, &dfl, nullptr);
}

}  // namespace

interrupt_guard::interrupt_guard() {
  requested.store(0);
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // reads and writes in progress carry on; the runner polls
  sigaction(SIGINT, &sa, &previous_int);
  sigaction(SIGTERM, &sa, &previous_term);
}

interrupt_guard::~interrupt_guard() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
}

int interrupt_signal() {
  return requested.load();
}

void request_interrupt(int signal_number) {
  requested.store(signal_number);
}

}  // namespace popspec::harness
