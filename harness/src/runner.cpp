#include "popspec/harness/runner.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "player.hpp"
#include "popspec/harness/capabilities.hpp"
#include "popspec/harness/differential.hpp"
#include "popspec/harness/embedded_target.hpp"
#include "popspec/harness/interrupt.hpp"
#include "popspec/store/fixture.hpp"

namespace popspec::harness {

namespace asio = boost::asio;

namespace {

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Runs `command` with /bin/sh -c, collecting up to 4 KiB of its output, killing it after
// `timeout`. Returns the exit status (-1 when it could not run or was killed).
int run_shell(const std::string& command, std::chrono::seconds timeout, std::string& output) {
  int fds[2];
  if (pipe(fds) != 0) {
    output = "cannot create a pipe";
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    output = "cannot fork";
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool killed = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (r < 0) break;
    if (r == 0) continue;
    char buf[1024];
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    if (output.size() < 4096) output.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (killed) {
    output += "\n(killed after " + std::to_string(timeout.count()) + " s)";
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

template <typename T>
T run_coroutine(asio::io_context& ctx, asio::awaitable<T> work, std::string& error) {
  T value{};
  asio::co_spawn(ctx, std::move(work), [&](std::exception_ptr e, T v) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        error = ex.what();
      } catch (...) {
        error = "unknown exception";
      }
    } else {
      value = std::move(v);
    }
  });
  ctx.restart();
  ctx.run();
  return value;
}

bool has_reference_steps(const scenario& s) {
  for (const auto& st : s.steps)
    for (const auto& e : st.expect)
      if (e.from_reference) return true;
  return false;
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

struct worker_sides {
  std::unique_ptr<embedded_target> target;     // embedded mode
  std::unique_ptr<embedded_target> reference;  // differential / "expect": "reference"
};

class run_state {
 public:
  run_state(const std::vector<const scenario*>& scenarios, const requirement_catalog& catalog,
            const run_options& options)
      : scenarios_(scenarios), catalog_(catalog), options_(options) {}

  run_outcome run(progress_listener* listener) {
    run_outcome out;
    auto started = std::chrono::steady_clock::now();
    embedded_ = !options_.target_host;
    profile_ = options_.profile.empty()
                   ? (options_.protocol == protocol_kind::pop3 ? "rfc1939" : "rfc937")
                   : options_.profile;
    differential_ = options_.differential == differential_mode::on ||
                    (options_.differential == differential_mode::automatic && !embedded_);
    bool reference_needed = differential_;
    for (const auto* s : scenarios_) reference_needed = reference_needed || has_reference_steps(*s);
    jobs_ = std::max(1u, options_.jobs);

    auto& meta = out.results.meta;
    meta.popspec_version = POPSPEC_VERSION;
    meta.protocol = std::string(to_string(options_.protocol));
    meta.profile = profile_;
    meta.selection =
        options_.selection.empty() ? std::vector<std::string>{"all"} : options_.selection;
    meta.exclude = options_.exclude;
    meta.started_at = iso_now();
    meta.target = embedded_ ? "embedded reference"
                            : *options_.target_host + ":" + std::to_string(options_.target_port);
    meta.options["jobs"] = std::to_string(jobs_);
    meta.options["timeout_ms"] = std::to_string(options_.timeout.count());
    meta.options["differential"] = differential_ ? "on" : "off";
    if (!embedded_) {
      meta.options["allow_destructive"] = options_.allow_destructive ? "true" : "false";
      if (!options_.reset_command.empty()) meta.options["reset_command"] = options_.reset_command;
    }

    // Accounts: the target's as given (or the defaults), the reference's always the defaults.
    target_endpoint_ = {"", 0, options_.user, options_.pass, options_.user2, options_.pass2};
    if (target_endpoint_.user.empty()) target_endpoint_.user = store::default_user;
    if (target_endpoint_.pass.empty()) target_endpoint_.pass = store::default_password;
    if (target_endpoint_.user2.empty()) target_endpoint_.user2 = store::default_user2;
    if (target_endpoint_.pass2.empty()) target_endpoint_.pass2 = store::default_password2;
    reference_endpoint_ = {"127.0.0.1",
                           0,
                           std::string(store::default_user),
                           std::string(store::default_password),
                           std::string(store::default_user2),
                           std::string(store::default_password2)};

    // Start the embedded servers: one set per worker, so workers never share a maildrop.
    pop3::profile prof = profile_ == "rfc1225" ? pop3::profile::rfc1225 : pop3::profile::rfc1939;
    sides_.resize(jobs_);
    for (auto& side : sides_) {
      std::string error;
      if (embedded_) {
        embedded_options eo{prof, target_endpoint_.user, target_endpoint_.pass,
                            target_endpoint_.user2, target_endpoint_.pass2};
        side.target = std::make_unique<embedded_target>(eo);
        if (!side.target->start(error)) {
          out.fatal = "cannot start the embedded reference server: " + error;
          return out;
        }
      }
      if (reference_needed) {
        side.reference = std::make_unique<embedded_target>(embedded_options{prof, {}, {}, {}, {}});
        if (!side.reference->start(error)) {
          out.fatal = "cannot start the reference server: " + error;
          return out;
        }
      }
    }
    if (embedded_) {
      target_endpoint_.host = "127.0.0.1";
      target_endpoint_.port = port_of(*sides_[0].target);
    } else {
      target_endpoint_.host = *options_.target_host;
      target_endpoint_.port = options_.target_port;
    }

    // Capabilities (once: every embedded instance is the same).
    {
      asio::io_context ctx;
      std::string error;
      target_caps_ = run_coroutine(
          ctx, discover_capabilities(target_endpoint_, options_.protocol, options_.timeout), error);
      if (!error.empty()) {
        out.fatal = "capability discovery failed: " + error;
        return out;
      }
      if (!target_caps_.reachable) {
        out.fatal = "cannot connect to " + target_endpoint_.host + ":" +
                    std::to_string(target_endpoint_.port) + ": " + target_caps_.connect_error;
        return out;
      }
      if (reference_needed) {
        auto ep = reference_endpoint_;
        ep.port = port_of(*sides_[0].reference);
        reference_caps_ = run_coroutine(
            ctx, discover_capabilities(ep, options_.protocol, options_.timeout), error);
      }
    }
    meta.options["capabilities"] =
        join({target_caps_.supported.begin(), target_caps_.supported.end()}, " ");
    if (!target_caps_.logged_in) meta.options["login_problem"] = target_caps_.login_problem;
    if (!target_caps_.unanswered.empty())
      meta.options["discovery_unanswered"] = join(target_caps_.unanswered, "; ");

    if (listener) listener->on_run_start(meta, scenarios_.size());

    // Decide what is not played; queue the rest.
    results_.resize(scenarios_.size());
    std::deque<std::size_t> done_order;
    for (std::size_t i = 0; i < scenarios_.size(); ++i) {
      if (auto r = precheck(*scenarios_[i])) {
        results_[i] = std::move(*r);
        done_order.push_back(i);
      } else {
        queue_.push_back(i);
      }
    }
    std::vector<std::thread> workers;
    unsigned worker_count =
        std::min<unsigned>(jobs_, static_cast<unsigned>(std::max<std::size_t>(queue_.size(), 1)));
    for (unsigned w = 0; w < worker_count; ++w) workers.emplace_back([this, w] { work(w); });

    // Report from this thread only, in completion order.
    std::size_t reported = 0;
    std::vector<bool> announced(scenarios_.size(), false);
    for (;;) {
      std::vector<std::size_t> ready;
      {
        std::unique_lock lock(mutex_);
        while (done_order.empty() && finished_.empty() && reported < scenarios_.size())
          done_cv_.wait(lock);
        for (auto i : done_order) ready.push_back(i);
        done_order.clear();
        for (auto i : finished_) ready.push_back(i);
        finished_.clear();
      }
      for (auto i : ready) {
        ++reported;
        if (listener) listener->on_scenario_done(*results_[i]);
      }
      if (reported >= scenarios_.size()) break;
    }
    for (auto& t : workers) t.join();

    for (auto& r : results_) {
      out.results.summary.count(r->result);
      out.results.scenarios.push_back(std::move(*r));
    }
    out.results.meta.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    if (listener) listener->on_run_end(out.results);
    return out;
  }

 private:
  std::uint16_t port_of(const embedded_target& t) const {
    return options_.protocol == protocol_kind::pop3 ? t.pop3_port() : t.pop2_port();
  }

  scenario_result base_result(const scenario& s) const {
    scenario_result r;
    r.id = s.id;
    r.title = s.title;
    r.file = s.file;
    r.group = s.group;
    r.protocol = std::string(to_string(s.protocol));
    r.destructive = s.destructive;
    for (const auto& id : s.requirements)
      if (const requirement* req = catalog_.find(id)) r.requirements.push_back(catalog_.ref(*req));
    return r;
  }

  bool soft(const scenario& s) const {
    for (const auto& id : s.requirements)
      if (const requirement* req = catalog_.find(id); req && is_strict(req->level)) return false;
    return true;
  }

  // A verdict reached without playing (skipped, unsupported), or nothing.
  // Why an "unsupported" may be the target's slowness instead: the discovery commands that got
  // no answer in time.
  std::string unanswered_note() const {
    if (target_caps_.unanswered.empty()) return {};
    return "; but during capability discovery " + join(target_caps_.unanswered, ", ") +
           ": a slow target may need a longer --timeout";
  }

  std::optional<scenario_result> precheck(const scenario& s) const {
    auto r = base_result(s);
    auto decide = [&](verdict v, std::string reason) {
      r.result = v;
      r.reason = std::move(reason);
      return std::optional<scenario_result>(std::move(r));
    };
    if (s.protocol != options_.protocol)
      return decide(verdict::skipped, "a " + std::string(to_string(s.protocol)) +
                                          " scenario; this run tests " +
                                          std::string(to_string(options_.protocol)));
    if (std::find(s.profiles.begin(), s.profiles.end(), profile_) == s.profiles.end())
      return decide(verdict::skipped, "applies to profile " + join(s.profiles, " and ") +
                                          "; this run uses " + profile_);
    if (s.destructive && !embedded_ && !options_.allow_destructive)
      return decide(verdict::skipped,
                    "destructive (changes the maildrop) and the target is read-only: pass "
                    "--allow-destructive, with --reset-command to restore the maildrop");
    for (const auto& need : s.needs) {
      if (!target_caps_.supported.count(need))
        return decide(verdict::unsupported,
                      "the target does not support " + need +
                          (target_caps_.has_capa ? " (not announced by CAPA)"
                                                 : " (found by probing; the target has no CAPA)") +
                          unanswered_note());
    }
    if (s.fixture == fixture_need::standard && target_caps_.logged_in &&
        !target_caps_.standard_fixture)
      return decide(verdict::skipped,
                    "needs the standard fixture in " + target_endpoint_.user +
                        "'s maildrop (popspec fixture): " + target_caps_.fixture_problem);
    if (s.fixture == fixture_need::any && target_caps_.logged_in && target_caps_.messages == 0)
      return decide(verdict::skipped, "needs at least one message in " + target_endpoint_.user +
                                          "'s maildrop, which is empty");
    return std::nullopt;
  }

  // Resources a scenario holds on an external target while it runs (the embedded target gives
  // every worker its own maildrops, so nothing is shared there).
  std::set<std::string> resources(const scenario& s) const {
    if (embedded_) return {};
    if (s.destructive) return {"*"};
    return s.accounts;
  }

  bool conflicts(const std::set<std::string>& wanted) const {
    if (wanted.empty()) return false;
    for (const auto& held : running_)
      if (held == "*" || wanted.count("*") || wanted.count(held)) return true;
    return false;
  }

  void work(unsigned w) {
    asio::io_context ctx;
    for (;;) {
      std::size_t index = 0;
      std::set<std::string> held;
      {
        std::unique_lock lock(mutex_);
        for (;;) {
          if (int sig = interrupt_signal(); sig != 0 && !queue_.empty()) {
            // Stop: what has not started is not played (the reporting loop still gets a
            // result for each), and the run unwinds, removing the temporary maildrops.
            for (auto i : queue_) {
              auto r = base_result(*scenarios_[i]);
              r.result = verdict::skipped;
              r.reason = std::string("not played: the run was interrupted (") +
                         (sig == SIGINT    ? "SIGINT"
                          : sig == SIGTERM ? "SIGTERM"
                                           : "a signal") +
                         ")";
              results_[i] = std::move(r);
              finished_.push_back(i);
            }
            queue_.clear();
            work_cv_.notify_all();
            done_cv_.notify_all();
          }
          if (queue_.empty()) return;
          auto it = std::find_if(queue_.begin(), queue_.end(), [&](std::size_t i) {
            return !conflicts(resources(*scenarios_[i]));
          });
          if (it != queue_.end()) {
            index = *it;
            queue_.erase(it);
            held = resources(*scenarios_[index]);
            for (const auto& r : held) running_.insert(r);
            break;
          }
          work_cv_.wait(lock);
        }
      }
      scenario_result r;
      try {
        r = play_one(ctx, *scenarios_[index], sides_[w]);
      } catch (const std::exception& e) {
        // Never let an exception end the process from a worker thread: std::terminate would
        // leave the temporary maildrops behind.
        r = base_result(*scenarios_[index]);
        r.result = verdict::error;
        r.reason = std::string("harness error: ") + e.what();
      }
      {
        std::lock_guard lock(mutex_);
        for (const auto& res : held) running_.erase(res);
        results_[index] = std::move(r);
        finished_.push_back(index);
      }
      work_cv_.notify_all();
      done_cv_.notify_all();
    }
  }

  scenario_result play_one(asio::io_context& ctx, const scenario& s, worker_sides& side) {
    auto r = base_result(s);
    auto t0 = std::chrono::steady_clock::now();
    auto finish = [&](verdict v, std::string reason) {
      r.result = v;
      r.reason = std::move(reason);
      r.duration_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      return r;
    };
    // Let the server release what the previous scenario held before starting a new one.
    if (side.target) side.target->wait_idle(std::chrono::seconds(2));
    if (side.reference) side.reference->wait_idle(std::chrono::seconds(2));
    if (s.destructive) {
      std::string error = restore(side);
      if (!error.empty()) return finish(verdict::error, "cannot reset the maildrop: " + error);
    }
    auto result = play_both(ctx, s, side, r);
    if (s.destructive) {
      // Restore right away too, so the scenarios after this one (destructive or not) find the
      // maildrop as the fixture left it; the target is still held exclusively here.
      std::string error = restore(side);
      if (!error.empty() && result.result != verdict::error) {
        result.result = verdict::error;
        result.reason = "could not restore the maildrop after the scenario: " + error +
                        (result.reason.empty() ? "" : " (scenario: " + result.reason + ")");
      }
    }
    result.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return result;
  }

  // Restores the maildrops the destructive scenarios may have changed; "" or what went wrong.
  std::string restore(worker_sides& side) {
    std::string error;
    if (side.target && !side.target->reset(error)) return "embedded maildrops: " + error;
    if (side.reference && !side.reference->reset(error)) return "reference maildrops: " + error;
    if (!embedded_ && !options_.reset_command.empty()) {
      std::string output;
      int status = run_shell(options_.reset_command, std::chrono::seconds(120), output);
      if (status != 0)
        return "--reset-command failed (exit status " + std::to_string(status) + "): " + output;
    }
    return {};
  }

  scenario_result play_both(asio::io_context& ctx, const scenario& s, worker_sides& side,
                            scenario_result r) {
    auto finish = [&](verdict v, std::string reason) {
      r.result = v;
      r.reason = std::move(reason);
      return r;
    };
    bool use_reference = side.reference && (differential_ || has_reference_steps(s));
    play_result reference;
    std::string error;
    if (use_reference) {
      play_settings ps;
      ps.endpoint = reference_endpoint_;
      ps.endpoint.port = port_of(*side.reference);
      ps.caps = &reference_caps_;
      ps.timeout = options_.timeout;
      ps.judge = false;
      reference = run_coroutine(ctx, play_scenario(s, ps), error);
      if (!error.empty())
        return finish(verdict::error, "harness error against the reference: " + error);
    }
    play_settings ps;
    ps.endpoint = target_endpoint_;
    if (side.target) ps.endpoint.port = port_of(*side.target);
    ps.caps = &target_caps_;
    ps.timeout = options_.timeout;
    ps.judge = true;
    ps.soft = soft(s);
    ps.reference = use_reference ? &reference.responses : nullptr;
    play_result played = run_coroutine(ctx, play_scenario(s, ps), error);
    if (!error.empty()) return finish(verdict::error, "harness error: " + error);
    if (differential_ && use_reference)
      r.differences = compare(s, played.responses, reference.responses);
    r.transcript = std::move(played.transcript);
    r.failure = std::move(played.failure);
    return finish(played.result, played.reason);
  }

  std::vector<reference_difference> compare(const scenario& s,
                                            const std::vector<recorded_response>& target,
                                            const std::vector<recorded_response>& reference) const {
    std::vector<reference_difference> out;
    uid_tokens target_uids, reference_uids;
    std::size_t j = 0;
    for (const auto& t : target) {
      while (j < reference.size() &&
             (reference[j].step_index < t.step_index ||
              (reference[j].step_index == t.step_index && reference[j].sub_index < t.sub_index)))
        normalise(reference[j++], s.protocol, reference_uids);
      auto tn = normalise(t, s.protocol, target_uids);
      if (j >= reference.size() || reference[j].step_index != t.step_index ||
          reference[j].sub_index != t.sub_index) {
        out.push_back({t.step_index, t.where.str(),
                       "the reference server's conversation ended "
                       "before this response",
                       tn.summary(), "(none)"});
        continue;
      }
      auto rn = normalise(reference[j++], s.protocol, reference_uids);
      if (auto d = describe_difference(tn, rn); !d.empty())
        out.push_back(
            {t.step_index, t.where.str(),
             (t.command.empty() ? std::string(t.greeting ? "greeting" : "response") : t.command) +
                 ": " + d,
             tn.summary(), rn.summary()});
    }
    return out;
  }

  const std::vector<const scenario*>& scenarios_;
  const requirement_catalog& catalog_;
  const run_options& options_;
  bool embedded_ = true;
  bool differential_ = false;
  unsigned jobs_ = 1;
  std::string profile_;
  endpoint_config target_endpoint_, reference_endpoint_;
  target_capabilities target_caps_, reference_caps_;
  std::vector<worker_sides> sides_;

  std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<std::size_t> queue_;
  std::multiset<std::string> running_;
  std::vector<std::optional<scenario_result>> results_;
  std::vector<std::size_t> finished_;
};

}  // namespace

run_outcome run_scenarios(const std::vector<const scenario*>& scenarios,
                          const requirement_catalog& catalog, const run_options& options,
                          progress_listener* listener) {
  run_state state(scenarios, catalog, options);
  return state.run(listener);
}

}  // namespace popspec::harness
