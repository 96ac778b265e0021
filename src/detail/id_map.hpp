// A flat open-addressing hash map from int64 CRM ids to dense uint32 rows,
// for the builder's id look-ups (tens of millions of them when loading).
// Key and row share one 16-byte slot, so a probe that misses the cache costs
// one line, not two.
#pragma once

#include <cstdint>
#include <vector>

namespace dealstat::inline v1::detail {

//! int64 id -> uint32 row, open addressing with linear probing; ids may be any value.
class IdMap {
 public:
  static constexpr std::uint32_t kMissing = 0xFFFFFFFFu;

  //! Prepares for about n keys.
  void reserve(std::size_t n) {
    std::size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    if (cap > slots_.size()) rehash(cap);
  }
  //! Inserts id -> row unless present; returns the row already stored, or kMissing if inserted.
  std::uint32_t insert(std::int64_t id, std::uint32_t row) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(id) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.row == kMissing) {
        s.key = id;
        s.row = row;
        ++size_;
        return kMissing;
      }
      if (s.key == id) return s.row;
    }
  }
  //! The row of id, or kMissing.
  std::uint32_t find(std::int64_t id) const {
    if (slots_.empty()) return kMissing;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(id) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.row == kMissing) return kMissing;
      if (s.key == id) return s.row;
    }
  }
  //! Number of keys.
  std::size_t size() const { return size_; }

 private:
  static std::size_t hash(std::int64_t id) {
    auto x = static_cast<std::uint64_t>(id);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return static_cast<std::size_t>(x);
  }
  struct Slot {
    std::int64_t key = 0;
    std::uint32_t row = kMissing;
  };
  void rehash(std::size_t cap) {
    std::vector<Slot> slots(cap);
    const std::size_t mask = cap - 1;
    for (const Slot& s : slots_) {
      if (s.row == kMissing) continue;
      std::size_t i = hash(s.key) & mask;
      while (slots[i].row != kMissing) i = (i + 1) & mask;
      slots[i] = s;
    }
    slots_.swap(slots);
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace dealstat::inline v1::detail
