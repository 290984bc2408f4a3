#include "popspec/harness/transport.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "popspec/codec/pop2_reply.hpp"

namespace popspec::harness {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t head_keep = 600;  // octets of a response kept to show a malformed start

double ms_since(steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(steady_clock::now() - start).count();
}

// A multi-line response cut short (by the deadline or a close) keeps the data lines that did
// arrive, so a reader such as capability discovery can still use a list with no terminator.
void keep_partial_data(const codec::response_parser& parser, observation& seen) {
  if (!parser.in_data()) return;
  seen.data = parser.result().data;
  seen.line_count = parser.result().line_count;
}
}  // namespace

connection::connection(asio::any_io_executor executor) : socket_(std::move(executor)) {}

connection::~connection() {
  close();
}

bool connection::is_open() const {
  return socket_.is_open();
}

void connection::close() {
  boost::system::error_code ignored;
  if (socket_.is_open()) {
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
}

awaitable<std::error_code> connection::connect(std::string host, std::uint16_t port,
                                               steady_clock::time_point deadline) {
  tcp::resolver resolver(socket_.get_executor());
  asio::steady_timer timer(socket_.get_executor());
  timer.expires_at(deadline);
  auto resolved = co_await (resolver.async_resolve(host, std::to_string(port), tuple_awaitable) ||
                            timer.async_wait(tuple_awaitable));
  if (resolved.index() == 1) co_return std::make_error_code(std::errc::timed_out);
  auto [rec, endpoints] = std::get<0>(resolved);
  if (rec) co_return rec;
  timer.expires_at(deadline);
  auto connected = co_await (asio::async_connect(socket_, endpoints, tuple_awaitable) ||
                             timer.async_wait(tuple_awaitable));
  if (connected.index() == 1) {
    close();
    co_return std::make_error_code(std::errc::timed_out);
  }
  auto [cec, endpoint] = std::get<0>(connected);
  (void)endpoint;
  co_return cec;
}

awaitable<std::error_code> connection::write(std::string_view bytes,
                                             steady_clock::time_point deadline) {
  if (observer_) observer_(direction::client_to_server, bytes);
  // A connection whose write failed (EPIPE, reset) cannot take more octets: writing to it again
  // would only wait for the deadline, so report the same failure at once.
  if (write_error_) co_return write_error_;
  asio::steady_timer timer(socket_.get_executor());
  timer.expires_at(deadline);
  auto result = co_await (
      asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), tuple_awaitable) ||
      timer.async_wait(tuple_awaitable));
  if (result.index() == 1) co_return std::make_error_code(std::errc::timed_out);
  auto [ec, n] = std::get<0>(result);
  (void)n;
  if (ec) write_error_ = ec;
  co_return ec;
}

awaitable<connection::fill_result> connection::fill(steady_clock::time_point deadline) {
  if (eof_ || !socket_.is_open()) co_return fill_result::eof;
  // Checked here, not left to the timer: when data is always ready, the read would win every
  // race against an expired timer and a stream without end would never time out.
  if (steady_clock::now() >= deadline) co_return fill_result::timeout;
  std::array<char, 16384> chunk;
  asio::steady_timer timer(socket_.get_executor());
  timer.expires_at(deadline);
  auto result = co_await (socket_.async_read_some(asio::buffer(chunk), tuple_awaitable) ||
                          timer.async_wait(tuple_awaitable));
  if (result.index() == 1) co_return fill_result::timeout;
  auto [ec, n] = std::get<0>(result);
  if (n > 0) {
    std::string_view got(chunk.data(), n);
    if (observer_) observer_(direction::server_to_client, got);
    buffer_.append(got);
  }
  if (ec == asio::error::eof) {
    eof_ = true;
    co_return n > 0 ? fill_result::data : fill_result::eof;
  }
  if (ec) {
    eof_ = true;  // a reset connection delivers nothing more
    last_error_ = ec.message();
    co_return n > 0 ? fill_result::data : fill_result::error;
  }
  co_return fill_result::data;
}

void connection::consume(std::size_t n) {
  buffer_.erase(0, n);
}

awaitable<void> connection::await_close(observation& seen, steady_clock::time_point deadline) {
  // Anything already buffered means the server said more: it did not just close.
  while (buffer_.empty() && !eof_) {
    auto r = co_await fill(deadline);
    if (r == fill_result::timeout) break;
  }
  seen.closed_after = buffer_.empty() && eof_;
}

awaitable<observation> connection::read_pop3(read_plan plan, steady_clock::time_point deadline) {
  observation seen;
  auto start = steady_clock::now();
  // A silence window longer than the step's timeout extends the deadline: the author asked
  // to wait that long.
  if (plan.silence) deadline = std::max(deadline, start + *plan.silence);
  auto first_octet_deadline = plan.silence ? start + *plan.silence : deadline;
  codec::response_parser parser(plan.multiline_if_ok, limits_.pop3);
  std::string head;
  for (;;) {
    if (!buffer_.empty()) {
      std::error_code ec;
      std::size_t n = parser.feed(buffer_, ec);
      if (head.size() < head_keep) head.append(buffer_, 0, std::min(n, head_keep - head.size()));
      seen.octets += n;
      consume(n);
      if (ec) {
        seen.status_line = head.substr(0, head.find_first_of("\r\n"));
        seen.problem = ec.message();
        auto e = static_cast<codec::codec_errc>(ec.value());
        seen.end = (ec.category() == codec::codec_category() &&
                    (e == codec::codec_errc::status_line_too_long ||
                     e == codec::codec_errc::data_line_too_long ||
                     e == codec::codec_errc::response_too_large))
                       ? response_end::too_large
                       : response_end::malformed;
        break;
      }
      if (parser.done()) {
        codec::response res = parser.take_result();
        seen.end = response_end::complete;
        seen.status_line = std::move(res.status_line);
        seen.multiline = res.multiline;
        seen.data = std::move(res.data);
        seen.line_count = res.line_count;
        for (const auto& v : res.violations)
          seen.violations.push_back(std::string(codec::to_string(v.kind)) + " at octet " +
                                    std::to_string(v.offset) +
                                    (v.detail.empty() ? "" : " (" + std::string(v.detail) + ")"));
        if (plan.wait_for_close) co_await await_close(seen, deadline);
        break;
      }
    }
    if (eof_) {
      seen.end = seen.octets == 0 ? response_end::closed : response_end::closed_midway;
      seen.status_line = head.substr(0, head.find_first_of("\r\n"));
      if (!last_error_.empty()) seen.problem = last_error_;
      keep_partial_data(parser, seen);
      break;
    }
    auto r = co_await fill(seen.octets == 0 ? first_octet_deadline : deadline);
    if (r == fill_result::timeout) {
      if (seen.octets == 0 && plan.silence && steady_clock::now() >= start + *plan.silence)
        seen.end = response_end::silence;
      else if (seen.octets == 0 && buffer_.empty())
        seen.end = response_end::timeout;
      else
        seen.end = response_end::timeout_midway;
      seen.status_line = head.substr(0, head.find_first_of("\r\n"));
      if (seen.end == response_end::timeout_midway && parser.in_data())
        seen.problem = "the multi-line response had no terminating \".\" line by the deadline";
      keep_partial_data(parser, seen);
      break;
    }
  }
  seen.elapsed_ms = ms_since(start);
  co_return seen;
}

awaitable<observation> connection::read_pop2(read_plan plan, steady_clock::time_point deadline) {
  observation seen;
  auto start = steady_clock::now();
  if (plan.silence) deadline = std::max(deadline, start + *plan.silence);
  auto first_octet_deadline = plan.silence ? start + *plan.silence : deadline;
  auto on_timeout = [&] {
    if (seen.octets == 0 && buffer_.empty() && plan.silence &&
        steady_clock::now() >= start + *plan.silence)
      seen.end = response_end::silence;
    else if (seen.octets == 0 && buffer_.empty())
      seen.end = response_end::timeout;
    else
      seen.end = response_end::timeout_midway;
  };

  if (plan.pop2_data) {
    // RETR data: exactly the announced octets, no status line, no terminator (RFC 937).
    seen.pop2_data = true;
    seen.announced = *plan.pop2_data;
    std::uint64_t want = *plan.pop2_data;
    if (want > limits_.pop2_data) {
      seen.end = response_end::too_large;
      seen.problem = "the announced length " + std::to_string(want) + " exceeds the " +
                     std::to_string(limits_.pop2_data) + "-octet limit";
      co_return seen;
    }
    for (;;) {
      std::size_t take = static_cast<std::size_t>(
          std::min<std::uint64_t>(want - seen.data.size(), buffer_.size()));
      seen.data.append(buffer_, 0, take);
      seen.octets += take;
      consume(take);
      if (seen.data.size() == want) {
        seen.end = response_end::complete;
        if (plan.wait_for_close) co_await await_close(seen, deadline);
        break;
      }
      if (eof_) {
        seen.end = seen.octets == 0 ? response_end::closed : response_end::closed_midway;
        if (!last_error_.empty()) seen.problem = last_error_;
        break;
      }
      auto r = co_await fill(seen.octets == 0 ? first_octet_deadline : deadline);
      if (r == fill_result::timeout) {
        on_timeout();
        seen.problem = std::to_string(seen.data.size()) + " of " + std::to_string(want) +
                       " announced octets arrived";
        break;
      }
    }
    seen.elapsed_ms = ms_since(start);
    co_return seen;
  }

  for (;;) {
    std::size_t lf = buffer_.find('\n');
    if (lf != std::string::npos) {
      std::string line = buffer_.substr(0, lf);
      seen.octets += lf + 1;
      consume(lf + 1);
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      else
        seen.violations.push_back("bare_lf at octet " + std::to_string(lf));
      seen.status_line = line;
      codec::pop2_reply reply;
      std::error_code ec = codec::parse_pop2_reply(line, reply);
      if (ec) {
        bool readable =
            !line.empty() && std::string_view("+-#=").find(line[0]) != std::string_view::npos;
        if (!readable) {
          seen.end = response_end::malformed;
          seen.problem = ec.message();
          break;
        }
        seen.violations.push_back("pop2 reply: " + ec.message());
      }
      seen.end = response_end::complete;
      if (plan.wait_for_close) co_await await_close(seen, deadline);
      break;
    }
    if (buffer_.size() >= limits_.pop2_line) {
      seen.octets += buffer_.size();
      seen.status_line = buffer_.substr(0, head_keep);
      seen.end = response_end::too_large;
      seen.problem = "a reply line longer than " + std::to_string(limits_.pop2_line) + " octets";
      buffer_.clear();
      break;
    }
    if (eof_) {
      seen.octets += buffer_.size();
      seen.end = seen.octets == 0 ? response_end::closed : response_end::closed_midway;
      seen.status_line = buffer_.substr(0, head_keep);
      if (!last_error_.empty()) seen.problem = last_error_;
      buffer_.clear();
      break;
    }
    auto r = co_await fill(buffer_.empty() ? first_octet_deadline : deadline);
    if (r == fill_result::timeout) {
      on_timeout();
      seen.octets += buffer_.size();
      seen.status_line = buffer_.substr(0, head_keep);
      break;
    }
  }
  seen.elapsed_ms = ms_since(start);
  co_return seen;
}

std::string connection::take_unsolicited() {
  if (socket_.is_open() && !eof_) {
    boost::system::error_code ec;
    std::size_t available = socket_.available(ec);
    std::array<char, 16384> chunk;
    // Only what has already arrived: never block, never read more than one chunk's worth.
    if (!ec && available > 0) {
      std::size_t n =
          socket_.read_some(asio::buffer(chunk.data(), std::min(available, chunk.size())), ec);
      if (n > 0) {
        if (observer_) observer_(direction::server_to_client, std::string_view(chunk.data(), n));
        buffer_.append(chunk.data(), n);
      }
    }
  }
  std::string out;
  out.swap(buffer_);
  return out;
}

awaitable<bool> connection::drop(steady_clock::time_point deadline) {
  if (!socket_.is_open()) co_return true;
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  buffer_.clear();
  // Wait for the server to close its side (it has then released the maildrop). What it sends
  // meanwhile is observed and discarded, so memory stays bounded.
  while (!eof_) {
    auto r = co_await fill(deadline);
    buffer_.clear();
    if (r == fill_result::timeout) break;
  }
  bool closed = eof_;
  close();
  co_return closed;
}

}  // namespace popspec::harness
