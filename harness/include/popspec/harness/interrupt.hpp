#pragma once
// Stopping a run on SIGINT or SIGTERM without leaving anything behind: while an interrupt_guard
// lives, the first such signal only asks the run to stop (the scenario being played finishes,
// the ones not yet started are not played, and the embedded target's temporary maildrops are
// removed as the run unwinds); a second one ends the process at once, as without the guard.
namespace popspec::harness {

class interrupt_guard {
 public:
  interrupt_guard();   // installs the handlers (and clears an earlier request)
  ~interrupt_guard();  // restores the previous handlers
  interrupt_guard(const interrupt_guard&) = delete;
  interrupt_guard& operator=(const interrupt_guard&) = delete;
};

// The signal that asked the run to stop (SIGINT, SIGTERM), or 0.
int interrupt_signal();
// Asks the run to stop as the signal handler does (for tests and embedding programs).
void request_interrupt(int signal_number);

}  // namespace popspec::harness
