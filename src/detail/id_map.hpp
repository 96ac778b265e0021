// A flat open-addressing hash map from int64 CRM ids to dense uint32 rows,
// for the builder's id look-ups (tens of millions of them when loading).
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
    if (cap > keys_.size()) rehash(cap);
  }
  //! Inserts id -> row unless present; returns the row already stored, or kMissing if inserted.
  std::uint32_t insert(std::int64_t id, std::uint32_t row) {
    if ((size_ + 1) * 2 > keys_.size()) rehash(keys_.empty() ? 16 : keys_.size() * 2);
    std::size_t mask = keys_.size() - 1;
    for (std::size_t i = hash(id) & mask;; i = (i + 1) & mask) {
      if (vals_[i] == kMissing) {
        keys_[i] = id;
        vals_[i] = row;
        ++size_;
        return kMissing;
      }
      if (keys_[i] == id) return vals_[i];
    }
  }
  //! The row of id, or kMissing.
  std::uint32_t find(std::int64_t id) const {
    if (keys_.empty()) return kMissing;
    std::size_t mask = keys_.size() - 1;
    for (std::size_t i = hash(id) & mask;; i = (i + 1) & mask) {
      if (vals_[i] == kMissing) return kMissing;
      if (keys_[i] == id) return vals_[i];
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
  void rehash(std::size_t cap) {
    std::vector<std::int64_t> keys(cap);
    std::vector<std::uint32_t> vals(cap, kMissing);
    std::size_t mask = cap - 1;
    for (std::size_t j = 0; j < keys_.size(); ++j) {
      if (vals_[j] == kMissing) continue;
      std::size_t i = hash(keys_[j]) & mask;
      while (vals[i] != kMissing) i = (i + 1) & mask;
      keys[i] = keys_[j];
      vals[i] = vals_[j];
    }
    keys_.swap(keys);
    vals_.swap(vals);
  }
  std::vector<std::int64_t> keys_;
  std::vector<std::uint32_t> vals_;
  std::size_t size_ = 0;
};

}  // namespace dealstat::inline v1::detail
