// Runs a report's accumulate step over ranges of deals on several threads
// and merges the partial states: the accumulate -> merge -> finalize shape
// every report has. States merge exactly (integer counts and sums, exact
// multisets), so the result does not depend on the number of threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace dealstat::inline v1::detail {

//! Number of threads to use: `requested`, or the hardware's when 0; at most one per `min_per_thread` items.
inline unsigned resolve_threads(unsigned requested, std::size_t items, std::size_t min_per_thread = 65536) {
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  unsigned t = requested == 0 ? hw : requested;
  std::size_t cap = std::max<std::size_t>(1, items / min_per_thread);
  return static_cast<unsigned>(std::min<std::size_t>(t, cap));
}

//! Accumulates the contiguous ranges [bounds[t], bounds[t + 1]) on one thread each (bounds.size() - 1
//! threads), each into its own state made by make(), then merges them in range order into the first.
//! acc(state, begin, end).
template <class Make, class Acc>
auto accumulate_parallel(const std::vector<std::size_t>& bounds, Make make, Acc acc) {
  using State = decltype(make());
  const std::size_t threads = bounds.size() < 2 ? 1 : bounds.size() - 1;
  std::vector<State> parts;
  parts.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) parts.push_back(make());
  if (bounds.size() < 2) return std::move(parts[0]);
  if (threads == 1) {
    acc(parts[0], bounds[0], bounds[1]);
    return std::move(parts[0]);
  }
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t) {
    const std::size_t b = bounds[t], e = bounds[t + 1];
    pool.emplace_back([&, t, b, e] {
      try {
        acc(parts[t], b, e);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& th : pool) th.join();
  for (auto& err : errors)
    if (err) std::rethrow_exception(err);
  for (std::size_t t = 1; t < threads; ++t) parts[0].merge(parts[t]);
  return std::move(parts[0]);
}

//! Equal ranges: `threads` + 1 boundaries n * t / threads.
inline std::vector<std::size_t> even_bounds(std::size_t n, unsigned threads) {
  threads = std::max(1u, threads);
  std::vector<std::size_t> bounds(threads + 1);
  for (unsigned t = 0; t <= threads; ++t) bounds[t] = n * t / threads;
  return bounds;
}

//! Splits [0, n) into `threads` contiguous ranges of equal size, accumulates each into its own state
//! made by make(), then merges them in range order into the first. acc(state, begin, end).
template <class Make, class Acc>
auto accumulate_parallel(std::size_t n, unsigned threads, Make make, Acc acc) {
  return accumulate_parallel(even_bounds(n, threads), make, acc);
}

//! Calls fn(i) for every i in [0, n) on `threads` threads, each taking the next index in turn
//! (items of uneven cost balance themselves); fn(i) must write only outputs of its own i.
//! After an exception no new index starts; the first (by thread) is rethrown.
template <class Fn>
void for_each_index(std::size_t n, unsigned threads, Fn fn) {
  threads = static_cast<unsigned>(std::min<std::size_t>(std::max(1u, threads), std::max<std::size_t>(1, n)));
  if (threads == 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      try {
        for (std::size_t i; !failed.load(std::memory_order_relaxed) && (i = next.fetch_add(1)) < n;) fn(i);
      } catch (...) {
        errors[t] = std::current_exception();
        failed = true;
      }
    });
  }
  for (auto& th : pool) th.join();
  for (auto& err : errors)
    if (err) std::rethrow_exception(err);
}

}  // namespace dealstat::inline v1::detail
