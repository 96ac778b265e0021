// Narrow staging columns for the builder's stage changes, the largest thing
// a load holds before its path index exists: NarrowInt64 keeps int64 values
// (deal ids, Unix seconds) as int32 offsets from the column's first value
// while every value fits, and Codes keeps uint32 id codes (kNone = none) in
// 16 bits while every code fits; either widens itself once (a copy) when a
// value does not. drop_consumed hands the pages of a column's consumed
// prefix back to the system. Private to the library.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace dealstat {
inline namespace v1 {
namespace detail {

//! Gives back the memory pages that lie wholly inside data[0, count): the caller never reads those
//! values again (the pages read as zeros if touched; malloc's own headers lie outside the column's
//! bytes). Lets build() shrink a staged column while it fills the final one. No-op outside Linux.
template <class T>
void drop_consumed(const T* data, std::size_t count) {
#if defined(__linux__)
  static const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto b = (reinterpret_cast<std::uintptr_t>(data) + page - 1) & ~(page - 1);
  const auto e = reinterpret_cast<std::uintptr_t>(data + count) & ~(page - 1);
  if (e > b) madvise(reinterpret_cast<void*>(b), e - b, MADV_DONTNEED);
#else
  (void)data;
  (void)count;
#endif
}

//! int64 values, 4 bytes each while they lie within int32 range of the first value.
class NarrowInt64 {
 public:
  //! Number of values.
  std::size_t size() const { return wide_mode_ ? wide_.size() : narrow_.size(); }
  //! Reserves room for n values.
  void reserve(std::size_t n) { wide_mode_ ? wide_.reserve(n) : narrow_.reserve(n); }
  //! The i-th value.
  std::int64_t operator[](std::size_t i) const { return wide_mode_ ? wide_[i] : base_ + narrow_[i]; }
  //! Appends a value (widening the column if it does not fit).
  [[gnu::always_inline]] void push_back(std::int64_t v) {
    if (!wide_mode_) {
      if (narrow_.empty()) base_ = v;
      std::int64_t d = 0;
      if (!__builtin_sub_overflow(v, base_, &d) && fits(d)) {
        narrow_.push_back(static_cast<std::int32_t>(d));
        return;
      }
      widen();
    }
    wide_.push_back(v);
  }
  //! Appends every value of `o`.
  void append(const NarrowInt64& o) {
    if (!wide_mode_ && !o.wide_mode_ && !o.narrow_.empty()) {
      if (narrow_.empty()) base_ = o.base_;
      std::int64_t shift = 0;
      if (!__builtin_sub_overflow(o.base_, base_, &shift) && fits(shift)) {
        std::int32_t lo = std::numeric_limits<std::int32_t>::max(), hi = std::numeric_limits<std::int32_t>::min();
        for (auto v : o.narrow_) {
          lo = v < lo ? v : lo;
          hi = v > hi ? v : hi;
        }
        if (fits(lo + shift) && fits(hi + shift)) {
          const std::size_t at = narrow_.size();
          narrow_.resize(at + o.narrow_.size());
          for (std::size_t i = 0; i < o.narrow_.size(); ++i)
            narrow_[at + i] = static_cast<std::int32_t>(o.narrow_[i] + shift);
          return;
        }
      }
    }
    reserve(size() + o.size());
    for (std::size_t i = 0; i < o.size(); ++i) push_back(o[i]);
  }
  //! drop_consumed on the first `count` values.
  void drop_prefix(std::size_t count) const {
    if (wide_mode_) drop_consumed(wide_.data(), count); else drop_consumed(narrow_.data(), count);
  }

 private:
  static bool fits(std::int64_t d) {
    return d >= std::numeric_limits<std::int32_t>::min() && d <= std::numeric_limits<std::int32_t>::max();
  }
  void widen() {
    wide_.reserve(narrow_.capacity() > narrow_.size() ? narrow_.capacity() : narrow_.size() + 1);
    for (auto v : narrow_) wide_.push_back(base_ + v);
    narrow_ = std::vector<std::int32_t>();
    wide_mode_ = true;
  }
  bool wide_mode_ = false;
  std::int64_t base_ = 0;
  std::vector<std::int32_t> narrow_;
  std::vector<std::int64_t> wide_;
};

//! uint32 codes (0xFFFFFFFF = none), 2 bytes each while every code is below 0xFFFF.
class Codes {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  //! Number of codes.
  std::size_t size() const { return wide_mode_ ? wide_.size() : narrow_.size(); }
  //! Reserves room for n codes.
  void reserve(std::size_t n) { wide_mode_ ? wide_.reserve(n) : narrow_.reserve(n); }
  //! The i-th code.
  std::uint32_t operator[](std::size_t i) const {
    if (wide_mode_) return wide_[i];
    return narrow_[i] == kNarrowNone ? kNone : narrow_[i];
  }
  //! Appends a code.
  [[gnu::always_inline]] void push_back(std::uint32_t v) {
    if (!wide_mode_ && v != kNone && v >= kNarrowNone) widen();
    if (wide_mode_) wide_.push_back(v); else narrow_.push_back(narrow(v));
  }
  //! Sets the i-th code.
  void set(std::size_t i, std::uint32_t v) {
    if (!wide_mode_ && v != kNone && v >= kNarrowNone) widen();
    if (wide_mode_) wide_[i] = v; else narrow_[i] = narrow(v);
  }
  //! Appends o's codes mapped through `map` (none stays none).
  void append_mapped(const Codes& o, const std::vector<std::uint32_t>& map) {
    if (!wide_mode_ && !o.wide_mode_) {
      std::vector<std::uint16_t> small(map.size());
      bool fits = true;
      for (std::size_t i = 0; i < map.size() && fits; ++i) {
        fits = map[i] < kNarrowNone;
        small[i] = static_cast<std::uint16_t>(map[i]);
      }
      if (fits) {
        const std::size_t at = narrow_.size();
        narrow_.resize(at + o.narrow_.size());
        for (std::size_t i = 0; i < o.narrow_.size(); ++i) {
          const std::uint16_t v = o.narrow_[i];
          narrow_[at + i] = v == kNarrowNone ? kNarrowNone : small[v];
        }
        return;
      }
    }
    reserve(size() + o.size());
    for (std::size_t i = 0; i < o.size(); ++i) {
      const std::uint32_t v = o[i];
      push_back(v == kNone ? kNone : map[v]);
    }
  }
  //! drop_consumed on the first `count` codes.
  void drop_prefix(std::size_t count) const {
    if (wide_mode_) drop_consumed(wide_.data(), count); else drop_consumed(narrow_.data(), count);
  }

 private:
  static constexpr std::uint16_t kNarrowNone = 0xFFFF;
  static std::uint16_t narrow(std::uint32_t v) { return v == kNone ? kNarrowNone : static_cast<std::uint16_t>(v); }
  void widen() {
    wide_.reserve(narrow_.capacity() > narrow_.size() ? narrow_.capacity() : narrow_.size() + 1);
    for (std::size_t i = 0; i < narrow_.size(); ++i) wide_.push_back((*this)[i]);
    narrow_ = std::vector<std::uint16_t>();
    wide_mode_ = true;
  }
  bool wide_mode_ = false;
  std::vector<std::uint16_t> narrow_;
  std::vector<std::uint32_t> wide_;
};

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
