// Internal: portable little-endian fixed-width encoding for the serialized
// accumulators and sketches (Kaplan-Meier, DDSketch). Doubles travel as their
// IEEE-754 bit pattern. Not installed; included only by src/stats/*.cpp.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "dealstat/core/error.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

//! Appends fixed-width little-endian values to a byte buffer.
class ByteWriter {
 public:
  //! Appends the 4-byte magic tag.
  void magic(const char (&tag)[5]) { out_.insert(out_.end(), tag, tag + 4); }
  //! Appends an unsigned integer of N bytes, least significant first.
  template <class T>
  void uint(T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  //! Appends a signed 32-bit integer (two's complement).
  void i32(std::int32_t v) { uint(static_cast<std::uint32_t>(v)); }
  //! Appends a double as its IEEE-754 bits.
  void f64(double v) { uint(std::bit_cast<std::uint64_t>(v)); }
  //! Appends raw bytes.
  void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  //! The bytes written so far.
  std::vector<std::uint8_t> take() { return std::move(out_); }

 private:
  std::vector<std::uint8_t> out_;
};

//! Reads what ByteWriter wrote; a short buffer throws Error(parse) naming `what`.
class ByteReader {
 public:
  //! Reads from `data`; `what` names the format in error messages.
  ByteReader(std::span<const std::uint8_t> data, const char* what) : data_(data), what_(what) {}
  //! Checks the 4-byte magic tag.
  void magic(const char (&tag)[5]) {
    need(4);
    if (std::memcmp(data_.data() + pos_, tag, 4) != 0) fail("bad magic (not a " + std::string(what_) + ")");
    pos_ += 4;
  }
  //! Reads an unsigned integer of sizeof(T) bytes.
  template <class T>
  T uint() {
    need(sizeof(T));
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<T>(data_[pos_ + i]) << (8 * i));
    pos_ += sizeof(T);
    return v;
  }
  //! Reads a signed 32-bit integer.
  std::int32_t i32() { return static_cast<std::int32_t>(uint<std::uint32_t>()); }
  //! Reads a double.
  double f64() { return std::bit_cast<double>(uint<std::uint64_t>()); }
  //! The next n raw bytes (a view into the input).
  std::span<const std::uint8_t> bytes(std::uint64_t n) {
    if (n > remaining()) fail("truncated input");
    auto out = data_.subspan(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return out;
  }
  //! Bytes not yet read.
  std::size_t remaining() const { return data_.size() - pos_; }
  //! Throws Error(parse) with the format's name.
  [[noreturn]] void fail(const std::string& msg) const {
    throw Error(ErrorCode::parse, std::string(what_) + ": " + msg);
  }

 private:
  void need(std::size_t n) const {
    if (data_.size() - pos_ < n) fail("truncated input");
  }
  std::span<const std::uint8_t> data_;
  const char* what_;
  std::size_t pos_ = 0;
};

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
