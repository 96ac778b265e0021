// Interned strings: each distinct string is stored once and referred to by a
// dense 32-bit code. Code 0 is always the empty string. The bytes live in one
// buffer with offsets (Arrow's string layout), so a column of codes plus the
// pool is all a report or an exporter needs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! A code into a StringPool (0 = empty string).
using StrCode = std::uint32_t;

//! An append-only set of distinct strings with dense codes.
class DEALSTAT_API StringPool {
 public:
  //! A pool holding only the empty string (code 0).
  StringPool();
  //! The code of s, adding it if new.
  StrCode intern(std::string_view s);
  //! The code of s, or -1 when s is not in the pool.
  std::int64_t find(std::string_view s) const;
  //! The string of a code (valid while the pool lives).
  std::string_view view(StrCode code) const {
    return std::string_view(bytes_.data() + offsets_[code], offsets_[code + 1] - offsets_[code]);
  }
  //! Number of distinct strings, the empty one included.
  std::size_t size() const { return offsets_.size() - 1; }
  //! Arrow-style offsets (size() + 1 entries) into bytes().
  const std::vector<std::uint32_t>& offsets() const { return offsets_; }
  //! All strings' bytes, back to back.
  const std::string& bytes() const { return bytes_; }

 private:
  std::vector<std::uint32_t> offsets_;
  std::string bytes_;
  // Hashes a std::string and a std::string_view of it alike: look-ups by view allocate nothing.
  struct ViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, StrCode, ViewHash, std::equal_to<>> index_;
};

//! A column of non-interned strings (Arrow layout: offsets + bytes), for values that rarely repeat.
struct DEALSTAT_API StringColumn {
  std::vector<std::uint64_t> offsets{0};  //!< size() + 1 entries into bytes
  std::string bytes;                       //!< all values back to back

  //! Appends one value.
  void push_back(std::string_view s) {
    bytes.append(s);
    offsets.push_back(bytes.size());
  }
  //! Value i.
  std::string_view operator[](std::size_t i) const {
    return std::string_view(bytes.data() + offsets[i], offsets[i + 1] - offsets[i]);
  }
  //! Number of values.
  std::size_t size() const { return offsets.size() - 1; }
};

}  // namespace v1
}  // namespace dealstat
