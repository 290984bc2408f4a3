// The only translation unit of the server that includes Asio (it is heavy to compile): the
// accept loops, the per-connection coroutine, deadlines, back-pressure and shutdown.
//
// clang 14 cannot compile coroutines under -fsanitize=function (part of -fsanitize=undefined,
// the asan preset): "Cannot represent a difference across sections", LLVM issue #49689. That
// one check is switched off for every function of this file, Asio's coroutine machinery
// included; the rest of UBSan, and ASan, stay on. It comes before every #include so that each
// function gets the attribute with its first declaration.
#if defined(__clang__) && __clang_major__ < 17
#pragma clang attribute push(__attribute__((no_sanitize("function"))), apply_to = function)
#define POPSPEC_NO_SANITIZE_FUNCTION_PUSHED
#endif

#include "popspec/server/server.hpp"

#include <pthread.h>

#include <array>
#include <atomic>
#include <csignal>
#include <exception>
#include <iostream>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "popspec/codec/line_framer.hpp"
#include "popspec/server/apop_timestamp.hpp"
#include "popspec/server/fd_limit.hpp"
#include "popspec/server/session_driver.hpp"

namespace popspec::server {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// Bytes asked of the socket per read: also bounds how many pipelined lines the framer can hold.
constexpr std::size_t read_chunk = 4096;
// Pending output is sent as soon as it reaches this size, even while pipelined commands remain,
// and nothing more is read until it has gone: a client that pipelines RETRs without reading
// stalls its own connection instead of growing the server's memory.
constexpr std::size_t output_high_water = 64 * 1024;
// After a big response, idle connections give back their output buffer.
constexpr std::size_t output_keep_capacity = 256 * 1024;
// After the last response the server half-closes and discards what the client still sends for
// at most this long, so unread pipelined input does not turn the close into a reset that could
// destroy the final response before the client reads it.
constexpr std::chrono::seconds linger_timeout{2};
// A refused connection ("too many connections") gets its one line within this time or nothing.
constexpr std::chrono::seconds refusal_write_timeout{5};

std::size_t index_of(protocol p) {
  return p == protocol::pop3 ? 0 : 1;
}

std::string describe_endpoint(const listen_address& a) {
  const bool v6 = a.host.find(':') != std::string::npos;
  return (v6 ? "[" + a.host + "]" : a.host) + ":" + std::to_string(a.port);
}

void report_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    std::cerr << "popspec: a server task ended with an internal error: " << x.what() << "\n";
  } catch (...) {
    std::cerr << "popspec: a server task ended with an unknown internal error\n";
  }
}

}  // namespace

namespace detail {

struct connection;

// Every open connection, so shutdown() reaches each one even before its coroutine has started.
struct connection_registry {
  std::unordered_set<connection*> live;  // io thread only
  std::size_t sessions = 0;              // connections counted against max_connections
  std::atomic<std::size_t> open_count{0};
};

// One accepted TCP connection, registered from accept to close.
struct connection {
  connection(connection_registry& r, tcp::socket sock, bool counts_as_session)
      : registry(r),
        socket(std::move(sock)),
        timer(socket.get_executor()),
        is_session(counts_as_session) {
    registry.live.insert(this);
    ++registry.open_count;
    if (is_session) ++registry.sessions;
  }
  ~connection() {
    registry.live.erase(this);
    --registry.open_count;
    if (is_session) --registry.sessions;
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  connection_registry& registry;
  tcp::socket socket;
  asio::steady_timer timer;  // the one deadline of whatever the connection waits for
  bool is_session;
  bool stopping = false;  // set by shutdown(): drop the session, commit nothing
};

}  // namespace detail

using detail::connection;

struct server::impl {
  impl(server_options o, store::store& s, const store::user_db& u)
      : options(std::move(o)), store(s), users(u), stamps(options.hostname) {}

  void shutdown();
  asio::awaitable<void> accept_loop(protocol proto);
  asio::awaitable<void> serve(std::shared_ptr<connection> c, protocol proto);
  asio::awaitable<void> refuse(std::shared_ptr<connection> c, protocol proto);

  server_options options;
  store::store& store;
  const store::user_db& users;
  apop_timestamp_source stamps;

  // Declared before `io`, so it outlives it: coroutine frames destroyed with the io_context
  // unregister their connections here.
  detail::connection_registry registry;
  bool shutting_down = false;  // io thread only

  asio::io_context io{1};
  std::array<std::optional<tcp::acceptor>, 2> acceptors;
  std::array<std::uint16_t, 2> ports{};
  std::optional<asio::signal_set> signals;

  std::mutex control;  // guards `background`
  std::thread background;
};

namespace {

// Sends all of `data` within `timeout`. False when the peer is gone, too slow, or the server
// is stopping.
asio::awaitable<bool> send(connection& c, std::string_view data, std::chrono::seconds timeout) {
  if (data.empty()) co_return !c.stopping;
  c.timer.expires_after(timeout);
  auto result = co_await (asio::async_write(c.socket, asio::buffer(data), nothrow) ||
                          c.timer.async_wait(nothrow));
  if (c.stopping || result.index() == 1) co_return false;
  const auto [ec, n] = std::get<0>(result);
  co_return !ec;
}

// Half-closes, discards late input until the peer closes (bounded by linger_timeout), closes.
asio::awaitable<void> linger_close(connection& c) {
  boost::system::error_code ignored;
  c.socket.shutdown(tcp::socket::shutdown_send, ignored);
  c.timer.expires_after(linger_timeout);
  std::array<char, 512> sink;
  while (!c.stopping) {
    auto result = co_await (c.socket.async_read_some(asio::buffer(sink), nothrow) ||
                            c.timer.async_wait(nothrow));
    if (result.index() == 1 || std::get<0>(std::get<0>(result))) break;
  }
  c.socket.close(ignored);
}

// Calls on_disconnect when the coroutine leaves without the session having ended by itself
// (peer gone, write failed, server stopping, or the frame destroyed with the io_context).
struct drop_guard {
  session_driver& driver;
  bool armed = true;
  ~drop_guard() {
    if (armed) driver.on_disconnect();
  }
};

}  // namespace

void server::impl::shutdown() {
  if (shutting_down) return;
  shutting_down = true;
  boost::system::error_code ignored;
  for (auto& a : acceptors)
    if (a) a->close(ignored);
  if (signals) signals->cancel(ignored);
  for (connection* c : registry.live) {
    c->stopping = true;
    c->socket.close(ignored);
    c->timer.cancel();
  }
}

asio::awaitable<void> server::impl::accept_loop(protocol proto) {
  tcp::acceptor& acceptor = *acceptors[index_of(proto)];
  asio::steady_timer backoff(io);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(nothrow);
    if (shutting_down) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      // Out of descriptors (EMFILE/ENFILE) or a connection reset before accept: retry shortly
      // instead of spinning.
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(nothrow);
      if (shutting_down) co_return;
      continue;
    }
    boost::system::error_code ignored;
    // Responses are written whole; waiting for more to coalesce would only add latency.
    socket.set_option(tcp::no_delay(true), ignored);
    const bool admit = registry.sessions < options.max_connections;
    auto c = std::make_shared<connection>(registry, std::move(socket), admit);
    if (admit)
      asio::co_spawn(io, serve(std::move(c), proto), report_exception);
    else
      asio::co_spawn(io, refuse(std::move(c), proto), report_exception);
  }
}

asio::awaitable<void> server::impl::refuse(std::shared_ptr<connection> c, protocol proto) {
  const auto line = too_many_connections_line(proto, options);
  if (co_await send(*c, line, std::min(refusal_write_timeout, options.write_timeout)))
    co_await linger_close(*c);
}

asio::awaitable<void> server::impl::serve(std::shared_ptr<connection> c, protocol proto) {
  auto driver = make_session_driver(proto, options, store, users,
                                    proto == protocol::pop3 ? stamps.next() : std::string{});
  drop_guard guard{*driver};
  const bool drop_pipelined =
      proto == protocol::pop3 && options.faults.has(fault::pipelining_drops);
  const auto inactivity = driver->inactivity_timeout();

  std::string out = driver->greeting();
  if (!co_await send(*c, out, options.write_timeout)) co_return;
  out.clear();

  codec::line_framer framer(driver->max_line());
  auto deadline = clock_type::now() + inactivity;
  std::array<char, read_chunk> buffer;
  for (;;) {
    bool keep_open = true;
    bool first_of_read = true;
    while (keep_open) {
      auto line = framer.next();
      if (!line) break;
      // Fault injection: of several lines from one read only the first is answered.
      if (drop_pipelined && !first_of_read) continue;
      first_of_read = false;
      deadline = clock_type::now() + inactivity;  // RFC 1939 TIMER.3: any command resets it
      keep_open = driver->on_line(*line, out);
      // The session ended itself (QUIT, or a fatal error it answered): whatever happens to
      // the connection now, it must not be dropped a second time.
      if (!keep_open) guard.armed = false;
      if (out.size() >= output_high_water) {
        if (!co_await send(*c, out, options.write_timeout)) co_return;
        out.clear();
      }
    }
    if (!co_await send(*c, out, options.write_timeout)) co_return;
    out.clear();
    if (out.capacity() > output_keep_capacity) std::string().swap(out);
    if (!keep_open) {
      co_await linger_close(*c);
      co_return;
    }

    c->timer.expires_at(deadline);
    auto result = co_await (c->socket.async_read_some(asio::buffer(buffer), nothrow) ||
                            c->timer.async_wait(nothrow));
    if (c->stopping) co_return;
    if (result.index() == 1) {
      // The inactivity deadline passed: the session ends without UPDATE (POP3 sends nothing,
      // POP2 sends "- ..."), then the connection closes.
      guard.armed = false;
      driver->on_deadline(out);
      if (co_await send(*c, out, options.write_timeout)) co_await linger_close(*c);
      co_return;
    }
    const auto [ec, n] = std::get<0>(result);
    if (ec) co_return;  // EOF or error: a dropped connection
    framer.feed(std::string_view(buffer.data(), n));
  }
}

server::server(server_options options, store::store& store, const store::user_db& users)
    : impl_(std::make_unique<impl>(std::move(options), store, users)) {}

server::~server() {
  stop();
}

std::error_code server::listen(std::string& error_message) {
  raise_open_file_limit();
  auto& o = impl_->options;
  if (!o.pop3 && !o.pop2) {
    error_message = "no listener configured (give a POP3 or a POP2 address)";
    return std::make_error_code(std::errc::invalid_argument);
  }
  const std::array<std::pair<protocol, const std::optional<listen_address>*>, 2> wanted{
      {{protocol::pop3, &o.pop3}, {protocol::pop2, &o.pop2}}};
  for (const auto& [proto, address] : wanted) {
    if (!*address) continue;
    const listen_address& a = **address;
    const auto fail = [&](const boost::system::error_code& ec) {
      error_message = "cannot listen on " + describe_endpoint(a) + ": " + ec.message();
      for (auto& acceptor : impl_->acceptors) acceptor.reset();
      impl_->ports = {};
      return std::error_code(ec);
    };
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(a.host, ec);
    if (ec) return fail(ec);
    const tcp::endpoint endpoint(ip, a.port);
    tcp::acceptor acceptor(impl_->io);
    acceptor.open(endpoint.protocol(), ec);
    if (ec) return fail(ec);
    // A restarted server can bind its port again while old connections sit in TIME_WAIT.
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (ec) return fail(ec);
    acceptor.bind(endpoint, ec);
    if (ec) return fail(ec);
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail(ec);
    const auto bound = acceptor.local_endpoint(ec);
    if (ec) return fail(ec);
    impl_->ports[index_of(proto)] = bound.port();
    impl_->acceptors[index_of(proto)].emplace(std::move(acceptor));
  }
  for (const auto proto : {protocol::pop3, protocol::pop2})
    if (impl_->acceptors[index_of(proto)])
      asio::co_spawn(impl_->io, impl_->accept_loop(proto), report_exception);
  return {};
}

std::uint16_t server::pop3_port() const {
  return impl_->ports[0];
}
std::uint16_t server::pop2_port() const {
  return impl_->ports[1];
}
std::size_t server::open_connections() const {
  return impl_->registry.open_count.load();
}

void server::run(bool handle_signals) {
  if (handle_signals) {
    impl_->signals.emplace(impl_->io, SIGINT, SIGTERM);
    impl_->signals->async_wait([i = impl_.get()](const boost::system::error_code& ec, int) {
      if (!ec) i->shutdown();
    });
    // A caller may block SIGINT/SIGTERM before announcing its ports (so that a signal sent the
    // moment the port is known is not lost to the default action); with the handlers installed
    // they can be delivered now.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
  }
  impl_->io.run();
}

void server::start_background() {
  std::lock_guard lock(impl_->control);
  if (impl_->background.joinable()) return;
  impl_->background = std::thread([i = impl_.get()] { i->io.run(); });
}

void server::stop() {
  asio::post(impl_->io, [i = impl_.get()] { i->shutdown(); });
  std::thread worker;
  {
    std::lock_guard lock(impl_->control);
    if (impl_->background.joinable() && impl_->background.get_id() != std::this_thread::get_id())
      worker = std::move(impl_->background);
  }
  if (worker.joinable()) worker.join();
}

}  // namespace popspec::server

#if defined(POPSPEC_NO_SANITIZE_FUNCTION_PUSHED)
#pragma clang attribute pop
#endif
